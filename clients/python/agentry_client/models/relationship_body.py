from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.mention_body import MentionBody





T = TypeVar("T", bound="RelationshipBody")



@_attrs_define
class RelationshipBody:
    """ 
        Attributes:
            confidence (float):
            created_at (str):
            extracted_type (str):
            id (UUID):
            overridden (list[str]):
            project_id (UUID):
            source_id (UUID):
            sources (list[MentionBody]):
            status (str):
            target_id (UUID):
            type_ (str):
            updated_at (str):
     """

    confidence: float
    created_at: str
    extracted_type: str
    id: UUID
    overridden: list[str]
    project_id: UUID
    source_id: UUID
    sources: list[MentionBody]
    status: str
    target_id: UUID
    type_: str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.mention_body import MentionBody # noqa: PLC0415
        confidence = self.confidence

        created_at = self.created_at

        extracted_type = self.extracted_type

        id = str(self.id)

        overridden = self.overridden



        project_id = str(self.project_id)

        source_id = str(self.source_id)

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)



        status = self.status

        target_id = str(self.target_id)

        type_ = self.type_

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "confidence": confidence,
            "created_at": created_at,
            "extracted_type": extracted_type,
            "id": id,
            "overridden": overridden,
            "project_id": project_id,
            "source_id": source_id,
            "sources": sources,
            "status": status,
            "target_id": target_id,
            "type": type_,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mention_body import MentionBody # noqa: PLC0415
        d = dict(src_dict)
        confidence = d.pop("confidence")

        created_at = d.pop("created_at")

        extracted_type = d.pop("extracted_type")

        id = UUID(d.pop("id"))




        overridden = cast(list[str], d.pop("overridden"))


        project_id = UUID(d.pop("project_id"))




        source_id = UUID(d.pop("source_id"))




        sources = []
        _sources = d.pop("sources")
        for sources_item_data in (_sources):
            sources_item = MentionBody.from_dict(sources_item_data)



            sources.append(sources_item)


        status = d.pop("status")

        target_id = UUID(d.pop("target_id"))




        type_ = d.pop("type")

        updated_at = d.pop("updated_at")

        relationship_body = cls(
            confidence=confidence,
            created_at=created_at,
            extracted_type=extracted_type,
            id=id,
            overridden=overridden,
            project_id=project_id,
            source_id=source_id,
            sources=sources,
            status=status,
            target_id=target_id,
            type_=type_,
            updated_at=updated_at,
        )


        relationship_body.additional_properties = d
        return relationship_body

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
