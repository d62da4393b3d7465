"""Chat WebSockets one API process holds: `--sockets` clients, each following a chat session and
sending one message a second, and what each socket costs the server in memory.

    uv run python bench/chat_sockets.py [--sockets 2000] [--sessions 20] [--seconds 30]

Runs `agentry serve` (one process) and `agentry worker` (production profile, PostgreSQL + Redis) on a
throwaway database. `--sessions` chat sessions are started and answered first (the scripted runner);
then the sockets open, each subscribing to one of them (`{"type": "subscribe", "chat_session_id"}`),
so each holds a follower waiting for the session's next turn, as a chat page left open does. For
`--seconds` each socket sends the same subscription again once a second (the server answers it at
once, `subscribed`), at a phase of its own. Prints the server's RSS (/proc, the process and its
children) before the sockets, with them open and after the run, the memory per socket, the round
trips' p50/p99, how many answers came late (over 1 s) or never, and the errors.

The client raises its own open-file limit to the hard limit, and the server it starts inherits it;
a server holding N sockets needs N + ~100 file descriptors (`ulimit -n`). Rate limiting is off (every
socket is one user's, opened at once).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import json
import os
import random
import resource
import time
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import ClientConnection, connect

from bench.chat import quantiles
from bench.live import get_json
from bench.pipeline import LIFTED_QUOTAS
from bench.serving import post_json, serving, sign_in, throwaway_database

OPEN_AT_ONCE = 50
LATE_S = 1.0


def rss_mib(pid: int) -> float:
    """Resident memory of the process and its children, MiB."""
    total = 0
    for child in [pid, *(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]:
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def answered_sessions(base: str, token: str, count: int) -> list[str]:
    """`count` chat sessions, each with its first turn answered."""
    said = {"options": {"script": [{"say": "hi"}]}}
    sessions = [post_json(f"{base}/api/v1/agent/chat", {"message": f"chat {i}", **said}, token) for i in range(count)]
    deadline = time.monotonic() + 120
    for session in sessions:
        while get_json(f"{base}/api/v1/tasks/{session['task_id']}", token)["status"] != "succeeded":
            if time.monotonic() > deadline:
                sys.exit("the sessions' first turns were not answered within 120 s (is the worker up?)")
            time.sleep(0.1)
    return [str(s["session_id"]) for s in sessions]


class Client:
    """One socket: subscribes to its session, then sends the subscription again each second."""

    def __init__(self, url: str, session_id: str) -> None:
        self.url = url
        self.message = json.dumps({"type": "subscribe", "chat_session_id": session_id})
        self.socket: ClientConnection | None = None
        self.round_trips: list[float] = []
        self.errors: list[str] = []
        self.unanswered = 0

    async def open(self) -> None:
        try:
            self.socket = await connect(self.url, max_queue=None, open_timeout=60, ping_interval=None)
            assert json.loads(await self.socket.recv())["type"] == "authenticated"
            await self.ask()
        except Exception as error:
            self.errors.append(f"open: {type(error).__name__}: {error}")
            self.socket = None

    async def ask(self) -> None:
        assert self.socket is not None
        started = time.perf_counter()
        await self.socket.send(self.message)
        while True:
            answer: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), 10))
            if answer["type"] == "subscribed":
                self.round_trips.append(time.perf_counter() - started)
                return
            if answer["type"] == "error":
                raise RuntimeError(answer)

    async def run(self, seconds: float) -> None:
        if self.socket is None:
            return
        await asyncio.sleep(random.random())
        end = time.monotonic() + seconds
        while (now := time.monotonic()) < end:
            try:
                await self.ask()
            except TimeoutError:
                self.unanswered += 1
            except Exception as error:
                self.errors.append(f"run: {type(error).__name__}: {error}")
                return
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - now)))


async def hold(base: str, token: str, api_pid: int, sessions: list[str], sockets: int, seconds: float) -> None:
    url = f"{base.replace('http', 'ws', 1)}/api/v1/ws?access_token={token}"
    clients = [Client(url, sessions[i % len(sessions)]) for i in range(sockets)]
    before = rss_mib(api_pid)
    started = time.perf_counter()
    for i in range(0, sockets, OPEN_AT_ONCE):
        await asyncio.gather(*(c.open() for c in clients[i : i + OPEN_AT_ONCE]))
    opened = [c for c in clients if c.socket is not None]
    open_s = time.perf_counter() - started
    await asyncio.sleep(2)
    with_sockets = rss_mib(api_pid)
    for c in opened:
        c.round_trips.clear()
    await asyncio.gather(*(c.run(seconds) for c in opened))
    after = rss_mib(api_pid)
    held = sum(1 for c in opened if not c.errors)
    await asyncio.gather(*(c.socket.close() for c in opened if c.socket is not None), return_exceptions=True)
    trips = [t for c in opened for t in c.round_trips]
    errors = [e for c in clients for e in c.errors]
    late = sum(1 for t in trips if t > LATE_S)
    p50, p99 = quantiles(trips) if trips else (0.0, 0.0)
    per_socket = (with_sockets - before) * 1024 / max(1, len(opened))
    print(f"sockets   {len(opened)} of {sockets} opened in {open_s:.1f} s, {held} held to the end ({seconds:g} s)")
    print(f"messages  {len(trips)} answered ({len(trips) / seconds:.0f}/s), p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"          {late} answered after {LATE_S:g} s, {sum(c.unanswered for c in opened)} not within 10 s")
    print(f"memory    server RSS {before:.0f} MiB before, {with_sockets:.0f} MiB with the sockets, {after:.0f} after")
    print(f"          the run: {per_socket:.0f} KiB per socket (goal: >= 2,000 sockets at 1 message/s)")
    print(f"errors    {len(errors)}" + "".join(f"\n          {e}" for e in sorted(set(errors))[:5]))


def raise_file_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard == resource.RLIM_INFINITY else max(soft, min(hard, wanted))
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", type=int, default=2_000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    limit = raise_file_limit(2 * args.sockets + 1_000)  # the server inherits it
    print(f"open-file limit {limit} (client and server), {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    settings = {**LIFTED_QUOTAS, "AGENTRY_RATE_LIMITING": "false"}
    with throwaway_database() as database, serving(database, worker=True, **settings) as server:
        token = sign_in(server.base)
        sessions = answered_sessions(server.base, token, args.sessions)
        asyncio.run(hold(server.base, token, server.pid, sessions, args.sockets, args.seconds))


if __name__ == "__main__":
    main()
