from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.global_role import GlobalRole
from ..types import UNSET, Unset






T = TypeVar("T", bound="UserUpdate")



@_attrs_define
class UserUpdate:
    """ 
        Attributes:
            active (bool | Unset): false ends the user's sessions and revokes their API tokens; true lets them log in again
            role (GlobalRole | Unset):
     """

    active: bool | Unset = UNSET
    role: GlobalRole | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        active = self.active

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if active is not UNSET:
            field_dict["active"] = active
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active", UNSET)

        _role = d.pop("role", UNSET)
        role: GlobalRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = GlobalRole(_role)




        user_update = cls(
            active=active,
            role=role,
        )

        return user_update

