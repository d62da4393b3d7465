"""A webhook endpoint: where a project's events are sent, which of them, and the secret that signs them.

The secret is made by the server and shown once. Rotating it keeps the previous one valid for a grace
period (24 hours by default), during which deliveries carry both signatures, so a receiver can switch
secrets without missing a beat. An endpoint that keeps failing (for `disable_after_s`, or
`disable_after_failures` deliveries in a row) is disabled, with the reason kept for its owners; a
success in between starts the count again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID

from agentry.domain.errors import InvalidValue
from agentry.domain.webhooks.addresses import forbidden_host
from agentry.domain.webhooks.events import EVENT_TYPES

URL_MAX = 2_000
DESCRIPTION_MAX = 500
ROTATION_GRACE = timedelta(hours=24)


def checked_url(url: str, *, allow_http: bool, allow_private: bool = False) -> str:
    """A URL deliveries may go to. Unless `allow_private`, a host that is an address literal other than a
    public one, or `localhost`, is refused here already (a name is checked at every attempt)."""
    if len(url) > URL_MAX:
        raise InvalidValue("url", f"at most {URL_MAX} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidValue("url", f"not a URL ({error})") from None
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        raise InvalidValue(
            "url", "must be https://" + (" or http://" if allow_http else " (plain http is not allowed)")
        )
    if not parts.hostname:
        raise InvalidValue("url", "has no host")
    if parts.username or parts.password:
        raise InvalidValue("url", "must not carry credentials")
    if port == 0:
        raise InvalidValue("url", "port 0 is not a port")
    if parts.fragment:
        raise InvalidValue("url", "must not have a #fragment")
    if not allow_private and (reason := forbidden_host(parts.hostname)) is not None:
        raise InvalidValue("url", f"{reason}: refused (AGENTRY_WEBHOOK_ALLOW_PRIVATE)")
    return url


def checked_event_types(types: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(types)
    if not chosen:
        raise InvalidValue("event_types", "choose at least one event type")
    unknown = sorted(chosen - EVENT_TYPES)
    if unknown:
        raise InvalidValue("event_types", f"unknown: {', '.join(unknown)}; known: {', '.join(sorted(EVENT_TYPES))}")
    return chosen


def checked_description(description: str) -> str:
    if len(description) > DESCRIPTION_MAX:
        raise InvalidValue("description", f"at most {DESCRIPTION_MAX} characters")
    return description


@dataclass(frozen=True, slots=True)
class DisablePolicy:
    disable_after_failures: int = 50
    disable_after_s: float = 5 * 86_400.0


@dataclass
class WebhookEndpoint:
    id: UUID
    project_id: UUID
    url: str
    event_types: frozenset[str]
    description: str
    active: bool
    secret: str
    created_at: datetime
    updated_at: datetime
    previous_secret: str | None = None
    previous_secret_until: datetime | None = None
    consecutive_failures: int = 0
    failing_since: datetime | None = None
    disabled_reason: str | None = None
    _changed: bool = field(default=False, repr=False, compare=False)

    def subscribes_to(self, event_type: str) -> bool:
        return self.active and event_type in self.event_types

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets a delivery is signed with now: the current one, and the previous one while its
        grace period lasts."""
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            secrets.append(self.previous_secret)
        return secrets

    def rotate(self, new_secret: str, now: datetime, grace: timedelta = ROTATION_GRACE) -> None:
        self.previous_secret = self.secret
        self.previous_secret_until = now + grace
        self.secret = new_secret
        self.updated_at = now

    def change(
        self,
        now: datetime,
        *,
        url: str | None = None,
        event_types: frozenset[str] | None = None,
        description: str | None = None,
        active: bool | None = None,
    ) -> None:
        if url is not None:
            self.url = url
        if event_types is not None:
            self.event_types = checked_event_types(event_types)
        if description is not None:
            self.description = checked_description(description)
        if active is not None:
            if active and not self.active:  # switched on again: a fresh start
                self.consecutive_failures = 0
                self.failing_since = None
                self.disabled_reason = None
            self.active = active
        self.updated_at = now

    def delivered(self) -> None:
        """A delivery got a 2xx: the endpoint is healthy again."""
        self.consecutive_failures = 0
        self.failing_since = None

    def failed(self, now: datetime, policy: DisablePolicy) -> bool:
        """A delivery ended failed (its attempts exhausted, or refused for good). True if this disabled it."""
        self.consecutive_failures += 1
        if self.failing_since is None:
            self.failing_since = now
        if not self.active:
            return False
        reason = None
        if self.consecutive_failures >= policy.disable_after_failures:
            reason = f"{self.consecutive_failures} deliveries in a row failed"
        elif (now - self.failing_since).total_seconds() >= policy.disable_after_s:
            reason = f"every delivery failed since {self.failing_since.isoformat()}"
        if reason is None:
            return False
        self.active = False
        self.disabled_reason = f"disabled automatically at {now.isoformat()}: {reason}"
        self.updated_at = now
        return True
