from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.usage_group import UsageGroup
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.usage_figures_body import UsageFiguresBody
  from ..models.usage_group_body import UsageGroupBody





T = TypeVar("T", bound="UsageReportBody")



@_attrs_define
class UsageReportBody:
    """ 
        Attributes:
            from_ (datetime.date):
            group_by (UsageGroup): What a row sums over
            groups (list[UsageGroupBody]):
            to (datetime.date):
            total (UsageFiguresBody):
     """

    from_: datetime.date
    group_by: UsageGroup
    groups: list[UsageGroupBody]
    to: datetime.date
    total: UsageFiguresBody
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.usage_figures_body import UsageFiguresBody # noqa: PLC0415
        from ..models.usage_group_body import UsageGroupBody # noqa: PLC0415
        from_ = self.from_.isoformat()

        group_by = self.group_by.value

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)



        to = self.to.isoformat()

        total = self.total.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "from": from_,
            "group_by": group_by,
            "groups": groups,
            "to": to,
            "total": total,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_figures_body import UsageFiguresBody # noqa: PLC0415
        from ..models.usage_group_body import UsageGroupBody # noqa: PLC0415
        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))




        group_by = UsageGroup(d.pop("group_by"))




        groups = []
        _groups = d.pop("groups")
        for groups_item_data in (_groups):
            groups_item = UsageGroupBody.from_dict(groups_item_data)



            groups.append(groups_item)


        to = datetime.date.fromisoformat(d.pop("to"))




        total = UsageFiguresBody.from_dict(d.pop("total"))




        usage_report_body = cls(
            from_=from_,
            group_by=group_by,
            groups=groups,
            to=to,
            total=total,
        )


        usage_report_body.additional_properties = d
        return usage_report_body

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
