from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="NewApiTokenBody")



@_attrs_define
class NewApiTokenBody:
    """ 
        Attributes:
            created_at (str):
            expires_at (str):
            id (UUID):
            name (str):
            prefix (str):
            token (str): The secret (agt_…) to send as 'Authorization: Bearer'; shown this once only
     """

    created_at: str
    expires_at: str
    id: UUID
    name: str
    prefix: str
    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        expires_at = self.expires_at

        id = str(self.id)

        name = self.name

        prefix = self.prefix

        token = self.token


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created_at": created_at,
            "expires_at": expires_at,
            "id": id,
            "name": name,
            "prefix": prefix,
            "token": token,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        expires_at = d.pop("expires_at")

        id = UUID(d.pop("id"))




        name = d.pop("name")

        prefix = d.pop("prefix")

        token = d.pop("token")

        new_api_token_body = cls(
            created_at=created_at,
            expires_at=expires_at,
            id=id,
            name=name,
            prefix=prefix,
            token=token,
        )


        new_api_token_body.additional_properties = d
        return new_api_token_body

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
