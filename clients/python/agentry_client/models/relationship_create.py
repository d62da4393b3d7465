from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="RelationshipCreate")



@_attrs_define
class RelationshipCreate:
    """ 
        Attributes:
            source_id (UUID):
            target_id (UUID):
            type_ (str):
     """

    source_id: UUID
    target_id: UUID
    type_: str





    def to_dict(self) -> dict[str, Any]:
        source_id = str(self.source_id)

        target_id = str(self.target_id)

        type_ = self.type_


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "source_id": source_id,
            "target_id": target_id,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source_id = UUID(d.pop("source_id"))




        target_id = UUID(d.pop("target_id"))




        type_ = d.pop("type")

        relationship_create = cls(
            source_id=source_id,
            target_id=target_id,
            type_=type_,
        )

        return relationship_create

