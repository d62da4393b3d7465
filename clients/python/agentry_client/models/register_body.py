from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.global_role import GlobalRole
from ..types import UNSET, Unset






T = TypeVar("T", bound="RegisterBody")



@_attrs_define
class RegisterBody:
    """ 
        Attributes:
            display_name (str):
            email (str):
            password (str):
            role (GlobalRole | Unset):
     """

    display_name: str
    email: str
    password: str
    role: GlobalRole | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        email = self.email

        password = self.password

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "display_name": display_name,
            "email": email,
            "password": password,
        })
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        display_name = d.pop("display_name")

        email = d.pop("email")

        password = d.pop("password")

        _role = d.pop("role", UNSET)
        role: GlobalRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = GlobalRole(_role)




        register_body = cls(
            display_name=display_name,
            email=email,
            password=password,
            role=role,
        )

        return register_body

