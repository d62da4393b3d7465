"""What the egress proxy lets a sandbox connect to: the target of a CONNECT, and the addresses a host may
resolve to (SSRF rules).

A host whose addresses include ANY that is not a public unicast one is refused as a whole (a name
resolving to a public and a private address must not reach the private one by a second try).
Loopback, private (RFC 1918, unique-local), shared (100.64/10), link-local and the other
non-global ranges are reachable only when the operator allows them (AGENTRY_EGRESS_ALLOW_PRIVATE: for
tests, or a deliberate internal mirror); the unspecified, multicast and reserved ranges and the cloud
metadata services never are. An IPv6 address carrying an IPv4 one (mapped, 6to4, Teredo, NAT64) is
held to the rules of both.
"""

from __future__ import annotations

import ipaddress
from typing import TypeAlias

Address: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "fd20:ce::254")
)
"""Cloud metadata services (AWS, ECS, AWS over IPv6, Alibaba, GCP over IPv6): never reachable."""
NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALLOWANCE = "AGENTRY_EGRESS_ALLOW_PRIVATE"


def address_refusal(address: Address, allow_private: bool = False) -> str | None:
    """Why the proxy must not connect to `address`, if it must not: a phrase such as "a loopback address"."""
    for embedded in _embedded(address):
        if (why := address_refusal(embedded, allow_private)) is not None:
            return why
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return None  # held to the IPv4 rules above
    if address in METADATA:
        return "a cloud metadata service's address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_loopback:
        kind = "a loopback address"
    elif address.is_link_local:
        kind = "a link-local address"
    elif address.is_reserved:
        return "a reserved address"
    elif address.is_private:
        kind = "a private address"
    elif not address.is_global:
        kind = "an address that is not globally reachable"
    else:
        return None
    return None if allow_private else kind


def _embedded(address: Address) -> list[Address]:
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found: list[Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found += address.teredo
    if address in NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def connect_target(authority: str) -> tuple[str, int]:
    """The host (lower-case, without a final dot or IPv6 brackets) and port of a CONNECT's `host:port`;
    ValueError when it is not one."""
    host, colon, port = authority.rpartition(":")
    if not colon or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError("a CONNECT names host:port")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host.lower().removesuffix("."), int(port)


def ip_literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None
