from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.project_role import ProjectRole
from uuid import UUID






T = TypeVar("T", bound="ReceivedInvitationBody")



@_attrs_define
class ReceivedInvitationBody:
    """ 
        Attributes:
            expires_at (str):
            id (UUID):
            invited_at (str):
            project_id (UUID):
            project_name (str): The project you are invited to
            role (ProjectRole):
     """

    expires_at: str
    id: UUID
    invited_at: str
    project_id: UUID
    project_name: str
    role: ProjectRole
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at

        id = str(self.id)

        invited_at = self.invited_at

        project_id = str(self.project_id)

        project_name = self.project_name

        role = self.role.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "expires_at": expires_at,
            "id": id,
            "invited_at": invited_at,
            "project_id": project_id,
            "project_name": project_name,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_at = d.pop("expires_at")

        id = UUID(d.pop("id"))




        invited_at = d.pop("invited_at")

        project_id = UUID(d.pop("project_id"))




        project_name = d.pop("project_name")

        role = ProjectRole(d.pop("role"))




        received_invitation_body = cls(
            expires_at=expires_at,
            id=id,
            invited_at=invited_at,
            project_id=project_id,
            project_name=project_name,
            role=role,
        )


        received_invitation_body.additional_properties = d
        return received_invitation_body

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
