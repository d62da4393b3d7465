from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.priority import Priority
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.task_options_body import TaskOptionsBody





T = TypeVar("T", bound="FollowUpCreate")



@_attrs_define
class FollowUpCreate:
    """ A task that resumes a finished task's agent session; what is left out comes from that task
        (the title becomes "Follow-up: <its title>"; its options come without a script).

        Attributes:
            prompt (str): What the agent should do
            max_attempts (int | None | Unset):
            options (None | TaskOptionsBody | Unset):
            priority (None | Priority | Unset):
            tags (list[str] | None | Unset):
            title (None | str | Unset):
     """

    prompt: str
    max_attempts: int | None | Unset = UNSET
    options: None | TaskOptionsBody | Unset = UNSET
    priority: None | Priority | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    title: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_options_body import TaskOptionsBody # noqa: PLC0415
        prompt = self.prompt

        max_attempts: int | None | Unset
        if isinstance(self.max_attempts, Unset):
            max_attempts = UNSET
        else:
            max_attempts = self.max_attempts

        options: dict[str, Any] | None | Unset
        if isinstance(self.options, Unset):
            options = UNSET
        elif isinstance(self.options, TaskOptionsBody):
            options = self.options.to_dict()
        else:
            options = self.options

        priority: None | str | Unset
        if isinstance(self.priority, Unset):
            priority = UNSET
        elif isinstance(self.priority, Priority):
            priority = self.priority.value
        else:
            priority = self.priority

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags


        else:
            tags = self.tags

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "prompt": prompt,
        })
        if max_attempts is not UNSET:
            field_dict["max_attempts"] = max_attempts
        if options is not UNSET:
            field_dict["options"] = options
        if priority is not UNSET:
            field_dict["priority"] = priority
        if tags is not UNSET:
            field_dict["tags"] = tags
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_options_body import TaskOptionsBody # noqa: PLC0415
        d = dict(src_dict)
        prompt = d.pop("prompt")

        def _parse_max_attempts(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_attempts = _parse_max_attempts(d.pop("max_attempts", UNSET))


        def _parse_options(data: object) -> None | TaskOptionsBody | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                options_type_0 = TaskOptionsBody.from_dict(data)



                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskOptionsBody | Unset, data)

        options = _parse_options(d.pop("options", UNSET))


        def _parse_priority(data: object) -> None | Priority | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                priority_type_0 = Priority(data)



                return priority_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Priority | Unset, data)

        priority = _parse_priority(d.pop("priority", UNSET))


        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))


        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))


        follow_up_create = cls(
            prompt=prompt,
            max_attempts=max_attempts,
            options=options,
            priority=priority,
            tags=tags,
            title=title,
        )

        return follow_up_create

