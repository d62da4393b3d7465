from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.execution_body import ExecutionBody
  from ..models.log_line_body import LogLineBody





T = TypeVar("T", bound="ExecutionExportBody")



@_attrs_define
class ExecutionExportBody:
    """ 
        Attributes:
            execution (ExecutionBody):
            log (list[LogLineBody]):
     """

    execution: ExecutionBody
    log: list[LogLineBody]





    def to_dict(self) -> dict[str, Any]:
        from ..models.execution_body import ExecutionBody # noqa: PLC0415
        from ..models.log_line_body import LogLineBody # noqa: PLC0415
        execution = self.execution.to_dict()

        log = []
        for log_item_data in self.log:
            log_item = log_item_data.to_dict()
            log.append(log_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "execution": execution,
            "log": log,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.execution_body import ExecutionBody # noqa: PLC0415
        from ..models.log_line_body import LogLineBody # noqa: PLC0415
        d = dict(src_dict)
        execution = ExecutionBody.from_dict(d.pop("execution"))




        log = []
        _log = d.pop("log")
        for log_item_data in (_log):
            log_item = LogLineBody.from_dict(log_item_data)



            log.append(log_item)


        execution_export_body = cls(
            execution=execution,
            log=log,
        )

        return execution_export_body

