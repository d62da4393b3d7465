"""Quotas per route class (AGENTRY_RATE_LIMITS), counted before the request is handled: per client
address on login, registration, refresh and the public routes (/api/v1/public/...); per credential
(the Authorization header's digest, or the client address without one) on password changes and on the
rest of /api/v1, reads and writes apart. Every answer on a limited route says where its caller stands
(RateLimit-Policy and RateLimit, draft-ietf-httpapi-ratelimit-headers); a refused request gets a 429
problem document with Retry-After.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from agentry.application.errors import RateLimited
from agentry.application.ports.rate_limits import Quota, RateLimiter, Usage
from agentry.entrypoints.http.kit.client_address import ClientAddresses

API = "/api/v1/"
GRAPHQL = "/graphql"  # counted as the rest of the API: GET (queries) as reads, POST (queries or mutations) as writes
BY_ADDRESS = {
    ("POST", "/api/v1/auth/login"): "login",
    ("POST", "/api/v1/auth/register"): "registration",
    ("POST", "/api/v1/auth/refresh"): "refresh",
}
BY_CREDENTIAL = {("POST", "/api/v1/auth/me/password"): "password"}
# Open to anyone, authenticated by nothing: counted per client address, so a made-up Authorization
# header cannot buy a fresh quota.
PUBLIC = "/api/v1/public/"
READS = frozenset({"GET", "HEAD", "OPTIONS"})
WHAT = {
    "login": "too many logins from this address",
    "registration": "too many registrations from this address",
    "refresh": "too many token refreshes from this address",
    "password": "too many password changes",
    "reads": "too many requests",
    "writes": "too many changes",
}


def route_class(method: str, path: str) -> tuple[str, bool] | None:
    """The route class of a request and whether it is counted per client address; None: not limited."""
    path = path.rstrip("/")
    if (name := BY_ADDRESS.get((method, path))) is not None:
        return name, True
    if (name := BY_CREDENTIAL.get((method, path))) is not None:
        return name, False
    if not path.startswith(API) and path != GRAPHQL:
        return None
    return ("reads" if method in READS else "writes"), path.startswith(PUBLIC)


def policy_headers(name: str, quota: Quota, remaining: int, reset_s: float) -> list[tuple[bytes, bytes]]:
    window = math.ceil(quota.window_s)
    return [
        (b"ratelimit-policy", f'"{name}";q={quota.limit};w={window}'.encode()),
        (b"ratelimit", f'"{name}";r={remaining};t={math.ceil(reset_s)}'.encode()),
    ]


def refusal_headers(error: RateLimited) -> dict[str, str]:
    retry = max(1, math.ceil(error.retry_after_s))
    quota = Quota(error.limit, error.window_s)
    headers = {name.decode(): value.decode() for name, value in policy_headers(error.policy, quota, 0, retry)}
    return headers | {"Retry-After": str(retry)}


def rate_limit_middleware(
    quotas: Mapping[str, Quota],
    addresses: ClientAddresses,
    refuse: Callable[[Request[Any, Any, Any], RateLimited], Any],
) -> Callable[[ASGIApp], ASGIApp]:
    """`refuse`: the problem response for a refusal (the app's exception handler)."""

    def wrap(app: ASGIApp) -> ASGIApp:
        limiter: RateLimiter | None = None

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal limiter
            found = route_class(scope["method"], scope["path"]) if scope["type"] == ScopeType.HTTP else None
            if found is None:
                await app(scope, receive, send)
                return
            name, by_address = found
            if limiter is None:
                limiter = await scope["app"].state.dishka_container.get(RateLimiter)
            key = f"{name}:{_caller(scope, addresses, by_address)}"
            now = time.time()
            usage = await limiter.hit(key, quotas[name], now)
            if not usage.allowed:
                error = RateLimited(name, usage.quota.limit, usage.quota.window_s, usage.reset_s(now), WHAT[name])
                request: Request[Any, Any, Any] = Request(scope, receive)
                response = refuse(request, error)
                await response.to_asgi_response(app=None, request=request)(scope, receive, send)
                return
            await app(scope, receive, _with_headers(send, name, usage, now))

        return middleware

    return wrap


def _caller(scope: Scope, addresses: ClientAddresses, by_address: bool) -> str:
    if not by_address:
        for header, value in scope["headers"]:
            if header == b"authorization":
                return "c" + hashlib.sha256(value).hexdigest()[:32]
    return "a" + addresses.of(scope)


def _with_headers(send: Send, name: str, usage: Usage, now: float) -> Send:
    headers = policy_headers(name, usage.quota, usage.remaining, usage.reset_s(now))

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            # A refusal of the use case's own (a login back-off) brings its policy: both are listed.
            message["headers"] = [*message.get("headers", []), *headers]
        await send(message)

    return sending
