from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="ProfileUpdate")



@_attrs_define
class ProfileUpdate:
    """ 
        Attributes:
            current_password (str | Unset):
            display_name (str | Unset):
            email (str | Unset):
     """

    current_password: str | Unset = UNSET
    display_name: str | Unset = UNSET
    email: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        current_password = self.current_password

        display_name = self.display_name

        email = self.email


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if current_password is not UNSET:
            field_dict["current_password"] = current_password
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        current_password = d.pop("current_password", UNSET)

        display_name = d.pop("display_name", UNSET)

        email = d.pop("email", UNSET)

        profile_update = cls(
            current_password=current_password,
            display_name=display_name,
            email=email,
        )

        return profile_update

