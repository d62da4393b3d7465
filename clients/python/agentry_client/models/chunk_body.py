from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="ChunkBody")



@_attrs_define
class ChunkBody:
    """ 
        Attributes:
            end (int):
            id (UUID):
            ordinal (int):
            start (int):
            text (str):
     """

    end: int
    id: UUID
    ordinal: int
    start: int
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        end = self.end

        id = str(self.id)

        ordinal = self.ordinal

        start = self.start

        text = self.text


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "end": end,
            "id": id,
            "ordinal": ordinal,
            "start": start,
            "text": text,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end = d.pop("end")

        id = UUID(d.pop("id"))




        ordinal = d.pop("ordinal")

        start = d.pop("start")

        text = d.pop("text")

        chunk_body = cls(
            end=end,
            id=id,
            ordinal=ordinal,
            start=start,
            text=text,
        )


        chunk_body.additional_properties = d
        return chunk_body

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
