from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.execution_export_body import ExecutionExportBody
  from ..models.result_body import ResultBody
  from ..models.task_body import TaskBody





T = TypeVar("T", bound="TaskExportBody")



@_attrs_define
class TaskExportBody:
    """ 
        Attributes:
            executions (list[ExecutionExportBody]): Every attempt, in order, with its log
            result (None | ResultBody):
            task (TaskBody):
     """

    executions: list[ExecutionExportBody]
    result: None | ResultBody
    task: TaskBody





    def to_dict(self) -> dict[str, Any]:
        from ..models.execution_export_body import ExecutionExportBody # noqa: PLC0415
        from ..models.result_body import ResultBody # noqa: PLC0415
        from ..models.task_body import TaskBody # noqa: PLC0415
        executions = []
        for executions_item_data in self.executions:
            executions_item = executions_item_data.to_dict()
            executions.append(executions_item)



        result: dict[str, Any] | None
        if isinstance(self.result, ResultBody):
            result = self.result.to_dict()
        else:
            result = self.result

        task = self.task.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "executions": executions,
            "result": result,
            "task": task,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.execution_export_body import ExecutionExportBody # noqa: PLC0415
        from ..models.result_body import ResultBody # noqa: PLC0415
        from ..models.task_body import TaskBody # noqa: PLC0415
        d = dict(src_dict)
        executions = []
        _executions = d.pop("executions")
        for executions_item_data in (_executions):
            executions_item = ExecutionExportBody.from_dict(executions_item_data)



            executions.append(executions_item)


        def _parse_result(data: object) -> None | ResultBody:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ResultBody.from_dict(data)



                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResultBody, data)

        result = _parse_result(d.pop("result"))


        task = TaskBody.from_dict(d.pop("task"))




        task_export_body = cls(
            executions=executions,
            result=result,
            task=task,
        )

        return task_export_body

