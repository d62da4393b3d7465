"""Who is calling, by network address: the socket peer, or, when that peer is a proxy the operator
trusts (AGENTRY_TRUSTED_PROXIES), the nearest address in X-Forwarded-For that is not such a proxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from litestar import Request
from litestar.types import Scope

FORWARDED_FOR = b"x-forwarded-for"


class ClientAddresses:
    def __init__(self, trusted_proxies: Sequence[str]) -> None:
        self._proxies = [ipaddress.ip_network(proxy, strict=False) for proxy in trusted_proxies]

    def of(self, scope: Scope) -> str:
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        if not self._proxies or not self._trusted(peer):
            return peer
        hops = [
            hop.strip()
            for name, value in scope["headers"]
            if name == FORWARDED_FOR
            for hop in value.decode("latin-1").split(",")
            if hop.strip()
        ]
        # Each proxy appends the address it was called from: the rightmost untrusted one is the client's.
        for hop in reversed(hops):
            if not self._trusted(hop):
                return hop
        return hops[0] if hops else peer

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._proxies)


def client_address(request: Request[Any, Any, Any]) -> str:
    addresses: ClientAddresses = request.app.state.client_addresses
    return addresses.of(request.scope)
