from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.entity_update_status import EntityUpdateStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.entity_update_properties import EntityUpdateProperties





T = TypeVar("T", bound="EntityUpdate")



@_attrs_define
class EntityUpdate:
    """ Each field given becomes a correction kept over what extraction finds.

        Attributes:
            aliases (list[str] | Unset):
            description (str | Unset):
            name (str | Unset):
            properties (EntityUpdateProperties | Unset):
            status (EntityUpdateStatus | Unset):
            type_ (str | Unset):
     """

    aliases: list[str] | Unset = UNSET
    description: str | Unset = UNSET
    name: str | Unset = UNSET
    properties: EntityUpdateProperties | Unset = UNSET
    status: EntityUpdateStatus | Unset = UNSET
    type_: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_update_properties import EntityUpdateProperties # noqa: PLC0415
        aliases: list[str] | Unset = UNSET
        if not isinstance(self.aliases, Unset):
            aliases = self.aliases



        description = self.description

        name = self.name

        properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.properties, Unset):
            properties = self.properties.to_dict()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        type_ = self.type_


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if aliases is not UNSET:
            field_dict["aliases"] = aliases
        if description is not UNSET:
            field_dict["description"] = description
        if name is not UNSET:
            field_dict["name"] = name
        if properties is not UNSET:
            field_dict["properties"] = properties
        if status is not UNSET:
            field_dict["status"] = status
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_update_properties import EntityUpdateProperties # noqa: PLC0415
        d = dict(src_dict)
        aliases = cast(list[str], d.pop("aliases", UNSET))


        description = d.pop("description", UNSET)

        name = d.pop("name", UNSET)

        _properties = d.pop("properties", UNSET)
        properties: EntityUpdateProperties | Unset
        if isinstance(_properties,  Unset):
            properties = UNSET
        else:
            properties = EntityUpdateProperties.from_dict(_properties)




        _status = d.pop("status", UNSET)
        status: EntityUpdateStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = EntityUpdateStatus(_status)




        type_ = d.pop("type", UNSET)

        entity_update = cls(
            aliases=aliases,
            description=description,
            name=name,
            properties=properties,
            status=status,
            type_=type_,
        )

        return entity_update

