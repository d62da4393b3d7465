from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.entity_span_body import EntitySpanBody





T = TypeVar("T", bound="EntityHitBody")



@_attrs_define
class EntityHitBody:
    """ 
        Attributes:
            aliases (list[str]):
            entity_id (UUID):
            fused_score (float):
            name (str):
            score (float): The text score; 0 when only the vector found it
            spans (list[EntitySpanBody]):
            type_ (str):
            vector_score (float | None): Cosine similarity of the query and the name; null when not found by vector
     """

    aliases: list[str]
    entity_id: UUID
    fused_score: float
    name: str
    score: float
    spans: list[EntitySpanBody]
    type_: str
    vector_score: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_span_body import EntitySpanBody # noqa: PLC0415
        aliases = self.aliases



        entity_id = str(self.entity_id)

        fused_score = self.fused_score

        name = self.name

        score = self.score

        spans = []
        for spans_item_data in self.spans:
            spans_item = spans_item_data.to_dict()
            spans.append(spans_item)



        type_ = self.type_

        vector_score: float | None
        vector_score = self.vector_score


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "aliases": aliases,
            "entity_id": entity_id,
            "fused_score": fused_score,
            "name": name,
            "score": score,
            "spans": spans,
            "type": type_,
            "vector_score": vector_score,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_span_body import EntitySpanBody # noqa: PLC0415
        d = dict(src_dict)
        aliases = cast(list[str], d.pop("aliases"))


        entity_id = UUID(d.pop("entity_id"))




        fused_score = d.pop("fused_score")

        name = d.pop("name")

        score = d.pop("score")

        spans = []
        _spans = d.pop("spans")
        for spans_item_data in (_spans):
            spans_item = EntitySpanBody.from_dict(spans_item_data)



            spans.append(spans_item)


        type_ = d.pop("type")

        def _parse_vector_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        vector_score = _parse_vector_score(d.pop("vector_score"))


        entity_hit_body = cls(
            aliases=aliases,
            entity_id=entity_id,
            fused_score=fused_score,
            name=name,
            score=score,
            spans=spans,
            type_=type_,
            vector_score=vector_score,
        )


        entity_hit_body.additional_properties = d
        return entity_hit_body

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
