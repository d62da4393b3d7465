from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.execution_status import ExecutionStatus
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.error_body import ErrorBody
  from ..models.usage_body import UsageBody





T = TypeVar("T", bound="ExecutionBody")



@_attrs_define
class ExecutionBody:
    """ 
        Attributes:
            agent_session_id (None | str):
            attempt (int):
            duration_s (float | None):
            error (ErrorBody | None):
            finished_at (None | str):
            id (UUID):
            number (int):
            started_at (str):
            status (ExecutionStatus):
            usage (UsageBody):
            worker_id (str):
     """

    agent_session_id: None | str
    attempt: int
    duration_s: float | None
    error: ErrorBody | None
    finished_at: None | str
    id: UUID
    number: int
    started_at: str
    status: ExecutionStatus
    usage: UsageBody
    worker_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.error_body import ErrorBody # noqa: PLC0415
        from ..models.usage_body import UsageBody # noqa: PLC0415
        agent_session_id: None | str
        agent_session_id = self.agent_session_id

        attempt = self.attempt

        duration_s: float | None
        duration_s = self.duration_s

        error: dict[str, Any] | None
        if isinstance(self.error, ErrorBody):
            error = self.error.to_dict()
        else:
            error = self.error

        finished_at: None | str
        finished_at = self.finished_at

        id = str(self.id)

        number = self.number

        started_at = self.started_at

        status = self.status.value

        usage = self.usage.to_dict()

        worker_id = self.worker_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "agent_session_id": agent_session_id,
            "attempt": attempt,
            "duration_s": duration_s,
            "error": error,
            "finished_at": finished_at,
            "id": id,
            "number": number,
            "started_at": started_at,
            "status": status,
            "usage": usage,
            "worker_id": worker_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_body import ErrorBody # noqa: PLC0415
        from ..models.usage_body import UsageBody # noqa: PLC0415
        d = dict(src_dict)
        def _parse_agent_session_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agent_session_id = _parse_agent_session_id(d.pop("agent_session_id"))


        attempt = d.pop("attempt")

        def _parse_duration_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_s = _parse_duration_s(d.pop("duration_s"))


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


        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        id = UUID(d.pop("id"))




        number = d.pop("number")

        started_at = d.pop("started_at")

        status = ExecutionStatus(d.pop("status"))




        usage = UsageBody.from_dict(d.pop("usage"))




        worker_id = d.pop("worker_id")

        execution_body = cls(
            agent_session_id=agent_session_id,
            attempt=attempt,
            duration_s=duration_s,
            error=error,
            finished_at=finished_at,
            id=id,
            number=number,
            started_at=started_at,
            status=status,
            usage=usage,
            worker_id=worker_id,
        )


        execution_body.additional_properties = d
        return execution_body

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
