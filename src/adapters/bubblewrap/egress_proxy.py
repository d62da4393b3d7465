"""The metering egress proxy: the only way out of a sandbox, to the Messages API, with the real key.

One per worker process, on a Unix socket that is bind-mounted into every sandbox (a relay inside
serves it on the sandbox's loopback). It runs on an event loop of its own, in a thread, so it serves
whichever loop the runs are on. Each run gets a token when it starts; the proxy answers 401 to any
other, and to the token once the run has ended, and 403 to anything but the Messages API (POST
/v1/messages and its count_tokens): the key serves nothing else. A request with a good token goes
to the run's upstream with the run's key in place of the token, the answer streams back as it
comes, and the usage the answer reports (message_start, message_delta; or a whole message's
`usage`) is added up for the run.

The same proxy is the sandbox's HTTPS proxy (HTTPS_PROXY, the token as the proxy password): a CONNECT
to a host the run's project allows (its `allowed_hosts` at the claim, given with the grant) is
resolved here, refused if any of its addresses breaks the rules of egress_rules.py, and tunnelled to
the address checked (never resolved again: no DNS rebinding). Anything else is refused, 403 with the
reason (407 without a good token); a run opens at most `max_connections` tunnels. Every CONNECT,
allowed or refused, and the bytes each tunnel carried are reported to the run (its log). Plain HTTP
through the proxy is refused: the allowed hosts are reached over TLS, end to end.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import binascii
import json
import logging
import secrets
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import httpx

from agentry.adapters.bubblewrap.egress_rules import ALLOWANCE, address_refusal, connect_target, ip_literal
from agentry.application.tasks.ports.agent_gateway import NetworkUse
from agentry.domain.errors import InvalidValue
from agentry.domain.projects.hosts import HostPattern, host_allowed

Reader: TypeAlias = asyncio.StreamReader
Writer: TypeAlias = asyncio.StreamWriter
DEFAULT_UPSTREAM = "https://api.anthropic.com"
TOKEN_PREFIX = "agentry-egress-"
HEAD_LIMIT = 64 * 1024
BODY_LIMIT = 32 * 1024 * 1024
DROPPED_HEADERS = frozenset(
    {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "x-api-key", "authorization",
     "accept-encoding", "proxy-authorization", "upgrade", "te"}
)  # fmt: skip
REFUSED = "no valid egress token: this sandbox's run has ended, or it never had one"
ALLOWED = frozenset({("POST", "/v1/messages"), ("POST", "/v1/messages/count_tokens")})
NOT_ALLOWED = "the egress proxy forwards the Messages API only (POST /v1/messages, /v1/messages/count_tokens)"
TOO_LARGE = "the egress proxy takes bodies with a content-length of up to 32 MiB"
USAGE_FIELDS = ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
DEFAULT_MAX_CONNECTIONS = 256
CONNECT_TIMEOUT_S = 10.0
TUNNEL_CHUNK = 64 * 1024
PLAIN_HTTP = "the egress proxy does not forward plain HTTP; reach the project's allowed hosts over HTTPS"
Report: TypeAlias = Callable[[NetworkUse], object]


log = logging.getLogger("agentry.worker")


@dataclass(slots=True)
class Metered:
    """Tokens the upstream reported for one run, over all its requests."""

    requests: int = 0
    tokens: dict[str, int] = field(default_factory=lambda: dict.fromkeys(USAGE_FIELDS, 0))
    connections: int = 0
    """Tunnels the run asked for (CONNECT to an allowed host), opened or not."""


@dataclass(frozen=True, slots=True)
class _Grant:
    upstream: str
    credential: tuple[str, str] | None
    metered: Metered
    hosts: tuple[HostPattern, ...] = ()
    report: Report | None = None
    tunnels: set[Writer] = field(default_factory=set)
    """Both ends of each open tunnel (touched on the proxy's loop only)."""


class EgressProxy:
    """`allow_private`: CONNECT may reach loopback, private and link-local addresses (egress_rules.py);
    `max_connections`: the tunnels one run may open."""

    def __init__(self, *, allow_private: bool = False, max_connections: int = DEFAULT_MAX_CONNECTIONS) -> None:
        self.allow_private = allow_private
        self.max_connections = max_connections
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()
        self._socket: Path | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None

    @property
    def socket_path(self) -> Path:
        """The socket to bind into sandboxes; the proxy starts on first use."""
        with self._lock:
            if self._socket is None:
                self._socket = self._start()
            return self._socket

    def grant(
        self,
        upstream: str | None,
        credential: tuple[str, str] | None,
        hosts: Iterable[str] = (),
        report: Report | None = None,
    ) -> str:
        """A new token for one run, whose requests go to `upstream` with `credential` (a header) in its place,
        and which may reach `hosts` (domain/projects/hosts.py patterns); `report` hears of each CONNECT
        (called on the proxy's thread)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        patterns = tuple(HostPattern.parse(entry) for entry in hosts)
        base = (upstream or DEFAULT_UPSTREAM).rstrip("/")
        with self._lock:
            self._grants[token] = _Grant(base, credential, Metered(), patterns, report)
        return token

    def revoke(self, token: str) -> Metered:
        """The token stops working; what its run used."""
        with self._lock:
            grant = self._grants.pop(token, None)
            loop = self._loop
        if grant is not None and loop is not None:  # a tunnel left open (half-closed...) ends with its run
            with suppress(RuntimeError):
                loop.call_soon_threadsafe(_cut, grant.tunnels)
        return grant.metered if grant else Metered()

    def _start(self) -> Path:
        directory = Path(tempfile.mkdtemp(prefix="agentry-egress-"))  # the service's user's alone
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        path = directory / "egress.sock"
        started = threading.Event()
        loop = self._loop = asyncio.new_event_loop()

        async def serve() -> None:
            client = httpx.AsyncClient(timeout=httpx.Timeout(600.0, connect=30.0))
            # Kept: a server nothing refers to may be collected, and closed (uvloop's is).
            self._server = await asyncio.start_unix_server(lambda r, w: self._serve(client, r, w), path)
            started.set()

        def run() -> None:
            loop.run_until_complete(serve())
            loop.run_forever()

        threading.Thread(target=run, name="agentry-egress-proxy", daemon=True).start()
        if not started.wait(10):
            raise RuntimeError("the egress proxy did not start")
        return path

    async def _serve(self, client: httpx.AsyncClient, reader: Reader, writer: Writer) -> None:
        try:
            await self._answer(client, reader, writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, httpx.HTTPError) as error:
            log.warning("egress proxy: a request from a sandbox ended unanswered: %r", error)
        finally:
            with suppress(OSError):
                writer.close()

    async def _answer(self, client: httpx.AsyncClient, reader: Reader, writer: Writer) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        if len(head) > HEAD_LIMIT:
            await _reply(writer, 431, "invalid_request_error", "request head too large")
            return
        request_line, *lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines if ":" in line]
        named = {name.lower(): value for name, value in headers}
        if method == "CONNECT":
            await self._connect(target, named, reader, writer)
            return
        if not target.startswith("/"):
            await _reply(writer, 403, "permission_error", PLAIN_HTTP)
            return
        with self._lock:
            grant = self._grants.get(_token_of(named))
        if grant is None:
            await _reply(writer, 401, "authentication_error", REFUSED)
            return
        if (method, target.split("?", 1)[0]) not in ALLOWED:
            await _reply(writer, 403, "permission_error", NOT_ALLOWED)
            return
        length = int(named.get("content-length", "0"))
        if length > BODY_LIMIT or "transfer-encoding" in named:
            await _reply(writer, 413, "invalid_request_error", TOO_LARGE)
            return
        body = await reader.readexactly(length)
        forwarded = [(name, value) for name, value in headers if name.lower() not in DROPPED_HEADERS]
        forwarded += [("accept-encoding", "identity"), *([grant.credential] if grant.credential else [])]
        grant.metered.requests += 1
        upstream = client.build_request(method, grant.upstream + target, headers=forwarded, content=body)
        # The sandbox hanging up (its run ended) ends the upstream request too.
        relaying = asyncio.ensure_future(_relay(client, upstream, grant.metered, writer))
        hung_up = asyncio.ensure_future(reader.read(1))
        await asyncio.wait((relaying, hung_up), return_when=asyncio.FIRST_COMPLETED)
        for task in (relaying, hung_up):
            task.cancel()
        await asyncio.gather(relaying, hung_up, return_exceptions=True)

    async def _connect(self, target: str, named: dict[str, str], reader: Reader, writer: Writer) -> None:
        """A tunnel to an allowed host, or a refusal; either way reported to the run."""
        with self._lock:
            grant = self._grants.get(_proxy_token_of(named))
        if grant is None:
            await _reply(writer, 407, "authentication_error", REFUSED, proxy=True)
            return
        try:
            host, port = connect_target(target)
            if "*" in host or (ip_literal(host) is None and not _valid_name(host, port)):
                raise ValueError("not a valid host name")
        except ValueError as error:
            await self._refuse(grant, writer, target[:100], 0, f"CONNECT {target[:100]!r} refused: {error}", status=400)
            return
        if (why := self._refusal(grant, host, port)) is not None:
            await self._refuse(grant, writer, host, port, f"CONNECT {host}:{port} refused: {why}")
            return
        grant.metered.connections += 1
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT_S):
                found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError) as error:
            why = f"{host} could not be resolved ({error})"
            await self._refuse(grant, writer, host, port, f"CONNECT {host}:{port} failed: {why}", status=502)
            return
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        for address in addresses:
            checked = ip_literal(address.split("%", 1)[0])
            why = "an unreadable address" if checked is None else address_refusal(checked, self.allow_private)
            if why is not None:
                hint = "" if self.allow_private or checked is None else f" (the operator may allow them: {ALLOWANCE})"
                message = f"CONNECT {host}:{port} refused: {host} resolves to {address}, {why}{hint}"
                await self._refuse(grant, writer, host, port, message)
                return
        upstream = await _open(addresses, port)
        if upstream is None:
            why = f"no address of {host} ({', '.join(addresses)}) accepted a connection"
            await self._refuse(grant, writer, host, port, f"CONNECT {host}:{port} failed: {why}", status=502)
            return
        (far_reader, far_writer), address = upstream
        _tell(grant, NetworkUse(host, port, True, f"CONNECT {host}:{port} allowed: tunnel to {address} opened"))
        counted = [0, 0]
        ends = (writer, far_writer)
        grant.tunnels.update(ends)
        try:
            try:
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
            except OSError:
                far_writer.transport.abort()  # the sandbox's end is gone before the tunnel began
                raise
            await _tunnel(reader, writer, far_reader, far_writer, counted)
        finally:
            grant.tunnels.difference_update(ends)
            sent, received = counted
            message = f"CONNECT {host}:{port} closed: {sent} bytes sent, {received} received"
            _tell(grant, NetworkUse(host, port, True, message, sent, received))

    def _refusal(self, grant: _Grant, host: str, port: int) -> str | None:
        if ip_literal(host) is not None:
            return "IP addresses are not reachable through the proxy; the project's allowed_hosts name hosts"
        if not host_allowed(grant.hosts, host, port):
            allowed = ", ".join(str(pattern) for pattern in grant.hosts) or "none"
            return f"not among the project's allowed hosts (settings.allowed_hosts: {allowed})"
        if grant.metered.connections >= self.max_connections:
            return f"this run has opened {self.max_connections} connections, the most one run may"
        return None

    async def _refuse(
        self, grant: _Grant, writer: Writer, host: str, port: int, message: str, status: int = 403
    ) -> None:
        _tell(grant, NetworkUse(host, port, False, message))
        await _reply(writer, status, "permission_error" if status == 403 else "invalid_request_error", message)


def _valid_name(host: str, port: int) -> bool:
    try:
        HostPattern.parse(f"{host}:{port}")
    except InvalidValue:
        return False
    return True


def _cut(tunnels: set[Writer]) -> None:
    for end in list(tunnels):
        end.transport.abort()


def _tell(grant: _Grant, use: NetworkUse) -> None:
    if grant.report is not None:
        with suppress(RuntimeError):  # the run's event loop is gone: nobody is left to tell
            grant.report(use)


async def _open(addresses: list[str], port: int) -> tuple[tuple[Reader, Writer], str] | None:
    """A connection to the first of the checked addresses that accepts one."""
    for address in addresses:
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT_S):
                return await asyncio.open_connection(address, port), address
        except (OSError, TimeoutError):
            continue
    return None


async def _tunnel(reader: Reader, writer: Writer, far_reader: Reader, far_writer: Writer, counted: list[int]) -> None:
    """Copy both ways until both ends are done; `counted`: bytes sent (to the far end) and received."""

    async def pipe(source: Reader, target: Writer, index: int) -> None:
        try:
            while data := await source.read(TUNNEL_CHUNK):
                counted[index] += len(data)
                target.write(data)
                await target.drain()
            if target.can_write_eof():
                target.write_eof()
        except OSError:
            for either in (writer, far_writer):  # cut both: the other direction ends too
                either.transport.abort()

    try:
        await asyncio.gather(pipe(reader, far_writer, 0), pipe(far_reader, writer, 1))
    finally:
        with suppress(OSError):
            far_writer.close()


async def _relay(client: httpx.AsyncClient, upstream: httpx.Request, metered: Metered, writer: Writer) -> None:
    response = await client.send(upstream, stream=True)
    try:
        kept = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in DROPPED_HEADERS]
        status = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
        writer.write((status + "".join(f"{k}: {v}\r\n" for k, v in kept) + "connection: close\r\n\r\n").encode())
        meter = UsageReader(metered, "text/event-stream" in response.headers.get("content-type", ""))
        async for chunk in response.aiter_raw():
            meter.feed(chunk)
            writer.write(chunk)
            await writer.drain()
        meter.close()
    finally:
        await response.aclose()


class UsageReader:
    """Usage from an answer as it streams: server-sent events, or one JSON message."""

    def __init__(self, metered: Metered, streamed: bool) -> None:
        self._metered = metered
        self._streamed = streamed
        self._buffer = b""
        self._message: dict[str, int] = {}

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk
        if not self._streamed:
            return
        *complete, self._buffer = self._buffer.split(b"\n")
        for line in complete:
            if line.startswith(b"data:"):
                self._event(_json(line[5:]))

    def close(self) -> None:
        if not self._streamed:
            self._event({"type": "message_start", "message": _json(self._buffer)})
        self._add()

    def _event(self, event: Any) -> None:
        if not isinstance(event, dict):
            return
        if event.get("type") == "message_start":
            self._add()
            message = event.get("message")
            self._take(message.get("usage") if isinstance(message, dict) else None)
        elif event.get("type") == "message_delta":
            self._take(event.get("usage"))

    def _take(self, usage: Any) -> None:
        if isinstance(usage, dict):
            self._message |= {k: v for k, v in usage.items() if k in USAGE_FIELDS and isinstance(v, int)}

    def _add(self) -> None:
        for name, count in self._message.items():
            self._metered.tokens[name] += count
        self._message = {}


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _proxy_token_of(headers: dict[str, str]) -> str:
    """The token in a Proxy-Authorization header: the password of Basic (HTTPS_PROXY=http://agentry:TOKEN@...)
    or a Bearer token."""
    kind, _, credentials = headers.get("proxy-authorization", "").partition(" ")
    if kind.lower() == "bearer":
        return credentials.strip()
    if kind.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]


def _token_of(headers: dict[str, str]) -> str:
    bearer = headers.get("authorization", "")
    return headers.get("x-api-key") or (bearer[7:] if bearer.lower().startswith("bearer ") else "")


async def _reply(writer: asyncio.StreamWriter, status: int, kind: str, message: str, *, proxy: bool = False) -> None:
    body = json.dumps({"type": "error", "error": {"type": kind, "message": message}}).encode()
    head = f"HTTP/1.1 {status} Error\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
    if proxy:
        head += 'proxy-authenticate: Basic realm="agentry egress"\r\n'
    writer.write(head.encode() + b"connection: close\r\n\r\n" + body)
    await writer.drain()
