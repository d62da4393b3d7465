from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.tally_body_reactions import TallyBodyReactions





T = TypeVar("T", bound="TallyBody")



@_attrs_define
class TallyBody:
    """ 
        Attributes:
            reactions (TallyBodyReactions):
            views (int):
     """

    reactions: TallyBodyReactions
    views: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.tally_body_reactions import TallyBodyReactions # noqa: PLC0415
        reactions = self.reactions.to_dict()

        views = self.views


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reactions": reactions,
            "views": views,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tally_body_reactions import TallyBodyReactions # noqa: PLC0415
        d = dict(src_dict)
        reactions = TallyBodyReactions.from_dict(d.pop("reactions"))




        views = d.pop("views")

        tally_body = cls(
            reactions=reactions,
            views=views,
        )


        tally_body.additional_properties = d
        return tally_body

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
