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
  from ..models.task_options_body_script_type_0_item import TaskOptionsBodyScriptType0Item





T = TypeVar("T", bound="TaskOptionsBody")



@_attrs_define
class TaskOptionsBody:
    """ 
        Attributes:
            allowed_tools (list[str] | Unset): Tools the agent may use without asking, e.g. Read, Bash(git:*). Where the
                project restricts tools, each must be in its allowed_tools (exactly as written), and none means the project's
            append_system_prompt (None | str | Unset):
            inactivity_timeout_s (int | Unset):  Default: 300.
            max_budget_usd (float | None | Unset):
            max_turns (int | None | Unset):
            model (None | str | Unset):
            permission_mode (PermissionMode | Unset): Must be among the project's allowed_permission_modes;
                bypassPermissions needs a sandboxed runner
            runner (None | str | Unset):
            script (list[TaskOptionsBodyScriptType0Item] | None | Unset):
            time_limit_s (int | Unset):  Default: 3600.
     """

    allowed_tools: list[str] | Unset = UNSET
    append_system_prompt: None | str | Unset = UNSET
    inactivity_timeout_s: int | Unset = 300
    max_budget_usd: float | None | Unset = UNSET
    max_turns: int | None | Unset = UNSET
    model: None | str | Unset = UNSET
    permission_mode: PermissionMode | Unset = UNSET
    runner: None | str | Unset = UNSET
    script: list[TaskOptionsBodyScriptType0Item] | None | Unset = UNSET
    time_limit_s: int | Unset = 3600





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_options_body_script_type_0_item import TaskOptionsBodyScriptType0Item # noqa: PLC0415
        allowed_tools: list[str] | Unset = UNSET
        if not isinstance(self.allowed_tools, Unset):
            allowed_tools = self.allowed_tools



        append_system_prompt: None | str | Unset
        if isinstance(self.append_system_prompt, Unset):
            append_system_prompt = UNSET
        else:
            append_system_prompt = self.append_system_prompt

        inactivity_timeout_s = self.inactivity_timeout_s

        max_budget_usd: float | None | Unset
        if isinstance(self.max_budget_usd, Unset):
            max_budget_usd = UNSET
        else:
            max_budget_usd = self.max_budget_usd

        max_turns: int | None | Unset
        if isinstance(self.max_turns, Unset):
            max_turns = UNSET
        else:
            max_turns = self.max_turns

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        permission_mode: str | Unset = UNSET
        if not isinstance(self.permission_mode, Unset):
            permission_mode = self.permission_mode.value


        runner: None | str | Unset
        if isinstance(self.runner, Unset):
            runner = UNSET
        else:
            runner = self.runner

        script: list[dict[str, Any]] | None | Unset
        if isinstance(self.script, Unset):
            script = UNSET
        elif isinstance(self.script, list):
            script = []
            for script_type_0_item_data in self.script:
                script_type_0_item = script_type_0_item_data.to_dict()
                script.append(script_type_0_item)


        else:
            script = self.script

        time_limit_s = self.time_limit_s


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if allowed_tools is not UNSET:
            field_dict["allowed_tools"] = allowed_tools
        if append_system_prompt is not UNSET:
            field_dict["append_system_prompt"] = append_system_prompt
        if inactivity_timeout_s is not UNSET:
            field_dict["inactivity_timeout_s"] = inactivity_timeout_s
        if max_budget_usd is not UNSET:
            field_dict["max_budget_usd"] = max_budget_usd
        if max_turns is not UNSET:
            field_dict["max_turns"] = max_turns
        if model is not UNSET:
            field_dict["model"] = model
        if permission_mode is not UNSET:
            field_dict["permission_mode"] = permission_mode
        if runner is not UNSET:
            field_dict["runner"] = runner
        if script is not UNSET:
            field_dict["script"] = script
        if time_limit_s is not UNSET:
            field_dict["time_limit_s"] = time_limit_s

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_options_body_script_type_0_item import TaskOptionsBodyScriptType0Item # noqa: PLC0415
        d = dict(src_dict)
        allowed_tools = cast(list[str], d.pop("allowed_tools", UNSET))


        def _parse_append_system_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        append_system_prompt = _parse_append_system_prompt(d.pop("append_system_prompt", UNSET))


        inactivity_timeout_s = d.pop("inactivity_timeout_s", UNSET)

        def _parse_max_budget_usd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_budget_usd = _parse_max_budget_usd(d.pop("max_budget_usd", UNSET))


        def _parse_max_turns(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_turns = _parse_max_turns(d.pop("max_turns", UNSET))


        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))


        _permission_mode = d.pop("permission_mode", UNSET)
        permission_mode: PermissionMode | Unset
        if isinstance(_permission_mode,  Unset):
            permission_mode = UNSET
        else:
            permission_mode = PermissionMode(_permission_mode)




        def _parse_runner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        runner = _parse_runner(d.pop("runner", UNSET))


        def _parse_script(data: object) -> list[TaskOptionsBodyScriptType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                script_type_0 = []
                _script_type_0 = data
                for script_type_0_item_data in (_script_type_0):
                    script_type_0_item = TaskOptionsBodyScriptType0Item.from_dict(script_type_0_item_data)



                    script_type_0.append(script_type_0_item)

                return script_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TaskOptionsBodyScriptType0Item] | None | Unset, data)

        script = _parse_script(d.pop("script", UNSET))


        time_limit_s = d.pop("time_limit_s", UNSET)

        task_options_body = cls(
            allowed_tools=allowed_tools,
            append_system_prompt=append_system_prompt,
            inactivity_timeout_s=inactivity_timeout_s,
            max_budget_usd=max_budget_usd,
            max_turns=max_turns,
            model=model,
            permission_mode=permission_mode,
            runner=runner,
            script=script,
            time_limit_s=time_limit_s,
        )

        return task_options_body

