from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="MergeBody")



@_attrs_define
class MergeBody:
    """ 
        Attributes:
            others (list[UUID]):
     """

    others: list[UUID]





    def to_dict(self) -> dict[str, Any]:
        others = []
        for others_item_data in self.others:
            others_item = str(others_item_data)
            others.append(others_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "others": others,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        others = []
        _others = d.pop("others")
        for others_item_data in (_others):
            others_item = UUID(others_item_data)



            others.append(others_item)


        merge_body = cls(
            others=others,
        )

        return merge_body

