from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="PublicSend")



@_attrs_define
class PublicSend:
    """ A visitor's message: a new session (no session_id) or the next turn of one of its own. It runs on
        the public chat's runner with its tools; a visitor chooses no options.

        Attributes:
            message (str):
            session_id (None | Unset | UUID):
     """

    message: str
    session_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        message = self.message

        session_id: None | str | Unset
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        elif isinstance(self.session_id, UUID):
            session_id = str(self.session_id)
        else:
            session_id = self.session_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "message": message,
        })
        if session_id is not UNSET:
            field_dict["session_id"] = session_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message")

        def _parse_session_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                session_id_type_0 = UUID(data)



                return session_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        session_id = _parse_session_id(d.pop("session_id", UNSET))


        public_send = cls(
            message=message,
            session_id=session_id,
        )

        return public_send

