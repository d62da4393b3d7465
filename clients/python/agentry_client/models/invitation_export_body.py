from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.project_role import ProjectRole
from uuid import UUID






T = TypeVar("T", bound="InvitationExportBody")



@_attrs_define
class InvitationExportBody:
    """ 
        Attributes:
            expires_at (str):
            id (UUID):
            invited_at (str):
            project_id (UUID):
            project_name (str):
            role (ProjectRole):
     """

    expires_at: str
    id: UUID
    invited_at: str
    project_id: UUID
    project_name: str
    role: ProjectRole





    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at

        id = str(self.id)

        invited_at = self.invited_at

        project_id = str(self.project_id)

        project_name = self.project_name

        role = self.role.value


        field_dict: dict[str, Any] = {}

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




        invitation_export_body = cls(
            expires_at=expires_at,
            id=id,
            invited_at=invited_at,
            project_id=project_id,
            project_name=project_name,
            role=role,
        )

        return invitation_export_body

