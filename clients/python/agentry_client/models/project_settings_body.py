from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.permission_mode import PermissionMode
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.public_chat_body import PublicChatBody





T = TypeVar("T", bound="ProjectSettingsBody")



@_attrs_define
class ProjectSettingsBody:
    """ 
        Attributes:
            allowed_hosts (list[str] | Unset): Hosts the project's runs may reach over HTTPS (through the worker's egress
                proxy) besides the Messages API: names such as pypi.org, wildcards such as *.github.com (the names under it), an
                optional :port (443 otherwise); no schemes, paths or IP addresses. Empty: none
            allowed_permission_modes (list[PermissionMode] | None | Unset):
            allowed_runners (list[str] | None | Unset):
            allowed_tools (list[str] | None | Unset):
            knowledge_min_confidence (float | Unset): The confidence an extracted fact needs to join the knowledge graph;
                under it, a candidate Default: 0.5.
            max_running (int | None | Unset):
            monthly_budget_usd (float | None | Unset):
            public_chat (None | PublicChatBody | Unset):
            public_publications (bool | Unset):  Default: False.
     """

    allowed_hosts: list[str] | Unset = UNSET
    allowed_permission_modes: list[PermissionMode] | None | Unset = UNSET
    allowed_runners: list[str] | None | Unset = UNSET
    allowed_tools: list[str] | None | Unset = UNSET
    knowledge_min_confidence: float | Unset = 0.5
    max_running: int | None | Unset = UNSET
    monthly_budget_usd: float | None | Unset = UNSET
    public_chat: None | PublicChatBody | Unset = UNSET
    public_publications: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        from ..models.public_chat_body import PublicChatBody # noqa: PLC0415
        allowed_hosts: list[str] | Unset = UNSET
        if not isinstance(self.allowed_hosts, Unset):
            allowed_hosts = self.allowed_hosts



        allowed_permission_modes: list[str] | None | Unset
        if isinstance(self.allowed_permission_modes, Unset):
            allowed_permission_modes = UNSET
        elif isinstance(self.allowed_permission_modes, list):
            allowed_permission_modes = []
            for allowed_permission_modes_type_0_item_data in self.allowed_permission_modes:
                allowed_permission_modes_type_0_item = allowed_permission_modes_type_0_item_data.value
                allowed_permission_modes.append(allowed_permission_modes_type_0_item)


        else:
            allowed_permission_modes = self.allowed_permission_modes

        allowed_runners: list[str] | None | Unset
        if isinstance(self.allowed_runners, Unset):
            allowed_runners = UNSET
        elif isinstance(self.allowed_runners, list):
            allowed_runners = self.allowed_runners


        else:
            allowed_runners = self.allowed_runners

        allowed_tools: list[str] | None | Unset
        if isinstance(self.allowed_tools, Unset):
            allowed_tools = UNSET
        elif isinstance(self.allowed_tools, list):
            allowed_tools = self.allowed_tools


        else:
            allowed_tools = self.allowed_tools

        knowledge_min_confidence = self.knowledge_min_confidence

        max_running: int | None | Unset
        if isinstance(self.max_running, Unset):
            max_running = UNSET
        else:
            max_running = self.max_running

        monthly_budget_usd: float | None | Unset
        if isinstance(self.monthly_budget_usd, Unset):
            monthly_budget_usd = UNSET
        else:
            monthly_budget_usd = self.monthly_budget_usd

        public_chat: dict[str, Any] | None | Unset
        if isinstance(self.public_chat, Unset):
            public_chat = UNSET
        elif isinstance(self.public_chat, PublicChatBody):
            public_chat = self.public_chat.to_dict()
        else:
            public_chat = self.public_chat

        public_publications = self.public_publications


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if allowed_hosts is not UNSET:
            field_dict["allowed_hosts"] = allowed_hosts
        if allowed_permission_modes is not UNSET:
            field_dict["allowed_permission_modes"] = allowed_permission_modes
        if allowed_runners is not UNSET:
            field_dict["allowed_runners"] = allowed_runners
        if allowed_tools is not UNSET:
            field_dict["allowed_tools"] = allowed_tools
        if knowledge_min_confidence is not UNSET:
            field_dict["knowledge_min_confidence"] = knowledge_min_confidence
        if max_running is not UNSET:
            field_dict["max_running"] = max_running
        if monthly_budget_usd is not UNSET:
            field_dict["monthly_budget_usd"] = monthly_budget_usd
        if public_chat is not UNSET:
            field_dict["public_chat"] = public_chat
        if public_publications is not UNSET:
            field_dict["public_publications"] = public_publications

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.public_chat_body import PublicChatBody # noqa: PLC0415
        d = dict(src_dict)
        allowed_hosts = cast(list[str], d.pop("allowed_hosts", UNSET))


        def _parse_allowed_permission_modes(data: object) -> list[PermissionMode] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_permission_modes_type_0 = []
                _allowed_permission_modes_type_0 = data
                for allowed_permission_modes_type_0_item_data in (_allowed_permission_modes_type_0):
                    allowed_permission_modes_type_0_item = PermissionMode(allowed_permission_modes_type_0_item_data)



                    allowed_permission_modes_type_0.append(allowed_permission_modes_type_0_item)

                return allowed_permission_modes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PermissionMode] | None | Unset, data)

        allowed_permission_modes = _parse_allowed_permission_modes(d.pop("allowed_permission_modes", UNSET))


        def _parse_allowed_runners(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_runners_type_0 = cast(list[str], data)

                return allowed_runners_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_runners = _parse_allowed_runners(d.pop("allowed_runners", UNSET))


        def _parse_allowed_tools(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_tools_type_0 = cast(list[str], data)

                return allowed_tools_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_tools = _parse_allowed_tools(d.pop("allowed_tools", UNSET))


        knowledge_min_confidence = d.pop("knowledge_min_confidence", UNSET)

        def _parse_max_running(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_running = _parse_max_running(d.pop("max_running", UNSET))


        def _parse_monthly_budget_usd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        monthly_budget_usd = _parse_monthly_budget_usd(d.pop("monthly_budget_usd", UNSET))


        def _parse_public_chat(data: object) -> None | PublicChatBody | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                public_chat_type_0 = PublicChatBody.from_dict(data)



                return public_chat_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PublicChatBody | Unset, data)

        public_chat = _parse_public_chat(d.pop("public_chat", UNSET))


        public_publications = d.pop("public_publications", UNSET)

        project_settings_body = cls(
            allowed_hosts=allowed_hosts,
            allowed_permission_modes=allowed_permission_modes,
            allowed_runners=allowed_runners,
            allowed_tools=allowed_tools,
            knowledge_min_confidence=knowledge_min_confidence,
            max_running=max_running,
            monthly_budget_usd=monthly_budget_usd,
            public_chat=public_chat,
            public_publications=public_publications,
        )

        return project_settings_body

