"""Sends webhook deliveries over HTTP(S) with httpx, defending against SSRF.

At every attempt the host name is resolved and each address checked: unless the operator allows it
(AGENTRY_WEBHOOK_ALLOW_PRIVATE), an address that is not globally routable (loopback, link-local with
the cloud metadata services, private, shared, reserved, multicast, IPv4-mapped forms of those) refuses
the delivery. The connection goes to the address that was checked (the URL's host stays in the Host
header and in TLS's SNI and certificate check), so a DNS answer that changes between the check and the
connection cannot redirect it. Redirects are not followed; at most `max_body_bytes` of the response are
read; the whole attempt has `timeout_s`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from agentry.domain.webhooks.addresses import forbidden_reason
from agentry.domain.webhooks.delivery import EXCERPT_BYTES, AttemptOutcome

CLIENTS_KEPT = 256


class AddressRefused(Exception):
    pass


class HttpxWebhookSender:
    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        allow_private: bool = False,
        allow_http: bool = False,
        max_body_bytes: int = 64 * 1024,
    ) -> None:
        self._timeout_s = timeout_s
        self._allow_private = allow_private
        self._allow_http = allow_http
        self._max_body_bytes = max_body_bytes
        self._clients: OrderedDict[str, httpx.AsyncClient] = OrderedDict()

    async def send(self, url: str, headers: Mapping[str, str], body: bytes) -> AttemptOutcome:
        began = time.monotonic()

        def elapsed() -> int:
            return round((time.monotonic() - began) * 1000)

        try:
            async with asyncio.timeout(self._timeout_s):
                target, host_header, hostname = await self._checked_target(url)
                client = self._client(hostname)
                request = client.build_request(
                    "POST",
                    target,
                    headers={
                        **headers,
                        "host": host_header,
                        "user-agent": "Agentry-Webhooks/1",
                        "accept-encoding": "identity",
                    },
                    content=body,
                    extensions={"sni_hostname": hostname},
                )
                response = await client.send(request, stream=True)
                try:
                    excerpt = await self._read_capped(response)
                finally:
                    await response.aclose()
        except AddressRefused as refused:
            return AttemptOutcome(None, str(refused), "", elapsed(), refused=True)
        except TimeoutError:
            return AttemptOutcome(None, f"timed out after {self._timeout_s:g}s", "", elapsed())
        except (httpx.HTTPError, OSError) as error:
            return AttemptOutcome(None, f"{type(error).__name__}: {error}"[:500], "", elapsed())
        status = response.status_code
        problem = None if 200 <= status < 300 else f"HTTP {status}"
        if 300 <= status < 400:
            problem = f"HTTP {status} (redirects are not followed)"
        return AttemptOutcome(status, problem, excerpt, elapsed(), _retry_after(response.headers.get("retry-after")))

    async def _checked_target(self, url: str) -> tuple[str, str, str]:
        parts = urlsplit(url)
        schemes = ("https", "http") if self._allow_http else ("https",)
        if parts.scheme not in schemes or not parts.hostname:
            raise AddressRefused(f"{parts.scheme}:// is not allowed (https is required)")
        hostname = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise OSError(f"{hostname} does not resolve ({error.strerror})") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not addresses:
            raise OSError(f"{hostname} has no address")
        if not self._allow_private:
            for address in addresses:
                if (reason := forbidden_reason(address)) is not None:
                    raise AddressRefused(f"{hostname} resolves to {reason}: refused (AGENTRY_WEBHOOK_ALLOW_PRIVATE)")
        chosen = addresses[0]
        shown = f"[{chosen}]" if chosen.version == 6 else str(chosen)
        netloc = f"{shown}:{port}"
        host_header = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header, hostname

    def _client(self, hostname: str) -> httpx.AsyncClient:
        """One client (and connection pool) per host name, so a TLS connection is only reused for its own name."""
        client = self._clients.get(hostname)
        if client is None:
            client = httpx.AsyncClient(
                follow_redirects=False,
                timeout=httpx.Timeout(self._timeout_s),
                trust_env=False,  # no proxy from the environment between us and the checked address
            )
            self._clients[hostname] = client
            while len(self._clients) > CLIENTS_KEPT:
                _, old = self._clients.popitem(last=False)
                asyncio.get_running_loop().create_task(old.aclose())
        else:
            self._clients.move_to_end(hostname)
        return client

    async def _read_capped(self, response: httpx.Response) -> str:
        kept = bytearray()
        async for chunk in response.aiter_raw():
            kept += chunk
            if len(kept) >= self._max_body_bytes:
                break
        return bytes(kept[:EXCERPT_BYTES]).decode(errors="replace")

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
