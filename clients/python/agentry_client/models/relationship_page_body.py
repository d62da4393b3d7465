from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.relationship_body import RelationshipBody





T = TypeVar("T", bound="RelationshipPageBody")



@_attrs_define
class RelationshipPageBody:
    """ 
        Attributes:
            next_cursor (None | str):
            relationships (list[RelationshipBody]):
     """

    next_cursor: None | str
    relationships: list[RelationshipBody]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.relationship_body import RelationshipBody # noqa: PLC0415
        next_cursor: None | str
        next_cursor = self.next_cursor

        relationships = []
        for relationships_item_data in self.relationships:
            relationships_item = relationships_item_data.to_dict()
            relationships.append(relationships_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "next_cursor": next_cursor,
            "relationships": relationships,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.relationship_body import RelationshipBody # noqa: PLC0415
        d = dict(src_dict)
        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))


        relationships = []
        _relationships = d.pop("relationships")
        for relationships_item_data in (_relationships):
            relationships_item = RelationshipBody.from_dict(relationships_item_data)



            relationships.append(relationships_item)


        relationship_page_body = cls(
            next_cursor=next_cursor,
            relationships=relationships,
        )


        relationship_page_body.additional_properties = d
        return relationship_page_body

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
