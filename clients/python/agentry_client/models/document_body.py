from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="DocumentBody")



@_attrs_define
class DocumentBody:
    """ 
        Attributes:
            chunk_count (int):
            content_hash (str):
            created_at (str):
            error (None | str):
            id (UUID):
            media_type (str):
            project_id (UUID):
            size_bytes (int):
            status (str):
            submitted_by (None | UUID): null once the submitter's account is gone
            title (str):
            updated_at (str):
     """

    chunk_count: int
    content_hash: str
    created_at: str
    error: None | str
    id: UUID
    media_type: str
    project_id: UUID
    size_bytes: int
    status: str
    submitted_by: None | UUID
    title: str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        chunk_count = self.chunk_count

        content_hash = self.content_hash

        created_at = self.created_at

        error: None | str
        error = self.error

        id = str(self.id)

        media_type = self.media_type

        project_id = str(self.project_id)

        size_bytes = self.size_bytes

        status = self.status

        submitted_by: None | str
        if isinstance(self.submitted_by, UUID):
            submitted_by = str(self.submitted_by)
        else:
            submitted_by = self.submitted_by

        title = self.title

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "chunk_count": chunk_count,
            "content_hash": content_hash,
            "created_at": created_at,
            "error": error,
            "id": id,
            "media_type": media_type,
            "project_id": project_id,
            "size_bytes": size_bytes,
            "status": status,
            "submitted_by": submitted_by,
            "title": title,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunk_count = d.pop("chunk_count")

        content_hash = d.pop("content_hash")

        created_at = d.pop("created_at")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        id = UUID(d.pop("id"))




        media_type = d.pop("media_type")

        project_id = UUID(d.pop("project_id"))




        size_bytes = d.pop("size_bytes")

        status = d.pop("status")

        def _parse_submitted_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                submitted_by_type_0 = UUID(data)



                return submitted_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        submitted_by = _parse_submitted_by(d.pop("submitted_by"))


        title = d.pop("title")

        updated_at = d.pop("updated_at")

        document_body = cls(
            chunk_count=chunk_count,
            content_hash=content_hash,
            created_at=created_at,
            error=error,
            id=id,
            media_type=media_type,
            project_id=project_id,
            size_bytes=size_bytes,
            status=status,
            submitted_by=submitted_by,
            title=title,
            updated_at=updated_at,
        )


        document_body.additional_properties = d
        return document_body

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
