"""CPU per POST of a task's JSON body through Litestar, in process (no socket, no database): the body
decoded once, strictly, by the before_request hook and handed to the route (this build), next to the
same hook with its value dropped, so that Litestar decodes and converts the body again (as before).

    uv run python bench/body_decode.py [--requests 5000] [--rounds 7]

A minimal app: the submission route's body type, a handler that does nothing. The figure is the
process's CPU time per request, the median of the rounds, the two taking turns.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package: the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Litestar, Request, post
from litestar.types import Empty, Message
from litestar.utils.scope.state import ScopeState

from agentry.entrypoints.http.kit.json_depth import depth_check
from agentry.entrypoints.http.tasks.schemas import TaskCreate

BODY = b'{"title": "Fix the login test", "prompt": "It fails on CI only; find out why and fix it."}'
Hook = Callable[[Request[Any, Any, Any]], Awaitable[None]]


@post("/tasks", sync_to_thread=False)
def submit(data: TaskCreate) -> None:
    return None


def decoding_twice(hook: Hook) -> Hook:
    async def check(request: Request[Any, Any, Any]) -> None:
        await hook(request)
        ScopeState.from_scope(request.scope).json = Empty

    return check


def one_body() -> Callable[[], Awaitable[Any]]:
    given = [{"type": "http.request", "body": BODY, "more_body": False}]

    async def receive() -> Any:
        return given.pop() if given else {"type": "http.disconnect"}

    return receive


async def cpu_us(app: Litestar, requests: int) -> float:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]
    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": "/tasks", "raw_path": b"/tasks"}
    scope |= {"query_string": b"", "headers": headers, "http_version": "1.1", "scheme": "http", "root_path": ""}
    statuses: set[int] = set()

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.add(message["status"])

    started = time.process_time()
    for _ in range(requests):
        await app(dict(scope, state={}), one_body(), send)  # type: ignore[arg-type]
    spent = time.process_time() - started
    assert statuses == {201}, statuses
    return spent / requests * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    hook = depth_check(32)
    apps = {
        "decoded twice": Litestar([submit], before_request=decoding_twice(hook), logging_config=None),
        "decoded once": Litestar([submit], before_request=hook, logging_config=None),
    }
    figures: dict[str, list[float]] = {name: [] for name in apps}
    for app in apps.values():
        await cpu_us(app, 500)  # warm-up
    for round_ in range(args.rounds):
        for name in list(apps) if round_ % 2 == 0 else list(reversed(apps)):
            figures[name].append(await cpu_us(apps[name], args.requests))
    medians = {name: statistics.median(values) for name, values in figures.items()}
    for name, median in medians.items():
        print(f"  {name:14} {median:6.1f} us CPU per POST (median of {args.rounds} rounds of {args.requests})")
    print(f"  once / twice: {medians['decoded once'] / medians['decoded twice']:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
