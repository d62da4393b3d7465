from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.project_allows_body import ProjectAllowsBody





T = TypeVar("T", bound="RunnerToolsBody")



@_attrs_define
class RunnerToolsBody:
    """ 
        Attributes:
            default (bool): The runner tasks use unless they name another
            error (None | str): Why its tools are unknown now
            project (None | ProjectAllowsBody): With project_id: what the project allows
            runner (str):
            source (None | str): init_event: read from the Claude Code CLI; fixed: the runner's own list
            tools (list[str] | None): What it offers; null when it cannot be learnt now
            version (None | str): The runner's version (the Claude Code CLI's)
     """

    default: bool
    error: None | str
    project: None | ProjectAllowsBody
    runner: str
    source: None | str
    tools: list[str] | None
    version: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.project_allows_body import ProjectAllowsBody # noqa: PLC0415
        default = self.default

        error: None | str
        error = self.error

        project: dict[str, Any] | None
        if isinstance(self.project, ProjectAllowsBody):
            project = self.project.to_dict()
        else:
            project = self.project

        runner = self.runner

        source: None | str
        source = self.source

        tools: list[str] | None
        if isinstance(self.tools, list):
            tools = self.tools


        else:
            tools = self.tools

        version: None | str
        version = self.version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "default": default,
            "error": error,
            "project": project,
            "runner": runner,
            "source": source,
            "tools": tools,
            "version": version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project_allows_body import ProjectAllowsBody # noqa: PLC0415
        d = dict(src_dict)
        default = d.pop("default")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        def _parse_project(data: object) -> None | ProjectAllowsBody:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                project_type_0 = ProjectAllowsBody.from_dict(data)



                return project_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProjectAllowsBody, data)

        project = _parse_project(d.pop("project"))


        runner = d.pop("runner")

        def _parse_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source = _parse_source(d.pop("source"))


        def _parse_tools(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tools_type_0 = cast(list[str], data)

                return tools_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        tools = _parse_tools(d.pop("tools"))


        def _parse_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        version = _parse_version(d.pop("version"))


        runner_tools_body = cls(
            default=default,
            error=error,
            project=project,
            runner=runner,
            source=source,
            tools=tools,
            version=version,
        )


        runner_tools_body.additional_properties = d
        return runner_tools_body

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
