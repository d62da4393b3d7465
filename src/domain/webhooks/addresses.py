"""Which addresses a webhook may not reach unless the operator allows it (AGENTRY_WEBHOOK_ALLOW_PRIVATE):
anything not globally routable (loopback, link-local with the cloud metadata services, private, shared,
reserved, multicast, and the IPv4-mapped forms of those)."""

from __future__ import annotations

import ipaddress

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def forbidden_reason(address: IpAddress) -> str | None:
    """Why a delivery may not go to `address`, or None if it is a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return forbidden_reason(address.ipv4_mapped)
    if address.is_global and not address.is_multicast:
        return None
    for what in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{what}"):
            return f"{address} is a {what.replace('_', '-')} address"
    return f"{address} is not a public address"


def forbidden_host(hostname: str) -> str | None:
    """Why a URL's host is refused before any lookup (an address literal that is not public, or a name of
    this machine), or None: the name may still resolve to such an address, and is checked at every attempt."""
    name = hostname.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return f"{hostname} is this machine"
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return None
    return forbidden_reason(address)
