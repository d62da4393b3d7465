from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ChatToolCallBody")



@_attrs_define
class ChatToolCallBody:
    """ 
        Attributes:
            id (None | str):
            input_ (Any):
            is_error (bool):
            name (str):
            result (None | str):
     """

    id: None | str
    input_: Any
    is_error: bool
    name: str
    result: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id: None | str
        id = self.id

        input_ = self.input_

        is_error = self.is_error

        name = self.name

        result: None | str
        result = self.result


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "input": input_,
            "is_error": is_error,
            "name": name,
            "result": result,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))


        input_ = d.pop("input")

        is_error = d.pop("is_error")

        name = d.pop("name")

        def _parse_result(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result = _parse_result(d.pop("result"))


        chat_tool_call_body = cls(
            id=id,
            input_=input_,
            is_error=is_error,
            name=name,
            result=result,
        )


        chat_tool_call_body.additional_properties = d
        return chat_tool_call_body

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
