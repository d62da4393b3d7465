from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.result_body_artifacts_item import ResultBodyArtifactsItem
  from ..models.usage_body import UsageBody





T = TypeVar("T", bound="ResultBody")



@_attrs_define
class ResultBody:
    """ 
        Attributes:
            artifacts (list[ResultBodyArtifactsItem]):
            created_at (str):
            execution_id (UUID):
            output (str):
            summary (str):
            task_id (UUID):
            usage (UsageBody):
     """

    artifacts: list[ResultBodyArtifactsItem]
    created_at: str
    execution_id: UUID
    output: str
    summary: str
    task_id: UUID
    usage: UsageBody
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.result_body_artifacts_item import ResultBodyArtifactsItem # noqa: PLC0415
        from ..models.usage_body import UsageBody # noqa: PLC0415
        artifacts = []
        for artifacts_item_data in self.artifacts:
            artifacts_item = artifacts_item_data.to_dict()
            artifacts.append(artifacts_item)



        created_at = self.created_at

        execution_id = str(self.execution_id)

        output = self.output

        summary = self.summary

        task_id = str(self.task_id)

        usage = self.usage.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "artifacts": artifacts,
            "created_at": created_at,
            "execution_id": execution_id,
            "output": output,
            "summary": summary,
            "task_id": task_id,
            "usage": usage,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.result_body_artifacts_item import ResultBodyArtifactsItem # noqa: PLC0415
        from ..models.usage_body import UsageBody # noqa: PLC0415
        d = dict(src_dict)
        artifacts = []
        _artifacts = d.pop("artifacts")
        for artifacts_item_data in (_artifacts):
            artifacts_item = ResultBodyArtifactsItem.from_dict(artifacts_item_data)



            artifacts.append(artifacts_item)


        created_at = d.pop("created_at")

        execution_id = UUID(d.pop("execution_id"))




        output = d.pop("output")

        summary = d.pop("summary")

        task_id = UUID(d.pop("task_id"))




        usage = UsageBody.from_dict(d.pop("usage"))




        result_body = cls(
            artifacts=artifacts,
            created_at=created_at,
            execution_id=execution_id,
            output=output,
            summary=summary,
            task_id=task_id,
            usage=usage,
        )


        result_body.additional_properties = d
        return result_body

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
