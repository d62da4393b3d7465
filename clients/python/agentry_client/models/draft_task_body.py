from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="DraftTaskBody")



@_attrs_define
class DraftTaskBody:
    """ The drafting task (GET /api/v1/tasks/{id} shows all of it).

        Attributes:
            created_at (str):
            id (UUID):
            project_id (UUID):
            status (str):
            tags (list[str]):
            title (str):
     """

    created_at: str
    id: UUID
    project_id: UUID
    status: str
    tags: list[str]
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = str(self.id)

        project_id = str(self.project_id)

        status = self.status

        tags = self.tags



        title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created_at": created_at,
            "id": id,
            "project_id": project_id,
            "status": status,
            "tags": tags,
            "title": title,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = UUID(d.pop("id"))




        project_id = UUID(d.pop("project_id"))




        status = d.pop("status")

        tags = cast(list[str], d.pop("tags"))


        title = d.pop("title")

        draft_task_body = cls(
            created_at=created_at,
            id=id,
            project_id=project_id,
            status=status,
            tags=tags,
            title=title,
        )


        draft_task_body.additional_properties = d
        return draft_task_body

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
