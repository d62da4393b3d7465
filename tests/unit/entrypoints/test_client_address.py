"""The client address rate limits count by: X-Forwarded-For only from proxies the operator trusts."""

from __future__ import annotations

from typing import Any

from agentry.entrypoints.http.kit.client_address import ClientAddresses


def scope(peer: str, *forwarded: str) -> Any:
    return {"client": (peer, 5555), "headers": [(b"x-forwarded-for", value.encode()) for value in forwarded]}


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_claims() -> None:
    assert ClientAddresses([]).of(scope("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_claim_another_address() -> None:
    assert ClientAddresses(["10.0.0.0/8"]).of(scope("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() -> None:
    addresses = ClientAddresses(["10.0.0.0/8", "192.168.1.1"])
    # The client forged the first entry; our two proxies appended what they saw.
    assert addresses.of(scope("10.0.0.2", "6.6.6.6, 198.51.100.7", "192.168.1.1")) == "198.51.100.7"
    assert addresses.of(scope("10.0.0.2")) == "10.0.0.2"
    assert addresses.of(scope("10.0.0.2", "10.0.0.3")) == "10.0.0.3", "only proxies: the farthest one"


def test_ipv6_networks_and_a_missing_peer() -> None:
    assert ClientAddresses(["fd00::/8"]).of(scope("fd00::1", "2001:db8::5")) == "2001:db8::5"
    assert ClientAddresses([]).of({"client": None, "headers": []}) == "unknown"
