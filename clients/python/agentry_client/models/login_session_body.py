from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.revoke_reason import RevokeReason
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="LoginSessionBody")



@_attrs_define
class LoginSessionBody:
    """ 
        Attributes:
            created_at (str):
            current (bool): The session the export was asked from
            id (UUID):
            last_used_at (str): When it last logged in or refreshed
            revoke_reason (None | RevokeReason):
            revoked_at (None | str):
     """

    created_at: str
    current: bool
    id: UUID
    last_used_at: str
    revoke_reason: None | RevokeReason
    revoked_at: None | str





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        current = self.current

        id = str(self.id)

        last_used_at = self.last_used_at

        revoke_reason: None | str
        if isinstance(self.revoke_reason, RevokeReason):
            revoke_reason = self.revoke_reason.value
        else:
            revoke_reason = self.revoke_reason

        revoked_at: None | str
        revoked_at = self.revoked_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "created_at": created_at,
            "current": current,
            "id": id,
            "last_used_at": last_used_at,
            "revoke_reason": revoke_reason,
            "revoked_at": revoked_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        current = d.pop("current")

        id = UUID(d.pop("id"))




        last_used_at = d.pop("last_used_at")

        def _parse_revoke_reason(data: object) -> None | RevokeReason:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoke_reason_type_0 = RevokeReason(data)



                return revoke_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RevokeReason, data)

        revoke_reason = _parse_revoke_reason(d.pop("revoke_reason"))


        def _parse_revoked_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))


        login_session_body = cls(
            created_at=created_at,
            current=current,
            id=id,
            last_used_at=last_used_at,
            revoke_reason=revoke_reason,
            revoked_at=revoked_at,
        )

        return login_session_body

