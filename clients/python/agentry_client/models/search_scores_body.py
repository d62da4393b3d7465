from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="SearchScoresBody")



@_attrs_define
class SearchScoresBody:
    """ 
        Attributes:
            fused (float):
            text (float | None):
            vector (float | None):
     """

    fused: float
    text: float | None
    vector: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        fused = self.fused

        text: float | None
        text = self.text

        vector: float | None
        vector = self.vector


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "fused": fused,
            "text": text,
            "vector": vector,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fused = d.pop("fused")

        def _parse_text(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        text = _parse_text(d.pop("text"))


        def _parse_vector(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        vector = _parse_vector(d.pop("vector"))


        search_scores_body = cls(
            fused=fused,
            text=text,
            vector=vector,
        )


        search_scores_body.additional_properties = d
        return search_scores_body

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
