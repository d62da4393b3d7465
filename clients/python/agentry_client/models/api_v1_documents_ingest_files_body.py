from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..models.api_v1_documents_ingest_files_body_media_type import ApiV1DocumentsIngestFilesBodyMediaType
from ..types import File, FileTypes
from ..types import UNSET, Unset
from io import BytesIO
from uuid import UUID






T = TypeVar("T", bound="ApiV1DocumentsIngestFilesBody")



@_attrs_define
class ApiV1DocumentsIngestFilesBody:
    """ 
        Attributes:
            file (File): The document
            media_type (ApiV1DocumentsIngestFilesBodyMediaType | Unset): Overrides the file part's type (a .txt, .md, .html
                or .pdf name is read when it is missing)
            project_id (UUID | Unset):
            title (str | Unset):
     """

    file: File
    media_type: ApiV1DocumentsIngestFilesBodyMediaType | Unset = UNSET
    project_id: UUID | Unset = UNSET
    title: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()


        media_type: str | Unset = UNSET
        if not isinstance(self.media_type, Unset):
            media_type = self.media_type.value


        project_id: str | Unset = UNSET
        if not isinstance(self.project_id, Unset):
            project_id = str(self.project_id)

        title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "file": file,
        })
        if media_type is not UNSET:
            field_dict["media_type"] = media_type
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))



        if not isinstance(self.media_type, Unset):
            files.append(("media_type",  (None, str(self.media_type.value).encode(), "text/plain")))



        if not isinstance(self.project_id, Unset):
            files.append(("project_id", (None, str(self.project_id), "text/plain")))



        if not isinstance(self.title, Unset):
            files.append(("title", (None, str(self.title).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(
             payload = BytesIO(d.pop("file"))
        )




        _media_type = d.pop("media_type", UNSET)
        media_type: ApiV1DocumentsIngestFilesBodyMediaType | Unset
        if isinstance(_media_type,  Unset):
            media_type = UNSET
        else:
            media_type = ApiV1DocumentsIngestFilesBodyMediaType(_media_type)




        _project_id = d.pop("project_id", UNSET)
        project_id: UUID | Unset
        if isinstance(_project_id,  Unset):
            project_id = UNSET
        else:
            project_id = UUID(_project_id)




        title = d.pop("title", UNSET)

        api_v1_documents_ingest_files_body = cls(
            file=file,
            media_type=media_type,
            project_id=project_id,
            title=title,
        )


        api_v1_documents_ingest_files_body.additional_properties = d
        return api_v1_documents_ingest_files_body

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
