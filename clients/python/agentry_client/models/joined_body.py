from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.project_role import ProjectRole
from uuid import UUID






T = TypeVar("T", bound="JoinedBody")



@_attrs_define
class JoinedBody:
    """ 
        Attributes:
            joined_at (str):
            project_id (UUID):
            project_name (str):
            role (ProjectRole):
     """

    joined_at: str
    project_id: UUID
    project_name: str
    role: ProjectRole
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        joined_at = self.joined_at

        project_id = str(self.project_id)

        project_name = self.project_name

        role = self.role.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "joined_at": joined_at,
            "project_id": project_id,
            "project_name": project_name,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        joined_at = d.pop("joined_at")

        project_id = UUID(d.pop("project_id"))




        project_name = d.pop("project_name")

        role = ProjectRole(d.pop("role"))




        joined_body = cls(
            joined_at=joined_at,
            project_id=project_id,
            project_name=project_name,
            role=role,
        )


        joined_body.additional_properties = d
        return joined_body

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
