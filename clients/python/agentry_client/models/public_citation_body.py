from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PublicCitationBody")



@_attrs_define
class PublicCitationBody:
    """ Source `number` of a published body (`[number]`) as the public sees it: the document's title and
        the quoted text at `start:end` of its chunk, as they read when the source was given; not the ids of
        the project's documents and chunks, which only its members may read.

        Attributes:
            document_title (None | str):
            end (int):
            number (int):
            quote (str):
            start (int):
     """

    document_title: None | str
    end: int
    number: int
    quote: str
    start: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        document_title: None | str
        document_title = self.document_title

        end = self.end

        number = self.number

        quote = self.quote

        start = self.start


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "document_title": document_title,
            "end": end,
            "number": number,
            "quote": quote,
            "start": start,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_document_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        document_title = _parse_document_title(d.pop("document_title"))


        end = d.pop("end")

        number = d.pop("number")

        quote = d.pop("quote")

        start = d.pop("start")

        public_citation_body = cls(
            document_title=document_title,
            end=end,
            number=number,
            quote=quote,
            start=start,
        )


        public_citation_body.additional_properties = d
        return public_citation_body

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
