from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.document_body import DocumentBody
  from ..models.job_body import JobBody





T = TypeVar("T", bound="JobStatusBody")



@_attrs_define
class JobStatusBody:
    """ 
        Attributes:
            document (DocumentBody):
            job (JobBody):
     """

    document: DocumentBody
    job: JobBody
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.document_body import DocumentBody # noqa: PLC0415
        from ..models.job_body import JobBody # noqa: PLC0415
        document = self.document.to_dict()

        job = self.job.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "document": document,
            "job": job,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_body import DocumentBody # noqa: PLC0415
        from ..models.job_body import JobBody # noqa: PLC0415
        d = dict(src_dict)
        document = DocumentBody.from_dict(d.pop("document"))




        job = JobBody.from_dict(d.pop("job"))




        job_status_body = cls(
            document=document,
            job=job,
        )


        job_status_body.additional_properties = d
        return job_status_body

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
