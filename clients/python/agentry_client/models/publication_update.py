from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="PublicationUpdate")



@_attrs_define
class PublicationUpdate:
    """ Only what is sent changes.

        Attributes:
            body (str | Unset): Markdown
            categories (list[str] | Unset): Kept lower-cased, stripped, without repeats
            entity_ids (list[UUID] | Unset): The knowledge graph's entities
            tags (list[str] | Unset): Kept lower-cased, stripped, without repeats
            title (str | Unset):
     """

    body: str | Unset = UNSET
    categories: list[str] | Unset = UNSET
    entity_ids: list[UUID] | Unset = UNSET
    tags: list[str] | Unset = UNSET
    title: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories



        entity_ids: list[str] | Unset = UNSET
        if not isinstance(self.entity_ids, Unset):
            entity_ids = []
            for entity_ids_item_data in self.entity_ids:
                entity_ids_item = str(entity_ids_item_data)
                entity_ids.append(entity_ids_item)



        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags



        title = self.title


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if body is not UNSET:
            field_dict["body"] = body
        if categories is not UNSET:
            field_dict["categories"] = categories
        if entity_ids is not UNSET:
            field_dict["entity_ids"] = entity_ids
        if tags is not UNSET:
            field_dict["tags"] = tags
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body", UNSET)

        categories = cast(list[str], d.pop("categories", UNSET))


        _entity_ids = d.pop("entity_ids", UNSET)
        entity_ids: list[UUID] | Unset = UNSET
        if _entity_ids is not UNSET:
            entity_ids = []
            for entity_ids_item_data in _entity_ids:
                entity_ids_item = UUID(entity_ids_item_data)



                entity_ids.append(entity_ids_item)


        tags = cast(list[str], d.pop("tags", UNSET))


        title = d.pop("title", UNSET)

        publication_update = cls(
            body=body,
            categories=categories,
            entity_ids=entity_ids,
            tags=tags,
            title=title,
        )

        return publication_update

