from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.project_role import ProjectRole
from uuid import UUID






T = TypeVar("T", bound="MembershipExportBody")



@_attrs_define
class MembershipExportBody:
    """ 
        Attributes:
            joined_at (str):
            name (str):
            personal (bool):
            project_id (UUID):
            role (ProjectRole):
            slug (str):
     """

    joined_at: str
    name: str
    personal: bool
    project_id: UUID
    role: ProjectRole
    slug: str





    def to_dict(self) -> dict[str, Any]:
        joined_at = self.joined_at

        name = self.name

        personal = self.personal

        project_id = str(self.project_id)

        role = self.role.value

        slug = self.slug


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "joined_at": joined_at,
            "name": name,
            "personal": personal,
            "project_id": project_id,
            "role": role,
            "slug": slug,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        joined_at = d.pop("joined_at")

        name = d.pop("name")

        personal = d.pop("personal")

        project_id = UUID(d.pop("project_id"))




        role = ProjectRole(d.pop("role"))




        slug = d.pop("slug")

        membership_export_body = cls(
            joined_at=joined_at,
            name=name,
            personal=personal,
            project_id=project_id,
            role=role,
            slug=slug,
        )

        return membership_export_body

