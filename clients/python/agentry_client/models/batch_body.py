from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.ingestion_body import IngestionBody





T = TypeVar("T", bound="BatchBody")



@_attrs_define
class BatchBody:
    """ 
        Attributes:
            id (UUID):
            ingestions (list[IngestionBody]):
            project_id (UUID):
     """

    id: UUID
    ingestions: list[IngestionBody]
    project_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ingestion_body import IngestionBody # noqa: PLC0415
        id = str(self.id)

        ingestions = []
        for ingestions_item_data in self.ingestions:
            ingestions_item = ingestions_item_data.to_dict()
            ingestions.append(ingestions_item)



        project_id = str(self.project_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "ingestions": ingestions,
            "project_id": project_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ingestion_body import IngestionBody # noqa: PLC0415
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        ingestions = []
        _ingestions = d.pop("ingestions")
        for ingestions_item_data in (_ingestions):
            ingestions_item = IngestionBody.from_dict(ingestions_item_data)



            ingestions.append(ingestions_item)


        project_id = UUID(d.pop("project_id"))




        batch_body = cls(
            id=id,
            ingestions=ingestions,
            project_id=project_id,
        )


        batch_body.additional_properties = d
        return batch_body

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
