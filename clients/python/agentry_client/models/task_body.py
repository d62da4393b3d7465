from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.priority import Priority
from ..models.task_status import TaskStatus
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.error_body import ErrorBody
  from ..models.task_options_body import TaskOptionsBody





T = TypeVar("T", bound="TaskBody")



@_attrs_define
class TaskBody:
    """ 
        Attributes:
            attempts (int):
            created_at (str):
            error (ErrorBody | None):
            execution_count (int):
            finished_at (None | str):
            follows_task_id (None | UUID):
            id (UUID):
            max_attempts (int):
            options (TaskOptionsBody):
            owner_id (UUID):
            priority (Priority):
            project_id (UUID):
            prompt (str):
            queued_at (None | str):
            scheduled_at (None | str):
            started_at (None | str):
            status (TaskStatus):
            tags (list[str]):
            title (str):
            updated_at (str):
     """

    attempts: int
    created_at: str
    error: ErrorBody | None
    execution_count: int
    finished_at: None | str
    follows_task_id: None | UUID
    id: UUID
    max_attempts: int
    options: TaskOptionsBody
    owner_id: UUID
    priority: Priority
    project_id: UUID
    prompt: str
    queued_at: None | str
    scheduled_at: None | str
    started_at: None | str
    status: TaskStatus
    tags: list[str]
    title: str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.error_body import ErrorBody # noqa: PLC0415
        from ..models.task_options_body import TaskOptionsBody # noqa: PLC0415
        attempts = self.attempts

        created_at = self.created_at

        error: dict[str, Any] | None
        if isinstance(self.error, ErrorBody):
            error = self.error.to_dict()
        else:
            error = self.error

        execution_count = self.execution_count

        finished_at: None | str
        finished_at = self.finished_at

        follows_task_id: None | str
        if isinstance(self.follows_task_id, UUID):
            follows_task_id = str(self.follows_task_id)
        else:
            follows_task_id = self.follows_task_id

        id = str(self.id)

        max_attempts = self.max_attempts

        options = self.options.to_dict()

        owner_id = str(self.owner_id)

        priority = self.priority.value

        project_id = str(self.project_id)

        prompt = self.prompt

        queued_at: None | str
        queued_at = self.queued_at

        scheduled_at: None | str
        scheduled_at = self.scheduled_at

        started_at: None | str
        started_at = self.started_at

        status = self.status.value

        tags = self.tags



        title = self.title

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "created_at": created_at,
            "error": error,
            "execution_count": execution_count,
            "finished_at": finished_at,
            "follows_task_id": follows_task_id,
            "id": id,
            "max_attempts": max_attempts,
            "options": options,
            "owner_id": owner_id,
            "priority": priority,
            "project_id": project_id,
            "prompt": prompt,
            "queued_at": queued_at,
            "scheduled_at": scheduled_at,
            "started_at": started_at,
            "status": status,
            "tags": tags,
            "title": title,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_body import ErrorBody # noqa: PLC0415
        from ..models.task_options_body import TaskOptionsBody # noqa: PLC0415
        d = dict(src_dict)
        attempts = d.pop("attempts")

        created_at = d.pop("created_at")

        def _parse_error(data: object) -> ErrorBody | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = ErrorBody.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorBody | None, data)

        error = _parse_error(d.pop("error"))


        execution_count = d.pop("execution_count")

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        def _parse_follows_task_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                follows_task_id_type_0 = UUID(data)



                return follows_task_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        follows_task_id = _parse_follows_task_id(d.pop("follows_task_id"))


        id = UUID(d.pop("id"))




        max_attempts = d.pop("max_attempts")

        options = TaskOptionsBody.from_dict(d.pop("options"))




        owner_id = UUID(d.pop("owner_id"))




        priority = Priority(d.pop("priority"))




        project_id = UUID(d.pop("project_id"))




        prompt = d.pop("prompt")

        def _parse_queued_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        queued_at = _parse_queued_at(d.pop("queued_at"))


        def _parse_scheduled_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        scheduled_at = _parse_scheduled_at(d.pop("scheduled_at"))


        def _parse_started_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        started_at = _parse_started_at(d.pop("started_at"))


        status = TaskStatus(d.pop("status"))




        tags = cast(list[str], d.pop("tags"))


        title = d.pop("title")

        updated_at = d.pop("updated_at")

        task_body = cls(
            attempts=attempts,
            created_at=created_at,
            error=error,
            execution_count=execution_count,
            finished_at=finished_at,
            follows_task_id=follows_task_id,
            id=id,
            max_attempts=max_attempts,
            options=options,
            owner_id=owner_id,
            priority=priority,
            project_id=project_id,
            prompt=prompt,
            queued_at=queued_at,
            scheduled_at=scheduled_at,
            started_at=started_at,
            status=status,
            tags=tags,
            title=title,
            updated_at=updated_at,
        )


        task_body.additional_properties = d
        return task_body

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
