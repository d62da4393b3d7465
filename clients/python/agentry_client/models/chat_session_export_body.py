from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.chat_session_body import ChatSessionBody
  from ..models.chat_turn_export_body import ChatTurnExportBody





T = TypeVar("T", bound="ChatSessionExportBody")



@_attrs_define
class ChatSessionExportBody:
    """ 
        Attributes:
            session (ChatSessionBody):
            turns (list[ChatTurnExportBody]): Its turns, in order
     """

    session: ChatSessionBody
    turns: list[ChatTurnExportBody]





    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_session_body import ChatSessionBody # noqa: PLC0415
        from ..models.chat_turn_export_body import ChatTurnExportBody # noqa: PLC0415
        session = self.session.to_dict()

        turns = []
        for turns_item_data in self.turns:
            turns_item = turns_item_data.to_dict()
            turns.append(turns_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "session": session,
            "turns": turns,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_session_body import ChatSessionBody # noqa: PLC0415
        from ..models.chat_turn_export_body import ChatTurnExportBody # noqa: PLC0415
        d = dict(src_dict)
        session = ChatSessionBody.from_dict(d.pop("session"))




        turns = []
        _turns = d.pop("turns")
        for turns_item_data in (_turns):
            turns_item = ChatTurnExportBody.from_dict(turns_item_data)



            turns.append(turns_item)


        chat_session_export_body = cls(
            session=session,
            turns=turns,
        )

        return chat_session_export_body

