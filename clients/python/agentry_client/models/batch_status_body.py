from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.batch_status_body_counts import BatchStatusBodyCounts
  from ..models.job_body import JobBody





T = TypeVar("T", bound="BatchStatusBody")



@_attrs_define
class BatchStatusBody:
    """ 
        Attributes:
            counts (BatchStatusBodyCounts):
            id (UUID):
            jobs (list[JobBody]):
            status (str):
     """

    counts: BatchStatusBodyCounts
    id: UUID
    jobs: list[JobBody]
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_status_body_counts import BatchStatusBodyCounts # noqa: PLC0415
        from ..models.job_body import JobBody # noqa: PLC0415
        counts = self.counts.to_dict()

        id = str(self.id)

        jobs = []
        for jobs_item_data in self.jobs:
            jobs_item = jobs_item_data.to_dict()
            jobs.append(jobs_item)



        status = self.status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "counts": counts,
            "id": id,
            "jobs": jobs,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_status_body_counts import BatchStatusBodyCounts # noqa: PLC0415
        from ..models.job_body import JobBody # noqa: PLC0415
        d = dict(src_dict)
        counts = BatchStatusBodyCounts.from_dict(d.pop("counts"))




        id = UUID(d.pop("id"))




        jobs = []
        _jobs = d.pop("jobs")
        for jobs_item_data in (_jobs):
            jobs_item = JobBody.from_dict(jobs_item_data)



            jobs.append(jobs_item)


        status = d.pop("status")

        batch_status_body = cls(
            counts=counts,
            id=id,
            jobs=jobs,
            status=status,
        )


        batch_status_body.additional_properties = d
        return batch_status_body

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
