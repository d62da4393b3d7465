from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.public_citation_body import PublicCitationBody





T = TypeVar("T", bound="PublishedBody")



@_attrs_define
class PublishedBody:
    """ A publication as the public sees it: no author, no history.

        Attributes:
            body (str):
            categories (list[str]):
            citations (list[PublicCitationBody]):
            entity_ids (list[UUID]):
            id (UUID):
            published_at (str):
            tags (list[str]):
            title (str):
            updated_at (str):
     """

    body: str
    categories: list[str]
    citations: list[PublicCitationBody]
    entity_ids: list[UUID]
    id: UUID
    published_at: str
    tags: list[str]
    title: str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.public_citation_body import PublicCitationBody # noqa: PLC0415
        body = self.body

        categories = self.categories



        citations = []
        for citations_item_data in self.citations:
            citations_item = citations_item_data.to_dict()
            citations.append(citations_item)



        entity_ids = []
        for entity_ids_item_data in self.entity_ids:
            entity_ids_item = str(entity_ids_item_data)
            entity_ids.append(entity_ids_item)



        id = str(self.id)

        published_at = self.published_at

        tags = self.tags



        title = self.title

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "categories": categories,
            "citations": citations,
            "entity_ids": entity_ids,
            "id": id,
            "published_at": published_at,
            "tags": tags,
            "title": title,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.public_citation_body import PublicCitationBody # noqa: PLC0415
        d = dict(src_dict)
        body = d.pop("body")

        categories = cast(list[str], d.pop("categories"))


        citations = []
        _citations = d.pop("citations")
        for citations_item_data in (_citations):
            citations_item = PublicCitationBody.from_dict(citations_item_data)



            citations.append(citations_item)


        entity_ids = []
        _entity_ids = d.pop("entity_ids")
        for entity_ids_item_data in (_entity_ids):
            entity_ids_item = UUID(entity_ids_item_data)



            entity_ids.append(entity_ids_item)


        id = UUID(d.pop("id"))




        published_at = d.pop("published_at")

        tags = cast(list[str], d.pop("tags"))


        title = d.pop("title")

        updated_at = d.pop("updated_at")

        published_body = cls(
            body=body,
            categories=categories,
            citations=citations,
            entity_ids=entity_ids,
            id=id,
            published_at=published_at,
            tags=tags,
            title=title,
            updated_at=updated_at,
        )


        published_body.additional_properties = d
        return published_body

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
