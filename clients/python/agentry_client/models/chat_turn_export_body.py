from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.turn_status import TurnStatus
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="ChatTurnExportBody")



@_attrs_define
class ChatTurnExportBody:
    """ 
        Attributes:
            created_at (str):
            error_code (None | str):
            error_message (None | str):
            finished_at (None | str):
            id (UUID):
            message (str): What you sent
            number (int):
            started_at (None | str):
            status (TurnStatus):
            task_id (None | UUID): The task that answered it (its answer is that task's, in tasks)
     """

    created_at: str
    error_code: None | str
    error_message: None | str
    finished_at: None | str
    id: UUID
    message: str
    number: int
    started_at: None | str
    status: TurnStatus
    task_id: None | UUID





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        error_code: None | str
        error_code = self.error_code

        error_message: None | str
        error_message = self.error_message

        finished_at: None | str
        finished_at = self.finished_at

        id = str(self.id)

        message = self.message

        number = self.number

        started_at: None | str
        started_at = self.started_at

        status = self.status.value

        task_id: None | str
        if isinstance(self.task_id, UUID):
            task_id = str(self.task_id)
        else:
            task_id = self.task_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "created_at": created_at,
            "error_code": error_code,
            "error_message": error_message,
            "finished_at": finished_at,
            "id": id,
            "message": message,
            "number": number,
            "started_at": started_at,
            "status": status,
            "task_id": task_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        def _parse_error_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_code = _parse_error_code(d.pop("error_code"))


        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("error_message"))


        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        id = UUID(d.pop("id"))




        message = d.pop("message")

        number = d.pop("number")

        def _parse_started_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        started_at = _parse_started_at(d.pop("started_at"))


        status = TurnStatus(d.pop("status"))




        def _parse_task_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                task_id_type_0 = UUID(data)



                return task_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        task_id = _parse_task_id(d.pop("task_id"))


        chat_turn_export_body = cls(
            created_at=created_at,
            error_code=error_code,
            error_message=error_message,
            finished_at=finished_at,
            id=id,
            message=message,
            number=number,
            started_at=started_at,
            status=status,
            task_id=task_id,
        )

        return chat_turn_export_body

