from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.project_role import ProjectRole
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="InvitationBody")



@_attrs_define
class InvitationBody:
    """ The same whether or not the address has an account.

        Attributes:
            email (str):
            expires_at (str):
            id (UUID):
            invited_at (str):
            invited_by (None | UUID):
            project_id (UUID):
            role (ProjectRole):
     """

    email: str
    expires_at: str
    id: UUID
    invited_at: str
    invited_by: None | UUID
    project_id: UUID
    role: ProjectRole
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        expires_at = self.expires_at

        id = str(self.id)

        invited_at = self.invited_at

        invited_by: None | str
        if isinstance(self.invited_by, UUID):
            invited_by = str(self.invited_by)
        else:
            invited_by = self.invited_by

        project_id = str(self.project_id)

        role = self.role.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "email": email,
            "expires_at": expires_at,
            "id": id,
            "invited_at": invited_at,
            "invited_by": invited_by,
            "project_id": project_id,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        expires_at = d.pop("expires_at")

        id = UUID(d.pop("id"))




        invited_at = d.pop("invited_at")

        def _parse_invited_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                invited_by_type_0 = UUID(data)



                return invited_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        invited_by = _parse_invited_by(d.pop("invited_by"))


        project_id = UUID(d.pop("project_id"))




        role = ProjectRole(d.pop("role"))




        invitation_body = cls(
            email=email,
            expires_at=expires_at,
            id=id,
            invited_at=invited_at,
            invited_by=invited_by,
            project_id=project_id,
            role=role,
        )


        invitation_body.additional_properties = d
        return invitation_body

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
