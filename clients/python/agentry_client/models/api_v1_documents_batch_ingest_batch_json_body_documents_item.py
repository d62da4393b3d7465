from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_v1_documents_batch_ingest_batch_json_body_documents_item_media_type import ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType
from ..types import UNSET, Unset






T = TypeVar("T", bound="ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem")



@_attrs_define
class ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem:
    """ 
        Attributes:
            text (str):
            title (str):
            media_type (ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType | Unset):  Default:
                ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType.TEXTPLAIN.
     """

    text: str
    title: str
    media_type: ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType | Unset = ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType.TEXTPLAIN





    def to_dict(self) -> dict[str, Any]:
        text = self.text

        title = self.title

        media_type: str | Unset = UNSET
        if not isinstance(self.media_type, Unset):
            media_type = self.media_type.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "text": text,
            "title": title,
        })
        if media_type is not UNSET:
            field_dict["media_type"] = media_type

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        title = d.pop("title")

        _media_type = d.pop("media_type", UNSET)
        media_type: ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType | Unset
        if isinstance(_media_type,  Unset):
            media_type = UNSET
        else:
            media_type = ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType(_media_type)




        api_v1_documents_batch_ingest_batch_json_body_documents_item = cls(
            text=text,
            title=title,
            media_type=media_type,
        )

        return api_v1_documents_batch_ingest_batch_json_body_documents_item

