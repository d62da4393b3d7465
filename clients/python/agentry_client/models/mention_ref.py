from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="MentionRef")



@_attrs_define
class MentionRef:
    """ `text[start:end]` of the chunk `chunk_id` of the document `document_id`.

        Attributes:
            chunk_id (UUID):
            document_id (UUID):
            end (int):
            start (int):
     """

    chunk_id: UUID
    document_id: UUID
    end: int
    start: int





    def to_dict(self) -> dict[str, Any]:
        chunk_id = str(self.chunk_id)

        document_id = str(self.document_id)

        end = self.end

        start = self.start


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "chunk_id": chunk_id,
            "document_id": document_id,
            "end": end,
            "start": start,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunk_id = UUID(d.pop("chunk_id"))




        document_id = UUID(d.pop("document_id"))




        end = d.pop("end")

        start = d.pop("start")

        mention_ref = cls(
            chunk_id=chunk_id,
            document_id=document_id,
            end=end,
            start=start,
        )

        return mention_ref

