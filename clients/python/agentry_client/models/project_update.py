from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.project_settings_changes import ProjectSettingsChanges





T = TypeVar("T", bound="ProjectUpdate")



@_attrs_define
class ProjectUpdate:
    """ 
        Attributes:
            name (str | Unset):
            settings (ProjectSettingsChanges | Unset): Only the settings sent change; null lifts a restriction or a limit.
            slug (str | Unset):
     """

    name: str | Unset = UNSET
    settings: ProjectSettingsChanges | Unset = UNSET
    slug: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.project_settings_changes import ProjectSettingsChanges # noqa: PLC0415
        name = self.name

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()

        slug = self.slug


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if settings is not UNSET:
            field_dict["settings"] = settings
        if slug is not UNSET:
            field_dict["slug"] = slug

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_settings_changes import ProjectSettingsChanges # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _settings = d.pop("settings", UNSET)
        settings: ProjectSettingsChanges | Unset
        if isinstance(_settings,  Unset):
            settings = UNSET
        else:
            settings = ProjectSettingsChanges.from_dict(_settings)




        slug = d.pop("slug", UNSET)

        project_update = cls(
            name=name,
            settings=settings,
            slug=slug,
        )

        return project_update

