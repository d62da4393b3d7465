from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_v1_documents_ingest_json_body_media_type import ApiV1DocumentsIngestJsonBodyMediaType
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="ApiV1DocumentsIngestJsonBody")



@_attrs_define
class ApiV1DocumentsIngestJsonBody:
    """ 
        Attributes:
            text (str):
            title (str):
            media_type (ApiV1DocumentsIngestJsonBodyMediaType | Unset):  Default:
                ApiV1DocumentsIngestJsonBodyMediaType.TEXTPLAIN.
            project_id (None | Unset | UUID): The project (absent or null: your personal project)
     """

    text: str
    title: str
    media_type: ApiV1DocumentsIngestJsonBodyMediaType | Unset = ApiV1DocumentsIngestJsonBodyMediaType.TEXTPLAIN
    project_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        text = self.text

        title = self.title

        media_type: str | Unset = UNSET
        if not isinstance(self.media_type, Unset):
            media_type = self.media_type.value


        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        elif isinstance(self.project_id, UUID):
            project_id = str(self.project_id)
        else:
            project_id = self.project_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "text": text,
            "title": title,
        })
        if media_type is not UNSET:
            field_dict["media_type"] = media_type
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        title = d.pop("title")

        _media_type = d.pop("media_type", UNSET)
        media_type: ApiV1DocumentsIngestJsonBodyMediaType | Unset
        if isinstance(_media_type,  Unset):
            media_type = UNSET
        else:
            media_type = ApiV1DocumentsIngestJsonBodyMediaType(_media_type)




        def _parse_project_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                project_id_type_0 = UUID(data)



                return project_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))


        api_v1_documents_ingest_json_body = cls(
            text=text,
            title=title,
            media_type=media_type,
            project_id=project_id,
        )

        return api_v1_documents_ingest_json_body

