from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.chat_send_options_type_0 import ChatSendOptionsType0





T = TypeVar("T", bound="ChatSend")



@_attrs_define
class ChatSend:
    """ 
        Attributes:
            message (str):
            options (ChatSendOptionsType0 | None | Unset):
            project_id (None | Unset | UUID):
            session_id (None | Unset | UUID):
     """

    message: str
    options: ChatSendOptionsType0 | None | Unset = UNSET
    project_id: None | Unset | UUID = UNSET
    session_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_send_options_type_0 import ChatSendOptionsType0 # noqa: PLC0415
        message = self.message

        options: dict[str, Any] | None | Unset
        if isinstance(self.options, Unset):
            options = UNSET
        elif isinstance(self.options, ChatSendOptionsType0):
            options = self.options.to_dict()
        else:
            options = self.options

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        elif isinstance(self.project_id, UUID):
            project_id = str(self.project_id)
        else:
            project_id = self.project_id

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
        if options is not UNSET:
            field_dict["options"] = options
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if session_id is not UNSET:
            field_dict["session_id"] = session_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_send_options_type_0 import ChatSendOptionsType0 # noqa: PLC0415
        d = dict(src_dict)
        message = d.pop("message")

        def _parse_options(data: object) -> ChatSendOptionsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                options_type_0 = ChatSendOptionsType0.from_dict(data)



                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatSendOptionsType0 | None | Unset, data)

        options = _parse_options(d.pop("options", UNSET))


        def _parse_project_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                project_id_type_0 = UUID(data)



                return project_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))


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


        chat_send = cls(
            message=message,
            options=options,
            project_id=project_id,
            session_id=session_id,
        )

        return chat_send

