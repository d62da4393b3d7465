from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.entity_create_properties import EntityCreateProperties





T = TypeVar("T", bound="EntityCreate")



@_attrs_define
class EntityCreate:
    """ 
        Attributes:
            name (str):
            type_ (str):
            aliases (list[str] | Unset):
            description (str | Unset):  Default: ''.
            properties (EntityCreateProperties | Unset):
     """

    name: str
    type_: str
    aliases: list[str] | Unset = UNSET
    description: str | Unset = ''
    properties: EntityCreateProperties | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_create_properties import EntityCreateProperties # noqa: PLC0415
        name = self.name

        type_ = self.type_

        aliases: list[str] | Unset = UNSET
        if not isinstance(self.aliases, Unset):
            aliases = self.aliases



        description = self.description

        properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.properties, Unset):
            properties = self.properties.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "type": type_,
        })
        if aliases is not UNSET:
            field_dict["aliases"] = aliases
        if description is not UNSET:
            field_dict["description"] = description
        if properties is not UNSET:
            field_dict["properties"] = properties

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_create_properties import EntityCreateProperties # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        type_ = d.pop("type")

        aliases = cast(list[str], d.pop("aliases", UNSET))


        description = d.pop("description", UNSET)

        _properties = d.pop("properties", UNSET)
        properties: EntityCreateProperties | Unset
        if isinstance(_properties,  Unset):
            properties = UNSET
        else:
            properties = EntityCreateProperties.from_dict(_properties)




        entity_create = cls(
            name=name,
            type_=type_,
            aliases=aliases,
            description=description,
            properties=properties,
        )

        return entity_create

