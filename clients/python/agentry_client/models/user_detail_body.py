from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.global_role import GlobalRole
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.user_membership_body import UserMembershipBody





T = TypeVar("T", bound="UserDetailBody")



@_attrs_define
class UserDetailBody:
    """ 
        Attributes:
            active (bool):
            created_at (str):
            display_name (str):
            email (str):
            id (UUID):
            memberships (list[UserMembershipBody]): In the order the user joined
            role (GlobalRole):
            updated_at (str):
     """

    active: bool
    created_at: str
    display_name: str
    email: str
    id: UUID
    memberships: list[UserMembershipBody]
    role: GlobalRole
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.user_membership_body import UserMembershipBody # noqa: PLC0415
        active = self.active

        created_at = self.created_at

        display_name = self.display_name

        email = self.email

        id = str(self.id)

        memberships = []
        for memberships_item_data in self.memberships:
            memberships_item = memberships_item_data.to_dict()
            memberships.append(memberships_item)



        role = self.role.value

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "active": active,
            "created_at": created_at,
            "display_name": display_name,
            "email": email,
            "id": id,
            "memberships": memberships,
            "role": role,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user_membership_body import UserMembershipBody # noqa: PLC0415
        d = dict(src_dict)
        active = d.pop("active")

        created_at = d.pop("created_at")

        display_name = d.pop("display_name")

        email = d.pop("email")

        id = UUID(d.pop("id"))




        memberships = []
        _memberships = d.pop("memberships")
        for memberships_item_data in (_memberships):
            memberships_item = UserMembershipBody.from_dict(memberships_item_data)



            memberships.append(memberships_item)


        role = GlobalRole(d.pop("role"))




        updated_at = d.pop("updated_at")

        user_detail_body = cls(
            active=active,
            created_at=created_at,
            display_name=display_name,
            email=email,
            id=id,
            memberships=memberships,
            role=role,
            updated_at=updated_at,
        )


        user_detail_body.additional_properties = d
        return user_detail_body

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
