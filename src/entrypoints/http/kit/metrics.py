"""HTTP metrics: each answered request by route template (never the raw path), method and status,
with its latency; open live streams (WebSockets, server-sent events); rate-limit refusals by policy.
The outermost middleware, so refusals and problem documents are counted as the client got them."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from litestar.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:  # prometheus-client is imported as the app is built (multiprocess mode first)
    from prometheus_client import Counter, Gauge, Histogram

    from agentry.adapters.prometheus.labels import Children

POLICIES = frozenset(
    {"login", "registration", "refresh", "password", "reads", "writes", "login-failures", "account-login-failures"}
)


def metrics_middleware(app: ASGIApp) -> ASGIApp:
    # Imported as the app is built, after `agentry serve` has set up multiprocess mode.
    from agentry.adapters.prometheus import families as m
    from agentry.adapters.prometheus.labels import Children

    answered = _Answered(Children(m.http_requests), Children(m.http_latency))
    refusals = Children(m.rate_limit_refusals)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        kind: str = scope["type"]
        if kind == "websocket":
            m.live_subscribers.inc()
            try:
                await app(scope, receive, send)
            finally:
                m.live_subscribers.dec()
            return
        if kind != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        seen: dict[str, int | bool] = {"status": 500, "stream": False}
        try:
            await app(scope, receive, _watching(m.live_subscribers, refusals, send, seen))
        finally:
            if seen["stream"]:
                m.live_subscribers.dec()
            route: str = scope.get("path_template") or "unmatched"
            requests, latency = answered(route, str(scope.get("method", "")), int(seen["status"]))
            requests.inc()
            if not seen["stream"]:
                latency.observe(time.perf_counter() - started)

    return middleware


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class _Answered:
    """The request counter's and the latency histogram's children for a route, method and status, got
    together with one lookup (the label values are bounded: route templates, methods, statuses)."""

    def __init__(self, requests: Children[Counter], latency: Children[Histogram]) -> None:
        self._requests = requests
        self._latency = latency
        self._known: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def __call__(self, route: str, given: str, status: int) -> tuple[Counter, Histogram]:
        children = self._known.get((route, given, status))
        if children is None:
            method = given if given in _METHODS else "other"
            children = (self._requests(route, method, str(status)), self._latency(route, method))
            if given in _METHODS:  # other methods' names are the caller's: not kept
                self._known[(route, given, status)] = children
        return children


def _watching(live: Gauge, refusals: Children[Counter], send: Send, seen: dict[str, int | bool]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            seen["status"] = message["status"]
            headers = message.get("headers") or []
            if any(name == b"content-type" and value.startswith(b"text/event-stream") for name, value in headers):
                seen["stream"] = True
                live.inc()
            if message["status"] == 429:
                refusals(_policy(headers)).inc()
        await send(message)

    return sending


def _policy(headers: object) -> str:
    for name, value in headers:  # type: ignore[attr-defined]
        if name == b"ratelimit":
            policy = bytes(value).split(b";", 1)[0].strip(b'" ').decode(errors="replace")
            return policy if policy in POLICIES else "other"
    return "other"
