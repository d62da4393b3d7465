from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PublicChatBody")



@_attrs_define
class PublicChatBody:
    """ Chat open to browsers without an account (README "Public chat"); limits per visitor, and a daily
        cap on what the project's public chat spends.

        Attributes:
            allowed_tools (list[str] | Unset):
            daily_cost_usd (float | Unset):  Default: 5.0.
            messages_per_day (int | Unset):  Default: 50.
            messages_per_minute (int | Unset):  Default: 5.
            runner (None | str | Unset):
            tokens_per_session (int | Unset):  Default: 200000.
     """

    allowed_tools: list[str] | Unset = UNSET
    daily_cost_usd: float | Unset = 5.0
    messages_per_day: int | Unset = 50
    messages_per_minute: int | Unset = 5
    runner: None | str | Unset = UNSET
    tokens_per_session: int | Unset = 200000





    def to_dict(self) -> dict[str, Any]:
        allowed_tools: list[str] | Unset = UNSET
        if not isinstance(self.allowed_tools, Unset):
            allowed_tools = self.allowed_tools



        daily_cost_usd = self.daily_cost_usd

        messages_per_day = self.messages_per_day

        messages_per_minute = self.messages_per_minute

        runner: None | str | Unset
        if isinstance(self.runner, Unset):
            runner = UNSET
        else:
            runner = self.runner

        tokens_per_session = self.tokens_per_session


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if allowed_tools is not UNSET:
            field_dict["allowed_tools"] = allowed_tools
        if daily_cost_usd is not UNSET:
            field_dict["daily_cost_usd"] = daily_cost_usd
        if messages_per_day is not UNSET:
            field_dict["messages_per_day"] = messages_per_day
        if messages_per_minute is not UNSET:
            field_dict["messages_per_minute"] = messages_per_minute
        if runner is not UNSET:
            field_dict["runner"] = runner
        if tokens_per_session is not UNSET:
            field_dict["tokens_per_session"] = tokens_per_session

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allowed_tools = cast(list[str], d.pop("allowed_tools", UNSET))


        daily_cost_usd = d.pop("daily_cost_usd", UNSET)

        messages_per_day = d.pop("messages_per_day", UNSET)

        messages_per_minute = d.pop("messages_per_minute", UNSET)

        def _parse_runner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        runner = _parse_runner(d.pop("runner", UNSET))


        tokens_per_session = d.pop("tokens_per_session", UNSET)

        public_chat_body = cls(
            allowed_tools=allowed_tools,
            daily_cost_usd=daily_cost_usd,
            messages_per_day=messages_per_day,
            messages_per_minute=messages_per_minute,
            runner=runner,
            tokens_per_session=tokens_per_session,
        )

        return public_chat_body

