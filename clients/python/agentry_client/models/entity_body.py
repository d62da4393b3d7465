from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.entity_body_properties import EntityBodyProperties
  from ..models.extracted_body import ExtractedBody
  from ..models.mention_body import MentionBody





T = TypeVar("T", bound="EntityBody")



@_attrs_define
class EntityBody:
    """ 
        Attributes:
            aliases (list[str]):
            confidence (float):
            created_at (str):
            description (str):
            extracted (ExtractedBody):
            id (UUID):
            name (str):
            overridden (list[str]):
            project_id (UUID):
            properties (EntityBodyProperties):
            sources (list[MentionBody]):
            status (str):
            type_ (str):
            updated_at (str):
     """

    aliases: list[str]
    confidence: float
    created_at: str
    description: str
    extracted: ExtractedBody
    id: UUID
    name: str
    overridden: list[str]
    project_id: UUID
    properties: EntityBodyProperties
    sources: list[MentionBody]
    status: str
    type_: str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_body_properties import EntityBodyProperties # noqa: PLC0415
        from ..models.extracted_body import ExtractedBody # noqa: PLC0415
        from ..models.mention_body import MentionBody # noqa: PLC0415
        aliases = self.aliases



        confidence = self.confidence

        created_at = self.created_at

        description = self.description

        extracted = self.extracted.to_dict()

        id = str(self.id)

        name = self.name

        overridden = self.overridden



        project_id = str(self.project_id)

        properties = self.properties.to_dict()

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)



        status = self.status

        type_ = self.type_

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "aliases": aliases,
            "confidence": confidence,
            "created_at": created_at,
            "description": description,
            "extracted": extracted,
            "id": id,
            "name": name,
            "overridden": overridden,
            "project_id": project_id,
            "properties": properties,
            "sources": sources,
            "status": status,
            "type": type_,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_body_properties import EntityBodyProperties # noqa: PLC0415
        from ..models.extracted_body import ExtractedBody # noqa: PLC0415
        from ..models.mention_body import MentionBody # noqa: PLC0415
        d = dict(src_dict)
        aliases = cast(list[str], d.pop("aliases"))


        confidence = d.pop("confidence")

        created_at = d.pop("created_at")

        description = d.pop("description")

        extracted = ExtractedBody.from_dict(d.pop("extracted"))




        id = UUID(d.pop("id"))




        name = d.pop("name")

        overridden = cast(list[str], d.pop("overridden"))


        project_id = UUID(d.pop("project_id"))




        properties = EntityBodyProperties.from_dict(d.pop("properties"))




        sources = []
        _sources = d.pop("sources")
        for sources_item_data in (_sources):
            sources_item = MentionBody.from_dict(sources_item_data)



            sources.append(sources_item)


        status = d.pop("status")

        type_ = d.pop("type")

        updated_at = d.pop("updated_at")

        entity_body = cls(
            aliases=aliases,
            confidence=confidence,
            created_at=created_at,
            description=description,
            extracted=extracted,
            id=id,
            name=name,
            overridden=overridden,
            project_id=project_id,
            properties=properties,
            sources=sources,
            status=status,
            type_=type_,
            updated_at=updated_at,
        )


        entity_body.additional_properties = d
        return entity_body

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
