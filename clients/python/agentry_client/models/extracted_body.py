from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.extracted_body_properties import ExtractedBodyProperties





T = TypeVar("T", bound="ExtractedBody")



@_attrs_define
class ExtractedBody:
    """ 
        Attributes:
            aliases (list[str]):
            description (str):
            name (str):
            properties (ExtractedBodyProperties):
            status (str):
            type_ (str):
     """

    aliases: list[str]
    description: str
    name: str
    properties: ExtractedBodyProperties
    status: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.extracted_body_properties import ExtractedBodyProperties # noqa: PLC0415
        aliases = self.aliases



        description = self.description

        name = self.name

        properties = self.properties.to_dict()

        status = self.status

        type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "aliases": aliases,
            "description": description,
            "name": name,
            "properties": properties,
            "status": status,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.extracted_body_properties import ExtractedBodyProperties # noqa: PLC0415
        d = dict(src_dict)
        aliases = cast(list[str], d.pop("aliases"))


        description = d.pop("description")

        name = d.pop("name")

        properties = ExtractedBodyProperties.from_dict(d.pop("properties"))




        status = d.pop("status")

        type_ = d.pop("type")

        extracted_body = cls(
            aliases=aliases,
            description=description,
            name=name,
            properties=properties,
            status=status,
            type_=type_,
        )


        extracted_body.additional_properties = d
        return extracted_body

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
