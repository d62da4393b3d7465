from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.log_line_body import LogLineBody





T = TypeVar("T", bound="LogPageBody")



@_attrs_define
class LogPageBody:
    """ 
        Attributes:
            execution_number (int | None):
            items (list[LogLineBody]):
            next_after (int):
     """

    execution_number: int | None
    items: list[LogLineBody]
    next_after: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.log_line_body import LogLineBody # noqa: PLC0415
        execution_number: int | None
        execution_number = self.execution_number

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        next_after = self.next_after


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "execution_number": execution_number,
            "items": items,
            "next_after": next_after,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.log_line_body import LogLineBody # noqa: PLC0415
        d = dict(src_dict)
        def _parse_execution_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        execution_number = _parse_execution_number(d.pop("execution_number"))


        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = LogLineBody.from_dict(items_item_data)



            items.append(items_item)


        next_after = d.pop("next_after")

        log_page_body = cls(
            execution_number=execution_number,
            items=items,
            next_after=next_after,
        )


        log_page_body.additional_properties = d
        return log_page_body

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
