from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.project_settings_body import ProjectSettingsBody





T = TypeVar("T", bound="ProjectCreate")



@_attrs_define
class ProjectCreate:
    """ 
        Attributes:
            name (str):
            slug (str):
            settings (None | ProjectSettingsBody | Unset):
     """

    name: str
    slug: str
    settings: None | ProjectSettingsBody | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.project_settings_body import ProjectSettingsBody # noqa: PLC0415
        name = self.name

        slug = self.slug

        settings: dict[str, Any] | None | Unset
        if isinstance(self.settings, Unset):
            settings = UNSET
        elif isinstance(self.settings, ProjectSettingsBody):
            settings = self.settings.to_dict()
        else:
            settings = self.settings


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "slug": slug,
        })
        if settings is not UNSET:
            field_dict["settings"] = settings

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_settings_body import ProjectSettingsBody # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        slug = d.pop("slug")

        def _parse_settings(data: object) -> None | ProjectSettingsBody | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                settings_type_0 = ProjectSettingsBody.from_dict(data)



                return settings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProjectSettingsBody | Unset, data)

        settings = _parse_settings(d.pop("settings", UNSET))


        project_create = cls(
            name=name,
            slug=slug,
            settings=settings,
        )

        return project_create

