from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.day_body_reactions import DayBodyReactions





T = TypeVar("T", bound="DayBody")



@_attrs_define
class DayBody:
    """ 
        Attributes:
            day (datetime.date):
            reactions (DayBodyReactions):
            views (int):
     """

    day: datetime.date
    reactions: DayBodyReactions
    views: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.day_body_reactions import DayBodyReactions # noqa: PLC0415
        day = self.day.isoformat()

        reactions = self.reactions.to_dict()

        views = self.views


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "day": day,
            "reactions": reactions,
            "views": views,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.day_body_reactions import DayBodyReactions # noqa: PLC0415
        d = dict(src_dict)
        day = datetime.date.fromisoformat(d.pop("day"))




        reactions = DayBodyReactions.from_dict(d.pop("reactions"))




        views = d.pop("views")

        day_body = cls(
            day=day,
            reactions=reactions,
            views=views,
        )


        day_body.additional_properties = d
        return day_body

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
