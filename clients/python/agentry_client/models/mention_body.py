from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.extractor_kind import ExtractorKind
from uuid import UUID






T = TypeVar("T", bound="MentionBody")



@_attrs_define
class MentionBody:
    """ `text[start:end]` of the chunk `chunk_id` of the document `document_id`, and who read it there.

        Attributes:
            chunk_id (UUID):
            document_id (UUID):
            end (int):
            extractor (ExtractorKind): Who read it there: offline rules, a model, or a person
            start (int):
     """

    chunk_id: UUID
    document_id: UUID
    end: int
    extractor: ExtractorKind
    start: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        chunk_id = str(self.chunk_id)

        document_id = str(self.document_id)

        end = self.end

        extractor = self.extractor.value

        start = self.start


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "chunk_id": chunk_id,
            "document_id": document_id,
            "end": end,
            "extractor": extractor,
            "start": start,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunk_id = UUID(d.pop("chunk_id"))




        document_id = UUID(d.pop("document_id"))




        end = d.pop("end")

        extractor = ExtractorKind(d.pop("extractor"))




        start = d.pop("start")

        mention_body = cls(
            chunk_id=chunk_id,
            document_id=document_id,
            end=end,
            extractor=extractor,
            start=start,
        )


        mention_body.additional_properties = d
        return mention_body

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
