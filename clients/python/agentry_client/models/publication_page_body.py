from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.publication_body import PublicationBody





T = TypeVar("T", bound="PublicationPageBody")



@_attrs_define
class PublicationPageBody:
    """ 
        Attributes:
            next_cursor (None | str):
            publications (list[PublicationBody]):
     """

    next_cursor: None | str
    publications: list[PublicationBody]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.publication_body import PublicationBody # noqa: PLC0415
        next_cursor: None | str
        next_cursor = self.next_cursor

        publications = []
        for publications_item_data in self.publications:
            publications_item = publications_item_data.to_dict()
            publications.append(publications_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "next_cursor": next_cursor,
            "publications": publications,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.publication_body import PublicationBody # noqa: PLC0415
        d = dict(src_dict)
        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))


        publications = []
        _publications = d.pop("publications")
        for publications_item_data in (_publications):
            publications_item = PublicationBody.from_dict(publications_item_data)



            publications.append(publications_item)


        publication_page_body = cls(
            next_cursor=next_cursor,
            publications=publications,
        )


        publication_page_body.additional_properties = d
        return publication_page_body

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
