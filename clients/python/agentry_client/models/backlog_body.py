from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="BacklogBody")



@_attrs_define
class BacklogBody:
    """ 
        Attributes:
            oldest_queued_at (None | str):
            oldest_wait_s (float | None):
            pending (int):
            project_id (UUID):
            queued (int):
            waiting (int):
     """

    oldest_queued_at: None | str
    oldest_wait_s: float | None
    pending: int
    project_id: UUID
    queued: int
    waiting: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        oldest_queued_at: None | str
        oldest_queued_at = self.oldest_queued_at

        oldest_wait_s: float | None
        oldest_wait_s = self.oldest_wait_s

        pending = self.pending

        project_id = str(self.project_id)

        queued = self.queued

        waiting = self.waiting


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "oldest_queued_at": oldest_queued_at,
            "oldest_wait_s": oldest_wait_s,
            "pending": pending,
            "project_id": project_id,
            "queued": queued,
            "waiting": waiting,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_oldest_queued_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        oldest_queued_at = _parse_oldest_queued_at(d.pop("oldest_queued_at"))


        def _parse_oldest_wait_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        oldest_wait_s = _parse_oldest_wait_s(d.pop("oldest_wait_s"))


        pending = d.pop("pending")

        project_id = UUID(d.pop("project_id"))




        queued = d.pop("queued")

        waiting = d.pop("waiting")

        backlog_body = cls(
            oldest_queued_at=oldest_queued_at,
            oldest_wait_s=oldest_wait_s,
            pending=pending,
            project_id=project_id,
            queued=queued,
            waiting=waiting,
        )


        backlog_body.additional_properties = d
        return backlog_body

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
