from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.draft_create_options_type_0 import DraftCreateOptionsType0





T = TypeVar("T", bound="DraftCreate")



@_attrs_define
class DraftCreate:
    """ 
        Attributes:
            about (str): The entity's id, or its name (or alias, or a part of one)
            depth (int | Unset): How far from the entity the facts reach Default: 1.
            options (DraftCreateOptionsType0 | None | Unset):
            title (None | str | Unset): Default: "What we know about <the entity>"
     """

    about: str
    depth: int | Unset = 1
    options: DraftCreateOptionsType0 | None | Unset = UNSET
    title: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.draft_create_options_type_0 import DraftCreateOptionsType0 # noqa: PLC0415
        about = self.about

        depth = self.depth

        options: dict[str, Any] | None | Unset
        if isinstance(self.options, Unset):
            options = UNSET
        elif isinstance(self.options, DraftCreateOptionsType0):
            options = self.options.to_dict()
        else:
            options = self.options

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "about": about,
        })
        if depth is not UNSET:
            field_dict["depth"] = depth
        if options is not UNSET:
            field_dict["options"] = options
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.draft_create_options_type_0 import DraftCreateOptionsType0 # noqa: PLC0415
        d = dict(src_dict)
        about = d.pop("about")

        depth = d.pop("depth", UNSET)

        def _parse_options(data: object) -> DraftCreateOptionsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                options_type_0 = DraftCreateOptionsType0.from_dict(data)



                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DraftCreateOptionsType0 | None | Unset, data)

        options = _parse_options(d.pop("options", UNSET))


        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))


        draft_create = cls(
            about=about,
            depth=depth,
            options=options,
            title=title,
        )

        return draft_create

