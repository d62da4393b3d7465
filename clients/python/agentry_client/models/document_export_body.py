from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.document_body import DocumentBody





T = TypeVar("T", bound="DocumentExportBody")



@_attrs_define
class DocumentExportBody:
    """ 
        Attributes:
            document (DocumentBody):
            text (None | str): What parsing made of it; null until then, or if it could not be
     """

    document: DocumentBody
    text: None | str





    def to_dict(self) -> dict[str, Any]:
        from ..models.document_body import DocumentBody # noqa: PLC0415
        document = self.document.to_dict()

        text: None | str
        text = self.text


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "document": document,
            "text": text,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_body import DocumentBody # noqa: PLC0415
        d = dict(src_dict)
        document = DocumentBody.from_dict(d.pop("document"))




        def _parse_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        text = _parse_text(d.pop("text"))


        document_export_body = cls(
            document=document,
            text=text,
        )

        return document_export_body

