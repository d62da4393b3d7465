from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.citation_body import CitationBody
  from ..models.draft_task_body import DraftTaskBody





T = TypeVar("T", bound="DraftingBody")



@_attrs_define
class DraftingBody:
    """ A draft being written: its task and what the task was given. When the task succeeds, the draft is
        the publication GET …/publications?task_id=<task id> lists.

        Attributes:
            entity_ids (list[UUID]):
            sources (list[CitationBody]):
            task (DraftTaskBody): The drafting task (GET /api/v1/tasks/{id} shows all of it).
            title (str):
     """

    entity_ids: list[UUID]
    sources: list[CitationBody]
    task: DraftTaskBody
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.citation_body import CitationBody # noqa: PLC0415
        from ..models.draft_task_body import DraftTaskBody # noqa: PLC0415
        entity_ids = []
        for entity_ids_item_data in self.entity_ids:
            entity_ids_item = str(entity_ids_item_data)
            entity_ids.append(entity_ids_item)



        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)



        task = self.task.to_dict()

        title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entity_ids": entity_ids,
            "sources": sources,
            "task": task,
            "title": title,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.citation_body import CitationBody # noqa: PLC0415
        from ..models.draft_task_body import DraftTaskBody # noqa: PLC0415
        d = dict(src_dict)
        entity_ids = []
        _entity_ids = d.pop("entity_ids")
        for entity_ids_item_data in (_entity_ids):
            entity_ids_item = UUID(entity_ids_item_data)



            entity_ids.append(entity_ids_item)


        sources = []
        _sources = d.pop("sources")
        for sources_item_data in (_sources):
            sources_item = CitationBody.from_dict(sources_item_data)



            sources.append(sources_item)


        task = DraftTaskBody.from_dict(d.pop("task"))




        title = d.pop("title")

        drafting_body = cls(
            entity_ids=entity_ids,
            sources=sources,
            task=task,
            title=title,
        )


        drafting_body.additional_properties = d
        return drafting_body

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
