"""Webhooks in the domain: signatures a Standard Webhooks receiver verifies, which events go out as
which types, the retry schedule and which outcomes it applies to, rotation, and disabling."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks import Webhook, WebhookVerificationError

from agentry.domain.errors import InvalidValue
from agentry.domain.events import DomainEvent
from agentry.domain.webhooks.delivery import AttemptOutcome, DeliveryStatus, RetrySchedule, WebhookDelivery
from agentry.domain.webhooks.endpoint import DisablePolicy, WebhookEndpoint, checked_event_types, checked_url
from agentry.domain.webhooks.events import webhook_types_of
from agentry.domain.webhooks.signing import headers, secret_from

T0 = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def secret() -> str:
    return secret_from(os.urandom(32))


def endpoint(**overrides: object) -> WebhookEndpoint:
    fields: dict[str, object] = {
        "id": uuid4(),
        "project_id": uuid4(),
        "url": "https://example.com/hook",
        "event_types": frozenset({"task.failed"}),
        "description": "",
        "active": True,
        "secret": secret(),
        "created_at": T0,
        "updated_at": T0,
    } | overrides
    return WebhookEndpoint(**fields)  # type: ignore[arg-type]


def delivery() -> WebhookDelivery:
    return WebhookDelivery.new(uuid4(), uuid4(), uuid4(), "task.failed", uuid4(), 1, "{}", T0)


@given(st.binary(max_size=2_000))
def test_a_signed_body_is_verified_by_the_standardwebhooks_package(body: bytes) -> None:
    key = secret()
    now = int(datetime.now(UTC).timestamp())
    signed = headers([key], "msg_1", now, body)
    Webhook(key).verify(body, signed, json_parse=False)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret()).verify(body, signed, json_parse=False)
    with pytest.raises(WebhookVerificationError):
        Webhook(key).verify(body + b"x", signed, json_parse=False)


def test_after_rotation_both_secrets_sign_until_the_grace_period_ends() -> None:
    hook = endpoint()
    old = hook.secret
    hook.rotate(secret(), T0, timedelta(hours=24))
    assert hook.signing_secrets(T0 + timedelta(hours=23)) == [hook.secret, old]
    assert hook.signing_secrets(T0 + timedelta(hours=24)) == [hook.secret]
    signed = headers(hook.signing_secrets(T0), "msg_2", int(datetime.now(UTC).timestamp()), b"{}")
    Webhook(old).verify(b"{}", signed, json_parse=False)
    Webhook(hook.secret).verify(b"{}", signed, json_parse=False)


def test_a_failure_for_budget_goes_out_as_failed_and_as_budget_exceeded() -> None:
    def event(kind: str, code: str | None = None) -> DomainEvent:
        error = {"code": code, "message": "x"} if code else None
        return DomainEvent(kind, "task", uuid4(), T0, {"project_id": str(uuid4()), "error": error})

    assert webhook_types_of(event("task.failed", "budget_exceeded")) == ["task.failed", "task.budget_exceeded"]
    assert webhook_types_of(event("task.failed", "worker_lost")) == ["task.failed"]
    assert webhook_types_of(event("task.succeeded")) == ["task.succeeded"]
    assert webhook_types_of(event("task.updated")) == []
    assert webhook_types_of(event("project.member_added")) == ["project.member_added"]
    assert webhook_types_of(event("chat.turn_completed")) == ["chat.turn_completed"]
    assert webhook_types_of(event("chat.turn_failed", "runner_failed")) == ["chat.turn_failed"]


@pytest.mark.parametrize(
    ("status", "retried"),
    [(None, True), (408, True), (429, True), (500, True), (503, True), (400, False), (404, False), (410, False)],
)
def test_which_outcomes_are_tried_again(status: int | None, retried: bool) -> None:
    one = delivery()
    one.record(AttemptOutcome(status, "x", "", 1), T0, T0, RetrySchedule((10,)), 0.5)
    assert one.status is (DeliveryStatus.PENDING if retried else DeliveryStatus.FAILED)


def test_a_refused_address_is_not_tried_again_and_a_2xx_ends_it_succeeded() -> None:
    refused, ok = delivery(), delivery()
    refused.record(AttemptOutcome(None, "private", "", 0, refused=True), T0, T0, RetrySchedule(), 0.5)
    ok.record(AttemptOutcome(204, None, "", 1), T0, T0, RetrySchedule(), 0.5)
    assert (refused.status, ok.status) == (DeliveryStatus.FAILED, DeliveryStatus.SUCCEEDED)


@given(st.floats(min_value=0, max_value=0.999_999))
def test_the_schedule_spreads_each_delay_within_its_jitter_then_runs_out(spread: float) -> None:
    schedule = RetrySchedule((5, 300, 1800), jitter=0.2)
    for failures, base in enumerate((5, 300, 1800), start=1):
        delay = schedule.delay(failures, spread, None)
        assert delay is not None and base * 0.8 <= delay <= base * 1.2
    assert schedule.delay(4, spread, None) is None


def test_retry_after_is_honoured_when_longer_than_the_schedule() -> None:
    one = delivery()
    one.record(AttemptOutcome(429, "slow down", "", 1, retry_after_s=120), T0, T0, RetrySchedule((5,), jitter=0), 0.5)
    assert one.next_attempt_at == T0 + timedelta(seconds=120)


def test_the_default_schedule_covers_about_a_day() -> None:
    total = sum(RetrySchedule().delays_s)
    assert 20 * 3600 <= total <= 30 * 3600


def test_a_redelivery_starts_a_fresh_schedule_under_the_same_id() -> None:
    one = delivery()
    schedule = RetrySchedule((1,), jitter=0)
    one.record(AttemptOutcome(500, "x", "", 1), T0, T0, schedule, 0.5)
    one.record(AttemptOutcome(500, "x", "", 1), T0, T0, schedule, 0.5)
    assert one.status is DeliveryStatus.FAILED
    message_id = one.message_id
    one.redeliver(T0)
    one.record(AttemptOutcome(500, "x", "", 1), T0, T0, schedule, 0.5)
    assert one.status is DeliveryStatus.PENDING and one.attempts == 3 and one.message_id == message_id


def test_an_endpoint_is_disabled_after_n_failures_in_a_row_and_a_success_resets_the_count() -> None:
    hook = endpoint()
    policy = DisablePolicy(disable_after_failures=3, disable_after_s=10 * 86_400)
    assert not hook.failed(T0, policy) and not hook.failed(T0, policy)
    hook.delivered()
    assert not hook.failed(T0, policy) and not hook.failed(T0, policy)
    assert hook.failed(T0, policy)
    assert not hook.active and hook.disabled_reason and "3 deliveries in a row" in hook.disabled_reason
    hook.change(T0, active=True)
    assert hook.active and hook.disabled_reason is None and hook.consecutive_failures == 0


def test_an_endpoint_failing_for_five_days_is_disabled() -> None:
    hook = endpoint()
    policy = DisablePolicy(disable_after_failures=1_000)
    assert not hook.failed(T0, policy)
    assert not hook.failed(T0 + timedelta(days=4), policy)
    assert hook.failed(T0 + timedelta(days=5), policy)
    assert hook.disabled_reason and "every delivery failed since" in hook.disabled_reason


@pytest.mark.parametrize(
    "url",
    ["http://example.com/", "ftp://example.com/", "https:///path", "https://u:p@example.com/", "https://e.com/#x"],
)
def test_urls_other_than_plain_https_are_refused(url: str) -> None:
    with pytest.raises(InvalidValue):
        checked_url(url, allow_http=False)


def test_http_is_accepted_when_the_operator_allows_it() -> None:
    assert checked_url("http://example.com/in", allow_http=True) == "http://example.com/in"


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/in",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/in",
        "https://[::1]:8443/in",
        "https://[::ffff:192.168.1.1]/in",
        "https://localhost/in",
        "https://api.localhost./in",
    ],
)
def test_a_private_address_or_localhost_is_refused_at_registration_unless_allowed(url: str) -> None:
    with pytest.raises(InvalidValue, match="AGENTRY_WEBHOOK_ALLOW_PRIVATE"):
        checked_url(url, allow_http=False)
    assert checked_url(url, allow_http=False, allow_private=True) == url


def test_a_public_address_or_a_name_passes_registration_and_is_checked_at_every_attempt() -> None:
    for url in ("https://93.184.216.34/in", "https://hooks.example.com/in", "https://[2606:2800:220:1::1]/in"):
        assert checked_url(url, allow_http=False) == url


def test_unknown_or_no_event_types_are_refused() -> None:
    with pytest.raises(InvalidValue):
        checked_event_types([])
    with pytest.raises(InvalidValue):
        checked_event_types(["task.exploded"])
