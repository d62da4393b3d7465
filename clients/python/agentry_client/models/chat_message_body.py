from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.chat_message_body_error_type_0 import ChatMessageBodyErrorType0
  from ..models.chat_tool_call_body import ChatToolCallBody
  from ..models.chat_usage_body import ChatUsageBody





T = TypeVar("T", bound="ChatMessageBody")



@_attrs_define
class ChatMessageBody:
    """ 
        Attributes:
            at (str):
            role (str):
            status (str):
            text (str):
            turn (int):
            turn_id (UUID):
            error (ChatMessageBodyErrorType0 | None | Unset):
            tool_calls (list[ChatToolCallBody] | Unset):
            usage (ChatUsageBody | None | Unset):
     """

    at: str
    role: str
    status: str
    text: str
    turn: int
    turn_id: UUID
    error: ChatMessageBodyErrorType0 | None | Unset = UNSET
    tool_calls: list[ChatToolCallBody] | Unset = UNSET
    usage: ChatUsageBody | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_message_body_error_type_0 import ChatMessageBodyErrorType0 # noqa: PLC0415
        from ..models.chat_tool_call_body import ChatToolCallBody # noqa: PLC0415
        from ..models.chat_usage_body import ChatUsageBody # noqa: PLC0415
        at = self.at

        role = self.role

        status = self.status

        text = self.text

        turn = self.turn

        turn_id = str(self.turn_id)

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, ChatMessageBodyErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        tool_calls: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tool_calls, Unset):
            tool_calls = []
            for tool_calls_item_data in self.tool_calls:
                tool_calls_item = tool_calls_item_data.to_dict()
                tool_calls.append(tool_calls_item)



        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, ChatUsageBody):
            usage = self.usage.to_dict()
        else:
            usage = self.usage


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "at": at,
            "role": role,
            "status": status,
            "text": text,
            "turn": turn,
            "turn_id": turn_id,
        })
        if error is not UNSET:
            field_dict["error"] = error
        if tool_calls is not UNSET:
            field_dict["tool_calls"] = tool_calls
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_message_body_error_type_0 import ChatMessageBodyErrorType0 # noqa: PLC0415
        from ..models.chat_tool_call_body import ChatToolCallBody # noqa: PLC0415
        from ..models.chat_usage_body import ChatUsageBody # noqa: PLC0415
        d = dict(src_dict)
        at = d.pop("at")

        role = d.pop("role")

        status = d.pop("status")

        text = d.pop("text")

        turn = d.pop("turn")

        turn_id = UUID(d.pop("turn_id"))




        def _parse_error(data: object) -> ChatMessageBodyErrorType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = ChatMessageBodyErrorType0.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatMessageBodyErrorType0 | None | Unset, data)

        error = _parse_error(d.pop("error", UNSET))


        _tool_calls = d.pop("tool_calls", UNSET)
        tool_calls: list[ChatToolCallBody] | Unset = UNSET
        if _tool_calls is not UNSET:
            tool_calls = []
            for tool_calls_item_data in _tool_calls:
                tool_calls_item = ChatToolCallBody.from_dict(tool_calls_item_data)



                tool_calls.append(tool_calls_item)


        def _parse_usage(data: object) -> ChatUsageBody | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_0 = ChatUsageBody.from_dict(data)



                return usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatUsageBody | None | Unset, data)

        usage = _parse_usage(d.pop("usage", UNSET))


        chat_message_body = cls(
            at=at,
            role=role,
            status=status,
            text=text,
            turn=turn,
            turn_id=turn_id,
            error=error,
            tool_calls=tool_calls,
            usage=usage,
        )


        chat_message_body.additional_properties = d
        return chat_message_body

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
