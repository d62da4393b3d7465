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
  from ..models.transition_body import TransitionBody





T = TypeVar("T", bound="PublicationBody")



@_attrs_define
class PublicationBody:
    """ 
        Attributes:
            author_id (None | UUID): null once the author's account is gone
            body (str):
            categories (list[str]):
            citations (list[CitationBody]):
            created_at (str):
            entity_ids (list[UUID]):
            history (list[TransitionBody]):
            id (UUID):
            project_id (UUID):
            published_at (None | str):
            status (str):
            tags (list[str]):
            task_id (None | UUID):
            title (str):
            updated_at (str):
     """

    author_id: None | UUID
    body: str
    categories: list[str]
    citations: list[CitationBody]
    created_at: str
    entity_ids: list[UUID]
    history: list[TransitionBody]
    id: UUID
    project_id: UUID
    published_at: None | str
    status: str
    tags: list[str]
    task_id: None | UUID
    title: str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.citation_body import CitationBody # noqa: PLC0415
        from ..models.transition_body import TransitionBody # noqa: PLC0415
        author_id: None | str
        if isinstance(self.author_id, UUID):
            author_id = str(self.author_id)
        else:
            author_id = self.author_id

        body = self.body

        categories = self.categories



        citations = []
        for citations_item_data in self.citations:
            citations_item = citations_item_data.to_dict()
            citations.append(citations_item)



        created_at = self.created_at

        entity_ids = []
        for entity_ids_item_data in self.entity_ids:
            entity_ids_item = str(entity_ids_item_data)
            entity_ids.append(entity_ids_item)



        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)



        id = str(self.id)

        project_id = str(self.project_id)

        published_at: None | str
        published_at = self.published_at

        status = self.status

        tags = self.tags



        task_id: None | str
        if isinstance(self.task_id, UUID):
            task_id = str(self.task_id)
        else:
            task_id = self.task_id

        title = self.title

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "author_id": author_id,
            "body": body,
            "categories": categories,
            "citations": citations,
            "created_at": created_at,
            "entity_ids": entity_ids,
            "history": history,
            "id": id,
            "project_id": project_id,
            "published_at": published_at,
            "status": status,
            "tags": tags,
            "task_id": task_id,
            "title": title,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.citation_body import CitationBody # noqa: PLC0415
        from ..models.transition_body import TransitionBody # noqa: PLC0415
        d = dict(src_dict)
        def _parse_author_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                author_id_type_0 = UUID(data)



                return author_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        author_id = _parse_author_id(d.pop("author_id"))


        body = d.pop("body")

        categories = cast(list[str], d.pop("categories"))


        citations = []
        _citations = d.pop("citations")
        for citations_item_data in (_citations):
            citations_item = CitationBody.from_dict(citations_item_data)



            citations.append(citations_item)


        created_at = d.pop("created_at")

        entity_ids = []
        _entity_ids = d.pop("entity_ids")
        for entity_ids_item_data in (_entity_ids):
            entity_ids_item = UUID(entity_ids_item_data)



            entity_ids.append(entity_ids_item)


        history = []
        _history = d.pop("history")
        for history_item_data in (_history):
            history_item = TransitionBody.from_dict(history_item_data)



            history.append(history_item)


        id = UUID(d.pop("id"))




        project_id = UUID(d.pop("project_id"))




        def _parse_published_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        published_at = _parse_published_at(d.pop("published_at"))


        status = d.pop("status")

        tags = cast(list[str], d.pop("tags"))


        def _parse_task_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                task_id_type_0 = UUID(data)



                return task_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        task_id = _parse_task_id(d.pop("task_id"))


        title = d.pop("title")

        updated_at = d.pop("updated_at")

        publication_body = cls(
            author_id=author_id,
            body=body,
            categories=categories,
            citations=citations,
            created_at=created_at,
            entity_ids=entity_ids,
            history=history,
            id=id,
            project_id=project_id,
            published_at=published_at,
            status=status,
            tags=tags,
            task_id=task_id,
            title=title,
            updated_at=updated_at,
        )


        publication_body.additional_properties = d
        return publication_body

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
