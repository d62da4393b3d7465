from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.step_body import StepBody





T = TypeVar("T", bound="JobBody")



@_attrs_define
class JobBody:
    """ 
        Attributes:
            attempts (int):
            batch_id (None | UUID):
            created_at (str):
            document_id (UUID):
            error (None | str):
            finished_at (None | str):
            id (UUID):
            next_attempt_at (None | str):
            project_id (UUID):
            status (str):
            steps (list[StepBody]):
     """

    attempts: int
    batch_id: None | UUID
    created_at: str
    document_id: UUID
    error: None | str
    finished_at: None | str
    id: UUID
    next_attempt_at: None | str
    project_id: UUID
    status: str
    steps: list[StepBody]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.step_body import StepBody # noqa: PLC0415
        attempts = self.attempts

        batch_id: None | str
        if isinstance(self.batch_id, UUID):
            batch_id = str(self.batch_id)
        else:
            batch_id = self.batch_id

        created_at = self.created_at

        document_id = str(self.document_id)

        error: None | str
        error = self.error

        finished_at: None | str
        finished_at = self.finished_at

        id = str(self.id)

        next_attempt_at: None | str
        next_attempt_at = self.next_attempt_at

        project_id = str(self.project_id)

        status = self.status

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "batch_id": batch_id,
            "created_at": created_at,
            "document_id": document_id,
            "error": error,
            "finished_at": finished_at,
            "id": id,
            "next_attempt_at": next_attempt_at,
            "project_id": project_id,
            "status": status,
            "steps": steps,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_body import StepBody # noqa: PLC0415
        d = dict(src_dict)
        attempts = d.pop("attempts")

        def _parse_batch_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                batch_id_type_0 = UUID(data)



                return batch_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        batch_id = _parse_batch_id(d.pop("batch_id"))


        created_at = d.pop("created_at")

        document_id = UUID(d.pop("document_id"))




        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        id = UUID(d.pop("id"))




        def _parse_next_attempt_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))


        project_id = UUID(d.pop("project_id"))




        status = d.pop("status")

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in (_steps):
            steps_item = StepBody.from_dict(steps_item_data)



            steps.append(steps_item)


        job_body = cls(
            attempts=attempts,
            batch_id=batch_id,
            created_at=created_at,
            document_id=document_id,
            error=error,
            finished_at=finished_at,
            id=id,
            next_attempt_at=next_attempt_at,
            project_id=project_id,
            status=status,
            steps=steps,
        )


        job_body.additional_properties = d
        return job_body

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
