from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ApiTokenCreate")



@_attrs_define
class ApiTokenCreate:
    """ 
        Attributes:
            expires_in_days (int): 1 to 366 days
            name (str):
     """

    expires_in_days: int
    name: str





    def to_dict(self) -> dict[str, Any]:
        expires_in_days = self.expires_in_days

        name = self.name


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "expires_in_days": expires_in_days,
            "name": name,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_in_days = d.pop("expires_in_days")

        name = d.pop("name")

        api_token_create = cls(
            expires_in_days=expires_in_days,
            name=name,
        )

        return api_token_create

