from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="VisitorBody")



@_attrs_define
class VisitorBody:
    """ A visitor of a project's public chat: its cookie is set with this answer; send `csrf_token` in the
        X-CSRF-Token header of every write.

        Attributes:
            csrf_token (str):
            expires_at (str):
            project_id (UUID):
            visitor_id (UUID):
     """

    csrf_token: str
    expires_at: str
    project_id: UUID
    visitor_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        csrf_token = self.csrf_token

        expires_at = self.expires_at

        project_id = str(self.project_id)

        visitor_id = str(self.visitor_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "csrf_token": csrf_token,
            "expires_at": expires_at,
            "project_id": project_id,
            "visitor_id": visitor_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        csrf_token = d.pop("csrf_token")

        expires_at = d.pop("expires_at")

        project_id = UUID(d.pop("project_id"))




        visitor_id = UUID(d.pop("visitor_id"))




        visitor_body = cls(
            csrf_token=csrf_token,
            expires_at=expires_at,
            project_id=project_id,
            visitor_id=visitor_id,
        )


        visitor_body.additional_properties = d
        return visitor_body

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
