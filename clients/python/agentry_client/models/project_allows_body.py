from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ProjectAllowsBody")



@_attrs_define
class ProjectAllowsBody:
    """ 
        Attributes:
            entries (list[str] | None): The project's allowed_tools entries naming them (e.g. Bash(git:*)); null: no list
            runner_allowed (bool): Whether the project's tasks may run on this runner
            tools (list[str]): The runner's tools the project allows, in the runner's order
     """

    entries: list[str] | None
    runner_allowed: bool
    tools: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        entries: list[str] | None
        if isinstance(self.entries, list):
            entries = self.entries


        else:
            entries = self.entries

        runner_allowed = self.runner_allowed

        tools = self.tools




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entries": entries,
            "runner_allowed": runner_allowed,
            "tools": tools,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_entries(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                entries_type_0 = cast(list[str], data)

                return entries_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        entries = _parse_entries(d.pop("entries"))


        runner_allowed = d.pop("runner_allowed")

        tools = cast(list[str], d.pop("tools"))


        project_allows_body = cls(
            entries=entries,
            runner_allowed=runner_allowed,
            tools=tools,
        )


        project_allows_body.additional_properties = d
        return project_allows_body

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
