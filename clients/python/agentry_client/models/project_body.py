from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.project_role import ProjectRole
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.project_settings_body import ProjectSettingsBody





T = TypeVar("T", bound="ProjectBody")



@_attrs_define
class ProjectBody:
    """ 
        Attributes:
            created_at (str):
            id (UUID):
            name (str):
            personal (bool):
            settings (ProjectSettingsBody):
            slug (str):
            updated_at (str):
            your_role (None | ProjectRole): The caller's role here (null: an admin not a member)
     """

    created_at: str
    id: UUID
    name: str
    personal: bool
    settings: ProjectSettingsBody
    slug: str
    updated_at: str
    your_role: None | ProjectRole
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.project_settings_body import ProjectSettingsBody # noqa: PLC0415
        created_at = self.created_at

        id = str(self.id)

        name = self.name

        personal = self.personal

        settings = self.settings.to_dict()

        slug = self.slug

        updated_at = self.updated_at

        your_role: None | str
        if isinstance(self.your_role, ProjectRole):
            your_role = self.your_role.value
        else:
            your_role = self.your_role


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created_at": created_at,
            "id": id,
            "name": name,
            "personal": personal,
            "settings": settings,
            "slug": slug,
            "updated_at": updated_at,
            "your_role": your_role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_settings_body import ProjectSettingsBody # noqa: PLC0415
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = UUID(d.pop("id"))




        name = d.pop("name")

        personal = d.pop("personal")

        settings = ProjectSettingsBody.from_dict(d.pop("settings"))




        slug = d.pop("slug")

        updated_at = d.pop("updated_at")

        def _parse_your_role(data: object) -> None | ProjectRole:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                your_role_type_0 = ProjectRole(data)



                return your_role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProjectRole, data)

        your_role = _parse_your_role(d.pop("your_role"))


        project_body = cls(
            created_at=created_at,
            id=id,
            name=name,
            personal=personal,
            settings=settings,
            slug=slug,
            updated_at=updated_at,
            your_role=your_role,
        )


        project_body.additional_properties = d
        return project_body

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
