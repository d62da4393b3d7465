from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="UsageGroupBody")



@_attrs_define
class UsageGroupBody:
    """ 
        Attributes:
            cost_usd (float):
            executions (int):
            failed (int):
            input_tokens (int):
            key (None | str):
            output_tokens (int):
            succeeded (int):
            success_rate (float | None):
     """

    cost_usd: float
    executions: int
    failed: int
    input_tokens: int
    key: None | str
    output_tokens: int
    succeeded: int
    success_rate: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        cost_usd = self.cost_usd

        executions = self.executions

        failed = self.failed

        input_tokens = self.input_tokens

        key: None | str
        key = self.key

        output_tokens = self.output_tokens

        succeeded = self.succeeded

        success_rate: float | None
        success_rate = self.success_rate


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "cost_usd": cost_usd,
            "executions": executions,
            "failed": failed,
            "input_tokens": input_tokens,
            "key": key,
            "output_tokens": output_tokens,
            "succeeded": succeeded,
            "success_rate": success_rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cost_usd = d.pop("cost_usd")

        executions = d.pop("executions")

        failed = d.pop("failed")

        input_tokens = d.pop("input_tokens")

        def _parse_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        key = _parse_key(d.pop("key"))


        output_tokens = d.pop("output_tokens")

        succeeded = d.pop("succeeded")

        def _parse_success_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate = _parse_success_rate(d.pop("success_rate"))


        usage_group_body = cls(
            cost_usd=cost_usd,
            executions=executions,
            failed=failed,
            input_tokens=input_tokens,
            key=key,
            output_tokens=output_tokens,
            succeeded=succeeded,
            success_rate=success_rate,
        )


        usage_group_body.additional_properties = d
        return usage_group_body

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
