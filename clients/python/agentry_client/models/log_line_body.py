from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.log_kind import LogKind
from ..models.log_level import LogLevel
from typing import cast

if TYPE_CHECKING:
  from ..models.log_line_body_data import LogLineBodyData





T = TypeVar("T", bound="LogLineBody")



@_attrs_define
class LogLineBody:
    """ 
        Attributes:
            at (str):
            data (LogLineBodyData):
            execution_number (int):
            kind (LogKind):
            level (LogLevel):
            message (str):
            sequence (int):
     """

    at: str
    data: LogLineBodyData
    execution_number: int
    kind: LogKind
    level: LogLevel
    message: str
    sequence: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.log_line_body_data import LogLineBodyData # noqa: PLC0415
        at = self.at

        data = self.data.to_dict()

        execution_number = self.execution_number

        kind = self.kind.value

        level = self.level.value

        message = self.message

        sequence = self.sequence


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "at": at,
            "data": data,
            "execution_number": execution_number,
            "kind": kind,
            "level": level,
            "message": message,
            "sequence": sequence,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.log_line_body_data import LogLineBodyData # noqa: PLC0415
        d = dict(src_dict)
        at = d.pop("at")

        data = LogLineBodyData.from_dict(d.pop("data"))




        execution_number = d.pop("execution_number")

        kind = LogKind(d.pop("kind"))




        level = LogLevel(d.pop("level"))




        message = d.pop("message")

        sequence = d.pop("sequence")

        log_line_body = cls(
            at=at,
            data=data,
            execution_number=execution_number,
            kind=kind,
            level=level,
            message=message,
            sequence=sequence,
        )


        log_line_body.additional_properties = d
        return log_line_body

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
