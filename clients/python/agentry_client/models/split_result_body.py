from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.entity_body import EntityBody





T = TypeVar("T", bound="SplitResultBody")



@_attrs_define
class SplitResultBody:
    """ 
        Attributes:
            entity (EntityBody):
            split_off (EntityBody):
     """

    entity: EntityBody
    split_off: EntityBody
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_body import EntityBody # noqa: PLC0415
        entity = self.entity.to_dict()

        split_off = self.split_off.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entity": entity,
            "split_off": split_off,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_body import EntityBody # noqa: PLC0415
        d = dict(src_dict)
        entity = EntityBody.from_dict(d.pop("entity"))




        split_off = EntityBody.from_dict(d.pop("split_off"))




        split_result_body = cls(
            entity=entity,
            split_off=split_off,
        )


        split_result_body.additional_properties = d
        return split_result_body

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
