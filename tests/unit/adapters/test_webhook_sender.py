"""The webhook sender's SSRF defence and its limits, against real sockets on loopback."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from agentry.adapters.http_client.signed_sender import HttpxWebhookSender
from agentry.domain.webhooks.addresses import forbidden_reason
from tests.webhook_receiver import Receiver, receiving


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # the cloud metadata service
        "fd00:ec2::254",  # AWS's over IPv6
        "100.64.0.1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "fe80::1",
        "224.0.0.1",
    ],
)
def test_addresses_that_are_not_public_are_refused(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) is None


async def test_a_loopback_receiver_is_refused_without_the_operators_allowance(receiver: Receiver) -> None:
    sender = HttpxWebhookSender(allow_http=True)
    outcome = await sender.send(receiver.url, {}, b"{}")
    await sender.aclose()
    assert outcome.refused and outcome.status_code is None and "127.0.0.1" in (outcome.error or "")
    assert receiver.received == []


async def test_a_name_resolving_to_loopback_is_refused_too(receiver: Receiver) -> None:
    sender = HttpxWebhookSender(allow_http=True)
    outcome = await sender.send(receiver.url.replace("127.0.0.1", "localhost"), {}, b"{}")
    await sender.aclose()
    assert outcome.refused and receiver.received == []


async def test_plain_http_is_refused_unless_allowed(receiver: Receiver) -> None:
    sender = HttpxWebhookSender(allow_private=True)
    outcome = await sender.send(receiver.url, {}, b"{}")
    await sender.aclose()
    assert outcome.refused and receiver.received == []


async def test_with_the_allowance_it_delivers_and_keeps_the_host_header(receiver: Receiver) -> None:
    sender = HttpxWebhookSender(allow_private=True, allow_http=True)
    url = receiver.url.replace("127.0.0.1", "localhost")
    outcome = await sender.send(url, {"webhook-id": "msg_1"}, b'{"a":1}')
    await sender.aclose()
    assert outcome.ok and outcome.excerpt == "ok"
    [got] = receiver.received
    assert got.headers["webhook-id"] == "msg_1" and got.headers["host"].startswith("localhost:")
    assert got.body == b'{"a":1}'


async def test_redirects_are_not_followed(receiver: Receiver) -> None:
    receiver.script = [(302, {"Location": "http://169.254.169.254/latest/meta-data/"})]
    sender = HttpxWebhookSender(allow_private=True, allow_http=True)
    outcome = await sender.send(receiver.url, {}, b"{}")
    await sender.aclose()
    assert outcome.status_code == 302 and not outcome.ok and not outcome.retryable
    assert len(receiver.received) == 1


async def test_a_slow_receiver_times_out_and_is_tried_again(receiver: Receiver) -> None:
    receiver.delay_s = 1.0
    sender = HttpxWebhookSender(allow_private=True, allow_http=True, timeout_s=0.2)
    outcome = await sender.send(receiver.url, {}, b"{}")
    await sender.aclose()
    assert outcome.status_code is None and outcome.retryable and "timed out" in (outcome.error or "")


async def test_a_receiver_that_is_down_is_a_connection_error_tried_again() -> None:
    with receiving() as gone:
        url = gone.url
    sender = HttpxWebhookSender(allow_private=True, allow_http=True)
    outcome = await sender.send(url, {}, b"{}")
    await sender.aclose()
    assert outcome.status_code is None and outcome.retryable and not outcome.refused
