"""Admission control: at most so many requests handled at once per process, the rest waiting their turn
in a short first-come-first-served queue, and a quick 503 with Retry-After beyond that.

Why: every request holds a database connection, and SQLAlchemy's pool does not hand them out fairly.
Its asyncio queue lets a newcomer take a connection that was just returned ahead of the request woken
for it, and the woken request goes to the back of the line, again and again, until the pool's check-out
time-out. Under 64 clients most requests waited a little and a few the whole 10 s, then failed. Here
no more requests run than the pool has connections for, so none waits on the pool; the waiting happens
in this queue instead, in arrival order, and is bounded in time and in length.

Not counted (they bypass the queue): /health/* (an orchestrator must hear from an overloaded process,
or it would restart a busy one), and the live channels, the WebSocket and the server-sent events of a
task: they stay open for minutes and hold no database connection while they wait, so counting them
would starve the short requests; they are bounded by what their clients are allowed to open.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque
from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

EXEMPT_PREFIXES = ("/health/",)
EXEMPT_SUFFIXES = ("/events",)  # GET /api/v1/tasks/{id}/events: a task's server-sent events


class Overloaded(Exception):
    """Refused by admission control: the process has as much work as it can take; try again shortly."""

    code = "overloaded"

    def __init__(self, retry_after_s: int, reason: str) -> None:
        super().__init__(f"the service is busy ({reason}); try again in {retry_after_s}s")
        self.retry_after_s = retry_after_s


class Admission:
    """At most `limit` holders at once; up to `queue` more wait, in arrival order, at most `max_wait_s`.

    A slot freed goes straight to the longest waiter (no newcomer can take it first), so waits are
    shared evenly. Refused: at once when the queue is full, or once the wait reaches `max_wait_s`."""

    def __init__(self, limit: int, queue: int, max_wait_s: float) -> None:
        if limit < 1 or queue < 0 or max_wait_s <= 0:
            raise ValueError("admission needs limit >= 1, queue >= 0 and max_wait_s > 0")
        self.limit = limit
        self.queue = queue
        self.max_wait_s = max_wait_s
        self.active = 0
        self.refused = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def enter(self) -> None:
        """Wait for a turn; raises Overloaded if there is none soon. Pair with `leave`."""
        if self.active < self.limit and not self._waiters:
            self.active += 1
            return
        if len(self._waiters) >= self.queue:
            self.refused += 1
            raise Overloaded(self.retry_after_s, f"{self.active} requests in progress, {self.waiting} waiting")
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(turn)
        try:
            async with asyncio.timeout(self.max_wait_s):
                await turn
        except TimeoutError:
            if turn.done() and not turn.cancelled():
                return  # handed a slot as the time ran out: it is ours
            self._forget(turn)
            self.refused += 1
            raise Overloaded(self.retry_after_s, f"no turn within {self.max_wait_s * 1000:.0f} ms") from None
        except BaseException:  # the request was cancelled (its client went away)
            if turn.done() and not turn.cancelled():
                self.leave()  # a slot was handed over: pass it on
            else:
                self._forget(turn)
            raise

    def leave(self) -> None:
        """A holder is done: its slot goes to the longest waiter, or back to the pool of free slots."""
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.active -= 1

    @property
    def retry_after_s(self) -> int:
        """Seconds a refused client should wait: a queue's worth of work, at least one."""
        return max(1, math.ceil(self.max_wait_s))

    def _forget(self, turn: asyncio.Future[None]) -> None:
        with contextlib.suppress(ValueError):
            self._waiters.remove(turn)


def exempt(scope: Scope) -> bool:
    """Requests admission control does not count: health, and the long-lived live channels."""
    return scope["type"] != ScopeType.HTTP or exempt_path(scope["path"])  # a WebSocket, or by its path


def exempt_path(path: str) -> bool:
    return path.startswith(EXEMPT_PREFIXES) or path.rstrip("/").endswith(EXEMPT_SUFFIXES)


def admission_middleware(
    admission: Admission, refuse: Callable[[Request[Any, Any, Any], Overloaded], Any]
) -> Callable[[ASGIApp], ASGIApp]:
    """`refuse`: the problem response for a refusal (the app's exception handler)."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if exempt(scope):
                await app(scope, receive, send)
                return
            try:
                await admission.enter()
            except Overloaded as error:
                request: Request[Any, Any, Any] = Request(scope, receive)
                response = refuse(request, error)
                await response.to_asgi_response(app=None, request=request)(scope, receive, send)
                return
            try:
                await app(scope, receive, send)
            finally:
                admission.leave()

        return middleware

    return wrap
