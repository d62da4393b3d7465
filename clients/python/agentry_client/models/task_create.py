from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.priority import Priority
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.task_options_body import TaskOptionsBody





T = TypeVar("T", bound="TaskCreate")



@_attrs_define
class TaskCreate:
    """ 
        Attributes:
            prompt (str): What the agent should do
            title (str): 1 to 200 characters
            max_attempts (int | Unset): Automatic attempts per round Default: 3.
            options (TaskOptionsBody | Unset):
            priority (Priority | Unset):
            project_id (None | Unset | UUID): Omitted: your personal project
            scheduled_at (datetime.datetime | None | Unset):
            tags (list[str] | Unset): At most 10 tags of at most 50 characters
     """

    prompt: str
    title: str
    max_attempts: int | Unset = 3
    options: TaskOptionsBody | Unset = UNSET
    priority: Priority | Unset = UNSET
    project_id: None | Unset | UUID = UNSET
    scheduled_at: datetime.datetime | None | Unset = UNSET
    tags: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_options_body import TaskOptionsBody # noqa: PLC0415
        prompt = self.prompt

        title = self.title

        max_attempts = self.max_attempts

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value


        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        elif isinstance(self.project_id, UUID):
            project_id = str(self.project_id)
        else:
            project_id = self.project_id

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




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "prompt": prompt,
            "title": title,
        })
        if max_attempts is not UNSET:
            field_dict["max_attempts"] = max_attempts
        if options is not UNSET:
            field_dict["options"] = options
        if priority is not UNSET:
            field_dict["priority"] = priority
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if scheduled_at is not UNSET:
            field_dict["scheduled_at"] = scheduled_at
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_options_body import TaskOptionsBody # noqa: PLC0415
        d = dict(src_dict)
        prompt = d.pop("prompt")

        title = d.pop("title")

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




        def _parse_project_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                project_id_type_0 = UUID(data)



                return project_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))


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


        task_create = cls(
            prompt=prompt,
            title=title,
            max_attempts=max_attempts,
            options=options,
            priority=priority,
            project_id=project_id,
            scheduled_at=scheduled_at,
            tags=tags,
        )

        return task_create

