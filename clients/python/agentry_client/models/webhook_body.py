from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="WebhookBody")



@_attrs_define
class WebhookBody:
    """ 
        Attributes:
            active (bool):
            consecutive_failures (int):
            created_at (str):
            description (str):
            disabled_reason (None | str):
            event_types (list[str]):
            id (UUID):
            previous_secret_valid_until (None | str):
            project_id (UUID):
            updated_at (str):
            url (str):
            secret (None | str | Unset):
     """

    active: bool
    consecutive_failures: int
    created_at: str
    description: str
    disabled_reason: None | str
    event_types: list[str]
    id: UUID
    previous_secret_valid_until: None | str
    project_id: UUID
    updated_at: str
    url: str
    secret: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active = self.active

        consecutive_failures = self.consecutive_failures

        created_at = self.created_at

        description = self.description

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        event_types = self.event_types



        id = str(self.id)

        previous_secret_valid_until: None | str
        previous_secret_valid_until = self.previous_secret_valid_until

        project_id = str(self.project_id)

        updated_at = self.updated_at

        url = self.url

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "active": active,
            "consecutive_failures": consecutive_failures,
            "created_at": created_at,
            "description": description,
            "disabled_reason": disabled_reason,
            "event_types": event_types,
            "id": id,
            "previous_secret_valid_until": previous_secret_valid_until,
            "project_id": project_id,
            "updated_at": updated_at,
            "url": url,
        })
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active")

        consecutive_failures = d.pop("consecutive_failures")

        created_at = d.pop("created_at")

        description = d.pop("description")

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))


        event_types = cast(list[str], d.pop("event_types"))


        id = UUID(d.pop("id"))




        def _parse_previous_secret_valid_until(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_secret_valid_until = _parse_previous_secret_valid_until(d.pop("previous_secret_valid_until"))


        project_id = UUID(d.pop("project_id"))




        updated_at = d.pop("updated_at")

        url = d.pop("url")

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))


        webhook_body = cls(
            active=active,
            consecutive_failures=consecutive_failures,
            created_at=created_at,
            description=description,
            disabled_reason=disabled_reason,
            event_types=event_types,
            id=id,
            previous_secret_valid_until=previous_secret_valid_until,
            project_id=project_id,
            updated_at=updated_at,
            url=url,
            secret=secret,
        )


        webhook_body.additional_properties = d
        return webhook_body

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
