from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.entity_hit_body import EntityHitBody
  from ..models.search_hit_body import SearchHitBody





T = TypeVar("T", bound="SearchResultsBody")



@_attrs_define
class SearchResultsBody:
    """ 
        Attributes:
            entities (list[EntityHitBody]):
            hits (list[SearchHitBody]):
            query (str):
     """

    entities: list[EntityHitBody]
    hits: list[SearchHitBody]
    query: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_hit_body import EntityHitBody # noqa: PLC0415
        from ..models.search_hit_body import SearchHitBody # noqa: PLC0415
        entities = []
        for entities_item_data in self.entities:
            entities_item = entities_item_data.to_dict()
            entities.append(entities_item)



        hits = []
        for hits_item_data in self.hits:
            hits_item = hits_item_data.to_dict()
            hits.append(hits_item)



        query = self.query


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entities": entities,
            "hits": hits,
            "query": query,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_hit_body import EntityHitBody # noqa: PLC0415
        from ..models.search_hit_body import SearchHitBody # noqa: PLC0415
        d = dict(src_dict)
        entities = []
        _entities = d.pop("entities")
        for entities_item_data in (_entities):
            entities_item = EntityHitBody.from_dict(entities_item_data)



            entities.append(entities_item)


        hits = []
        _hits = d.pop("hits")
        for hits_item_data in (_hits):
            hits_item = SearchHitBody.from_dict(hits_item_data)



            hits.append(hits_item)


        query = d.pop("query")

        search_results_body = cls(
            entities=entities,
            hits=hits,
            query=query,
        )


        search_results_body.additional_properties = d
        return search_results_body

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
