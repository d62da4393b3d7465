from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.day_body import DayBody
  from ..models.tally_body import TallyBody





T = TypeVar("T", bound="EngagementBody")



@_attrs_define
class EngagementBody:
    """ 
        Attributes:
            days (list[DayBody]):
            from_ (datetime.date):
            publication_id (UUID):
            to (datetime.date):
            totals (TallyBody):
     """

    days: list[DayBody]
    from_: datetime.date
    publication_id: UUID
    to: datetime.date
    totals: TallyBody
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.day_body import DayBody # noqa: PLC0415
        from ..models.tally_body import TallyBody # noqa: PLC0415
        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)



        from_ = self.from_.isoformat()

        publication_id = str(self.publication_id)

        to = self.to.isoformat()

        totals = self.totals.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "days": days,
            "from": from_,
            "publication_id": publication_id,
            "to": to,
            "totals": totals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.day_body import DayBody # noqa: PLC0415
        from ..models.tally_body import TallyBody # noqa: PLC0415
        d = dict(src_dict)
        days = []
        _days = d.pop("days")
        for days_item_data in (_days):
            days_item = DayBody.from_dict(days_item_data)



            days.append(days_item)


        from_ = datetime.date.fromisoformat(d.pop("from"))




        publication_id = UUID(d.pop("publication_id"))




        to = datetime.date.fromisoformat(d.pop("to"))




        totals = TallyBody.from_dict(d.pop("totals"))




        engagement_body = cls(
            days=days,
            from_=from_,
            publication_id=publication_id,
            to=to,
            totals=totals,
        )


        engagement_body.additional_properties = d
        return engagement_body

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
