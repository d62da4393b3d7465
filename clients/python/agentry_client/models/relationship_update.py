from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.relationship_update_status import RelationshipUpdateStatus
from ..types import UNSET, Unset






T = TypeVar("T", bound="RelationshipUpdate")



@_attrs_define
class RelationshipUpdate:
    """ 
        Attributes:
            status (RelationshipUpdateStatus | Unset):
            type_ (str | Unset):
     """

    status: RelationshipUpdateStatus | Unset = UNSET
    type_: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        type_ = self.type_


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if status is not UNSET:
            field_dict["status"] = status
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: RelationshipUpdateStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = RelationshipUpdateStatus(_status)




        type_ = d.pop("type", UNSET)

        relationship_update = cls(
            status=status,
            type_=type_,
        )

        return relationship_update

