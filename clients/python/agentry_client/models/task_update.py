from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.priority import Priority
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.task_options_body import TaskOptionsBody





T = TypeVar("T", bound="TaskUpdate")



@_attrs_define
class TaskUpdate:
    """ Fields left out stay as they are; `scheduled_at: null` runs the task as soon as possible.

        Attributes:
            max_attempts (int | Unset): Automatic attempts per round
            options (TaskOptionsBody | Unset):
            priority (Priority | Unset):
            prompt (str | Unset): What the agent should do
            scheduled_at (datetime.datetime | None | Unset):
            tags (list[str] | Unset): At most 10 tags of at most 50 characters
            title (str | Unset): 1 to 200 characters
     """

    max_attempts: int | Unset = UNSET
    options: TaskOptionsBody | Unset = UNSET
    priority: Priority | Unset = UNSET
    prompt: str | Unset = UNSET
    scheduled_at: datetime.datetime | None | Unset = UNSET
    tags: list[str] | Unset = UNSET
    title: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_options_body import TaskOptionsBody # noqa: PLC0415
        max_attempts = self.max_attempts

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value


        prompt = self.prompt

        scheduled_at: None | str | Unset
        if isinstance(self.scheduled_at, Unset):
            scheduled_at = UNSET
        elif isinstance(self.scheduled_at, datetime.datetime):
            scheduled_at = self.scheduled_at.isoformat()
        else:
            scheduled_at = self.scheduled_at

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags



        title = self.title


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if max_attempts is not UNSET:
            field_dict["max_attempts"] = max_attempts
        if options is not UNSET:
            field_dict["options"] = options
        if priority is not UNSET:
            field_dict["priority"] = priority
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if scheduled_at is not UNSET:
            field_dict["scheduled_at"] = scheduled_at
        if tags is not UNSET:
            field_dict["tags"] = tags
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_options_body import TaskOptionsBody # noqa: PLC0415
        d = dict(src_dict)
        max_attempts = d.pop("max_attempts", UNSET)

        _options = d.pop("options", UNSET)
        options: TaskOptionsBody | Unset
        if isinstance(_options,  Unset):
            options = UNSET
        else:
            options = TaskOptionsBody.from_dict(_options)




        _priority = d.pop("priority", UNSET)
        priority: Priority | Unset
        if isinstance(_priority,  Unset):
            priority = UNSET
        else:
            priority = Priority(_priority)




        prompt = d.pop("prompt", UNSET)

        def _parse_scheduled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_at_type_0 = datetime.datetime.fromisoformat(data)



                return scheduled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scheduled_at = _parse_scheduled_at(d.pop("scheduled_at", UNSET))


        tags = cast(list[str], d.pop("tags", UNSET))


        title = d.pop("title", UNSET)

        task_update = cls(
            max_attempts=max_attempts,
            options=options,
            priority=priority,
            prompt=prompt,
            scheduled_at=scheduled_at,
            tags=tags,
            title=title,
        )

        return task_update

