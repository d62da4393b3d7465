from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.search_scores_body import SearchScoresBody





T = TypeVar("T", bound="SearchHitBody")



@_attrs_define
class SearchHitBody:
    """ 
        Attributes:
            chunk_id (UUID):
            document_id (UUID):
            end (int):
            ordinal (int):
            scores (SearchScoresBody):
            snippet (str):
            start (int):
            title (str):
     """

    chunk_id: UUID
    document_id: UUID
    end: int
    ordinal: int
    scores: SearchScoresBody
    snippet: str
    start: int
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.search_scores_body import SearchScoresBody # noqa: PLC0415
        chunk_id = str(self.chunk_id)

        document_id = str(self.document_id)

        end = self.end

        ordinal = self.ordinal

        scores = self.scores.to_dict()

        snippet = self.snippet

        start = self.start

        title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "chunk_id": chunk_id,
            "document_id": document_id,
            "end": end,
            "ordinal": ordinal,
            "scores": scores,
            "snippet": snippet,
            "start": start,
            "title": title,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.search_scores_body import SearchScoresBody # noqa: PLC0415
        d = dict(src_dict)
        chunk_id = UUID(d.pop("chunk_id"))




        document_id = UUID(d.pop("document_id"))




        end = d.pop("end")

        ordinal = d.pop("ordinal")

        scores = SearchScoresBody.from_dict(d.pop("scores"))




        snippet = d.pop("snippet")

        start = d.pop("start")

        title = d.pop("title")

        search_hit_body = cls(
            chunk_id=chunk_id,
            document_id=document_id,
            end=end,
            ordinal=ordinal,
            scores=scores,
            snippet=snippet,
            start=start,
            title=title,
        )


        search_hit_body.additional_properties = d
        return search_hit_body

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
