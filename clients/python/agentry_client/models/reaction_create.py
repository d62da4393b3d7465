from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.reaction_create_kind import ReactionCreateKind






T = TypeVar("T", bound="ReactionCreate")



@_attrs_define
class ReactionCreate:
    """ 
        Attributes:
            kind (ReactionCreateKind):
     """

    kind: ReactionCreateKind





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = ReactionCreateKind(d.pop("kind"))




        reaction_create = cls(
            kind=kind,
        )

        return reaction_create

