from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="SessionChange")



@_attrs_define
class SessionChange:
    """ 
        Attributes:
            archived (bool | Unset):
            title (str | Unset):
     """

    archived: bool | Unset = UNSET
    title: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        archived = self.archived

        title = self.title


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if archived is not UNSET:
            field_dict["archived"] = archived
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        archived = d.pop("archived", UNSET)

        title = d.pop("title", UNSET)

        session_change = cls(
            archived=archived,
            title=title,
        )

        return session_change

