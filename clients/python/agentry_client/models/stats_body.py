from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.backlog_body import BacklogBody
  from ..models.stats_body_counts import StatsBodyCounts





T = TypeVar("T", bound="StatsBody")



@_attrs_define
class StatsBody:
    """ 
        Attributes:
            average_duration_s (float | None):
            backlog (list[BacklogBody]):
            counts (StatsBodyCounts):
            p95_duration_s (float | None):
            success_rate (float | None):
            total (int):
     """

    average_duration_s: float | None
    backlog: list[BacklogBody]
    counts: StatsBodyCounts
    p95_duration_s: float | None
    success_rate: float | None
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.backlog_body import BacklogBody # noqa: PLC0415
        from ..models.stats_body_counts import StatsBodyCounts # noqa: PLC0415
        average_duration_s: float | None
        average_duration_s = self.average_duration_s

        backlog = []
        for backlog_item_data in self.backlog:
            backlog_item = backlog_item_data.to_dict()
            backlog.append(backlog_item)



        counts = self.counts.to_dict()

        p95_duration_s: float | None
        p95_duration_s = self.p95_duration_s

        success_rate: float | None
        success_rate = self.success_rate

        total = self.total


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "average_duration_s": average_duration_s,
            "backlog": backlog,
            "counts": counts,
            "p95_duration_s": p95_duration_s,
            "success_rate": success_rate,
            "total": total,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.backlog_body import BacklogBody # noqa: PLC0415
        from ..models.stats_body_counts import StatsBodyCounts # noqa: PLC0415
        d = dict(src_dict)
        def _parse_average_duration_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_duration_s = _parse_average_duration_s(d.pop("average_duration_s"))


        backlog = []
        _backlog = d.pop("backlog")
        for backlog_item_data in (_backlog):
            backlog_item = BacklogBody.from_dict(backlog_item_data)



            backlog.append(backlog_item)


        counts = StatsBodyCounts.from_dict(d.pop("counts"))




        def _parse_p95_duration_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p95_duration_s = _parse_p95_duration_s(d.pop("p95_duration_s"))


        def _parse_success_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate = _parse_success_rate(d.pop("success_rate"))


        total = d.pop("total")

        stats_body = cls(
            average_duration_s=average_duration_s,
            backlog=backlog,
            counts=counts,
            p95_duration_s=p95_duration_s,
            success_rate=success_rate,
            total=total,
        )


        stats_body.additional_properties = d
        return stats_body

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
