"""The egress proxy's address rules: public unicast addresses only, unless the operator allows private
ones; the metadata services, multicast, unspecified and reserved ranges never; an IPv6 address carrying
an IPv4 one is held to the IPv4 rules."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.adapters.bubblewrap.egress_rules import address_refusal, connect_target

PRIVATE_NETS = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8")]


@pytest.mark.parametrize(
    ("address", "refused", "even_allowed"),
    [
        ("93.184.215.14", None, None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None, None),
        ("127.0.0.1", "a loopback address", None),
        ("::1", "a loopback address", None),
        ("10.1.2.3", "a private address", None),
        ("172.31.255.255", "a private address", None),
        ("192.168.1.1", "a private address", None),
        ("fd12:3456::1", "a private address", None),
        ("100.64.0.1", "not globally reachable", None),
        ("169.254.1.1", "a link-local address", None),
        ("fe80::1", "a link-local address", None),
        ("169.254.169.254", "metadata", "metadata"),
        ("169.254.170.2", "metadata", "metadata"),
        ("fd00:ec2::254", "metadata", "metadata"),
        ("0.0.0.0", "unspecified", "unspecified"),
        ("::", "unspecified", "unspecified"),
        ("224.0.0.1", "multicast", "multicast"),
        ("ff02::1", "multicast", "multicast"),
        ("240.0.0.1", "reserved", "reserved"),
        ("::ffff:127.0.0.1", "a loopback address", None),
        ("::ffff:169.254.169.254", "metadata", "metadata"),
        ("::ffff:93.184.215.14", None, None),
        ("64:ff9b::a00:1", "a private address", "reserved"),  # in ::/8, reserved as a whole
        ("2002:a00:1::1", "a private address", None),
    ],
)
def test_what_an_address_is_refused_as_with_and_without_the_allowance(
    address: str, refused: str | None, even_allowed: str | None
) -> None:
    ip = ipaddress.ip_address(address)
    without, allowed = address_refusal(ip), address_refusal(ip, allow_private=True)
    assert (without is None) is (refused is None) and (refused or "") in (without or "")
    assert (allowed is None) is (even_allowed is None) and (even_allowed or "") in (allowed or "")


@given(st.sampled_from(PRIVATE_NETS).flatmap(lambda net: st.integers(0, net.num_addresses - 1).map(lambda i: net[i])))
def test_every_private_ipv4_address_is_refused_also_as_ipv6_mapped(address: ipaddress.IPv4Address) -> None:
    assert address_refusal(address) is not None
    assert address_refusal(ipaddress.IPv6Address(f"::ffff:{address}")) is not None
    assert address_refusal(address, allow_private=True) is None


@pytest.mark.parametrize(
    ("authority", "target"),
    [("pypi.org:443", ("pypi.org", 443)), ("PyPI.org.:8443", ("pypi.org", 8443)), ("[::1]:443", ("::1", 443))],
)
def test_a_connect_target_is_read_as_host_and_port(authority: str, target: tuple[str, int]) -> None:
    assert connect_target(authority) == target


@pytest.mark.parametrize("authority", ["pypi.org", ":443", "pypi.org:0", "pypi.org:99999", "pypi.org:x"])
def test_a_connect_target_without_a_host_and_a_port_is_refused(authority: str) -> None:
    with pytest.raises(ValueError, match="a CONNECT names host:port"):
        connect_target(authority)
