"""A webhook delivery: one event for one endpoint, tried until the receiver takes it or the retry
schedule runs out. Its id is the `webhook-id` of every attempt, so a receiver recognises a repeat.

An attempt's outcome decides what comes next: a 2xx ends it `succeeded`; a time-out, a connection
error, 408, 429 or a 5xx is tried again after the schedule's next delay (with jitter, or after the
receiver's Retry-After if it gave one), unless the schedule is used up; any other status, or a
refused address, ends it `failed` at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from agentry.domain.errors import IllegalTransition

# Standard Webhooks' suggested schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (~27.5 h)
DEFAULT_SCHEDULE_S: tuple[float, ...] = (5, 300, 1_800, 7_200, 18_000, 36_000, 36_000)
RETRYABLE_STATUSES = frozenset({408, 429})
EXCERPT_BYTES = 1_024


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    """The delays before the 2nd, 3rd, ... attempt; `jitter` spreads each by up to that fraction either way."""

    delays_s: Sequence[float] = DEFAULT_SCHEDULE_S
    jitter: float = 0.2
    longest_retry_after_s: float = 86_400.0

    def delay(self, failed_attempts: int, spread: float, retry_after_s: float | None) -> float | None:
        """The delay before the next attempt after `failed_attempts` failures; None when none remains.
        `spread` is a random number in [0, 1)."""
        if failed_attempts > len(self.delays_s):
            return None
        base = float(self.delays_s[failed_attempts - 1])
        jittered = base * (1 + self.jitter * (2 * spread - 1))
        if retry_after_s is not None:
            return max(jittered, min(retry_after_s, self.longest_retry_after_s))
        return jittered


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    """What one attempt got: a status code (None: no response: a time-out, a connection error, or an
    address refused), the error in words, the start of the response body, how long it took."""

    status_code: int | None
    error: str | None
    excerpt: str
    duration_ms: int
    retry_after_s: float | None = None
    refused: bool = False  # the address may not be reached (SSRF defence): retrying will not help

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        if self.refused:
            return False
        if self.status_code is None:
            return True
        return self.status_code in RETRYABLE_STATUSES or self.status_code >= 500


@dataclass(frozen=True, slots=True)
class Attempt:
    delivery_id: UUID
    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None
    excerpt: str


@dataclass
class WebhookDelivery:
    id: UUID
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    ordering_key: UUID  # the aggregate (task, project): its deliveries to one endpoint go out in order
    sequence: int  # the order among them
    body: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    lease_token: UUID | None = None
    leased_until: datetime | None = None
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    round_start: int = 0  # the attempts made before the last redelivery by hand (a fresh schedule after)

    @classmethod
    def new(
        cls,
        id: UUID,
        endpoint_id: UUID,
        event_id: UUID,
        event_type: str,
        ordering_key: UUID,
        sequence: int,
        body: str,
        now: datetime,
    ) -> WebhookDelivery:
        return cls(
            id, endpoint_id, event_id, event_type, ordering_key, sequence, body, DeliveryStatus.PENDING, 0, now, now
        )

    @property
    def message_id(self) -> str:
        return f"msg_{self.id.hex}"

    def record(
        self, outcome: AttemptOutcome, started_at: datetime, now: datetime, schedule: RetrySchedule, spread: float
    ) -> Attempt:
        """The attempt just made, and what follows from it."""
        if self.status is not DeliveryStatus.PENDING:
            raise IllegalTransition("delivery", self.id, self.status.value, "attempted")
        self.attempts += 1
        self.last_attempt_at = started_at
        self.last_status_code = outcome.status_code
        self.last_error = outcome.error
        self.lease_token = None
        self.leased_until = None
        if outcome.ok:
            self.status = DeliveryStatus.SUCCEEDED
            self.next_attempt_at = None
        else:
            delay = (
                schedule.delay(self.attempts - self.round_start, spread, outcome.retry_after_s)
                if outcome.retryable
                else None
            )
            if delay is None:
                self.status = DeliveryStatus.FAILED
                self.next_attempt_at = None
            else:
                self.next_attempt_at = now + timedelta(seconds=delay)
        excerpt = outcome.excerpt.encode()[:EXCERPT_BYTES].decode(errors="ignore")
        return Attempt(
            self.id, self.attempts, started_at, outcome.duration_ms, outcome.status_code, outcome.error, excerpt
        )

    def redeliver(self, now: datetime) -> None:
        """Try again from now (by hand): the same id, the same body, a fresh schedule after this attempt."""
        self.status = DeliveryStatus.PENDING
        self.next_attempt_at = now
        self.lease_token = None
        self.leased_until = None
        self.round_start = self.attempts
