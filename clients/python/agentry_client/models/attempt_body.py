from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="AttemptBody")



@_attrs_define
class AttemptBody:
    """ 
        Attributes:
            duration_ms (int):
            error (None | str):
            number (int):
            response_body (str):
            started_at (str):
            status_code (int | None):
     """

    duration_ms: int
    error: None | str
    number: int
    response_body: str
    started_at: str
    status_code: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        duration_ms = self.duration_ms

        error: None | str
        error = self.error

        number = self.number

        response_body = self.response_body

        started_at = self.started_at

        status_code: int | None
        status_code = self.status_code


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "duration_ms": duration_ms,
            "error": error,
            "number": number,
            "response_body": response_body,
            "started_at": started_at,
            "status_code": status_code,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        duration_ms = d.pop("duration_ms")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        number = d.pop("number")

        response_body = d.pop("response_body")

        started_at = d.pop("started_at")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))


        attempt_body = cls(
            duration_ms=duration_ms,
            error=error,
            number=number,
            response_body=response_body,
            started_at=started_at,
            status_code=status_code,
        )


        attempt_body.additional_properties = d
        return attempt_body

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
