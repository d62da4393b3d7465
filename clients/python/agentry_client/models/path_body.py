from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.entity_body import EntityBody
  from ..models.relationship_body import RelationshipBody





T = TypeVar("T", bound="PathBody")



@_attrs_define
class PathBody:
    """ `relationships[i]` joins `entities[i]` and `entities[i + 1]`; none found: both empty.

        Attributes:
            entities (list[EntityBody]):
            found (bool):
            relationships (list[RelationshipBody]):
     """

    entities: list[EntityBody]
    found: bool
    relationships: list[RelationshipBody]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_body import EntityBody # noqa: PLC0415
        from ..models.relationship_body import RelationshipBody # noqa: PLC0415
        entities = []
        for entities_item_data in self.entities:
            entities_item = entities_item_data.to_dict()
            entities.append(entities_item)



        found = self.found

        relationships = []
        for relationships_item_data in self.relationships:
            relationships_item = relationships_item_data.to_dict()
            relationships.append(relationships_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entities": entities,
            "found": found,
            "relationships": relationships,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_body import EntityBody # noqa: PLC0415
        from ..models.relationship_body import RelationshipBody # noqa: PLC0415
        d = dict(src_dict)
        entities = []
        _entities = d.pop("entities")
        for entities_item_data in (_entities):
            entities_item = EntityBody.from_dict(entities_item_data)



            entities.append(entities_item)


        found = d.pop("found")

        relationships = []
        _relationships = d.pop("relationships")
        for relationships_item_data in (_relationships):
            relationships_item = RelationshipBody.from_dict(relationships_item_data)



            relationships.append(relationships_item)


        path_body = cls(
            entities=entities,
            found=found,
            relationships=relationships,
        )


        path_body.additional_properties = d
        return path_body

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
