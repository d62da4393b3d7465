from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="ChatSessionBody")



@_attrs_define
class ChatSessionBody:
    """ 
        Attributes:
            answering (bool):
            archived (bool):
            created_at (str):
            id (UUID):
            project_id (UUID):
            public (bool):
            title (str):
            turns (int):
            updated_at (str):
     """

    answering: bool
    archived: bool
    created_at: str
    id: UUID
    project_id: UUID
    public: bool
    title: str
    turns: int
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        answering = self.answering

        archived = self.archived

        created_at = self.created_at

        id = str(self.id)

        project_id = str(self.project_id)

        public = self.public

        title = self.title

        turns = self.turns

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "answering": answering,
            "archived": archived,
            "created_at": created_at,
            "id": id,
            "project_id": project_id,
            "public": public,
            "title": title,
            "turns": turns,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        answering = d.pop("answering")

        archived = d.pop("archived")

        created_at = d.pop("created_at")

        id = UUID(d.pop("id"))




        project_id = UUID(d.pop("project_id"))




        public = d.pop("public")

        title = d.pop("title")

        turns = d.pop("turns")

        updated_at = d.pop("updated_at")

        chat_session_body = cls(
            answering=answering,
            archived=archived,
            created_at=created_at,
            id=id,
            project_id=project_id,
            public=public,
            title=title,
            turns=turns,
            updated_at=updated_at,
        )


        chat_session_body.additional_properties = d
        return chat_session_body

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
