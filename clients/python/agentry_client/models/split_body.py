from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.mention_ref import MentionRef





T = TypeVar("T", bound="SplitBody")



@_attrs_define
class SplitBody:
    """ The new entity's name and type, and which of the entity's aliases and mentions move to it.

        Attributes:
            name (str):
            type_ (str):
            aliases (list[str] | Unset):
            sources (list[MentionRef] | Unset):
     """

    name: str
    type_: str
    aliases: list[str] | Unset = UNSET
    sources: list[MentionRef] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.mention_ref import MentionRef # noqa: PLC0415
        name = self.name

        type_ = self.type_

        aliases: list[str] | Unset = UNSET
        if not isinstance(self.aliases, Unset):
            aliases = self.aliases



        sources: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sources, Unset):
            sources = []
            for sources_item_data in self.sources:
                sources_item = sources_item_data.to_dict()
                sources.append(sources_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "type": type_,
        })
        if aliases is not UNSET:
            field_dict["aliases"] = aliases
        if sources is not UNSET:
            field_dict["sources"] = sources

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mention_ref import MentionRef # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        type_ = d.pop("type")

        aliases = cast(list[str], d.pop("aliases", UNSET))


        _sources = d.pop("sources", UNSET)
        sources: list[MentionRef] | Unset = UNSET
        if _sources is not UNSET:
            sources = []
            for sources_item_data in _sources:
                sources_item = MentionRef.from_dict(sources_item_data)



                sources.append(sources_item)


        split_body = cls(
            name=name,
            type_=type_,
            aliases=aliases,
            sources=sources,
        )

        return split_body

