from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.attempt_body import AttemptBody





T = TypeVar("T", bound="DeliveryBody")



@_attrs_define
class DeliveryBody:
    """ 
        Attributes:
            attempt_log (list[AttemptBody]):
            attempts (int):
            created_at (str):
            event_id (UUID):
            event_type (str):
            id (UUID):
            last_attempt_at (None | str):
            last_error (None | str):
            last_status_code (int | None):
            next_attempt_at (None | str):
            status (str):
            webhook_id (str):
     """

    attempt_log: list[AttemptBody]
    attempts: int
    created_at: str
    event_id: UUID
    event_type: str
    id: UUID
    last_attempt_at: None | str
    last_error: None | str
    last_status_code: int | None
    next_attempt_at: None | str
    status: str
    webhook_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attempt_body import AttemptBody # noqa: PLC0415
        attempt_log = []
        for attempt_log_item_data in self.attempt_log:
            attempt_log_item = attempt_log_item_data.to_dict()
            attempt_log.append(attempt_log_item)



        attempts = self.attempts

        created_at = self.created_at

        event_id = str(self.event_id)

        event_type = self.event_type

        id = str(self.id)

        last_attempt_at: None | str
        last_attempt_at = self.last_attempt_at

        last_error: None | str
        last_error = self.last_error

        last_status_code: int | None
        last_status_code = self.last_status_code

        next_attempt_at: None | str
        next_attempt_at = self.next_attempt_at

        status = self.status

        webhook_id = self.webhook_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempt_log": attempt_log,
            "attempts": attempts,
            "created_at": created_at,
            "event_id": event_id,
            "event_type": event_type,
            "id": id,
            "last_attempt_at": last_attempt_at,
            "last_error": last_error,
            "last_status_code": last_status_code,
            "next_attempt_at": next_attempt_at,
            "status": status,
            "webhook_id": webhook_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt_body import AttemptBody # noqa: PLC0415
        d = dict(src_dict)
        attempt_log = []
        _attempt_log = d.pop("attempt_log")
        for attempt_log_item_data in (_attempt_log):
            attempt_log_item = AttemptBody.from_dict(attempt_log_item_data)



            attempt_log.append(attempt_log_item)


        attempts = d.pop("attempts")

        created_at = d.pop("created_at")

        event_id = UUID(d.pop("event_id"))




        event_type = d.pop("event_type")

        id = UUID(d.pop("id"))




        def _parse_last_attempt_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_attempt_at = _parse_last_attempt_at(d.pop("last_attempt_at"))


        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))


        def _parse_last_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status_code = _parse_last_status_code(d.pop("last_status_code"))


        def _parse_next_attempt_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))


        status = d.pop("status")

        webhook_id = d.pop("webhook_id")

        delivery_body = cls(
            attempt_log=attempt_log,
            attempts=attempts,
            created_at=created_at,
            event_id=event_id,
            event_type=event_type,
            id=id,
            last_attempt_at=last_attempt_at,
            last_error=last_error,
            last_status_code=last_status_code,
            next_attempt_at=next_attempt_at,
            status=status,
            webhook_id=webhook_id,
        )


        delivery_body.additional_properties = d
        return delivery_body

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
