"""Chat benchmark: the time from sending a chat message to the first `chat.delta` of its reply on the
WebSocket, against the same path for a plain task (POST /tasks to its first `execution.log` event on
a WebSocket following the task's project), measured in the same invocation.

    uv run python bench/chat.py [--turns 200]

Runs `agentry serve` and `agentry worker` (production profile, PostgreSQL + Redis) on a throwaway
database; the scripted runner answers each message at once. Each chat turn is a new session (sent
as `chat.send` on one socket), so turns do not wait on each other; the tasks are sent one at a time
too. Prints p50 and p99 of both and the chat/task ratios (goal: chat p99 < 100 ms), where the chat
turns' time went (from the server's stamps: the message committed as a task, the job handed to the
broker, claimed by the worker, the runner's first answer, the line written, published and sent), and
the same measure for `POST /api/v1/agent/chat` to the next turn of one session a socket follows (the
follower waiting for that turn is woken by the POST, not by its poll), and for a visitor's `chat.send`
on its own socket to a project's public chat (/api/v1/public/projects/{id}/chat/ws: its cookie, its
CSRF token first; the public chat's limits checked on each message). The machine it runs on
matters: say how loaded it was next to any figure.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import json
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg
from websockets.asyncio.client import ClientConnection, connect

from bench.live import get_json, subscribed
from bench.pipeline import LIFTED_QUOTAS
from bench.serving import post_json, serving, sign_in, throwaway_database

SCRIPT = [{"say": "hello"}]


async def receive(socket: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 60))
    return message


@dataclass
class Turn:
    sent: float  # wall clock (the server's stamps are too)
    accepted: float = 0.0
    delta: float = 0.0
    task_id: str = ""


async def chat_turns(base: str, token: str, turns: int) -> list[Turn]:
    socket = await connect(f"{base.replace('http', 'ws', 1)}/api/v1/ws?access_token={token}", max_queue=None)
    assert (await receive(socket))["type"] == "authenticated"
    measured = []
    for i in range(turns):
        turn = Turn(time.time())
        await socket.send(json.dumps({"type": "chat.send", "message": f"turn {i}", "options": {"script": SCRIPT}}))
        while (event := await receive(socket))["type"] != "chat.delta":
            assert event["type"] != "error", event
            if event["type"] == "chat.accepted":
                turn.accepted, turn.task_id = time.time(), event["task_id"]
        turn.delta = time.time()
        measured.append(turn)
        while event["type"] not in ("chat.completed", "chat.failed"):
            event = await receive(socket)
        await socket.send(json.dumps({"type": "unsubscribe", "chat_session_id": event["session_id"]}))
        await receive(socket)
    await socket.close()
    return measured


PUBLIC_CHAT = {"messages_per_minute": 1_000, "messages_per_day": 100_000, "tokens_per_session": 100_000_000}


def visitor(base: str, token: str) -> tuple[str, str, str]:
    """A project opened to the public chat, and a visitor of it: the chat's path, its cookie, its CSRF token."""
    body = {"name": "Public", "slug": "bench-public", "settings": {"public_chat": PUBLIC_CHAT}}
    public = f"/api/v1/public/projects/{post_json(f'{base}/api/v1/projects', body, token)['id']}/chat"
    request = urllib.request.Request(f"{base}{public}/session", data=b"", method="POST")
    with urllib.request.urlopen(request) as response:
        cookie = response.headers["set-cookie"].split(";")[0]
        csrf = json.load(response)["csrf_token"]
    return public, cookie, csrf


async def visitor_turns(base: str, token: str, turns: int) -> list[float]:
    """A visitor's chat.send on its socket, each a new session, to its first chat.delta there."""
    public, cookie, csrf = await asyncio.to_thread(visitor, base, token)
    url = f"{base.replace('http', 'ws', 1)}{public}/ws"
    socket = await connect(url, additional_headers={"Cookie": cookie}, max_queue=None)
    await socket.send(json.dumps({"type": "auth", "csrf_token": csrf}))
    assert (await receive(socket))["type"] == "authenticated"
    delays = []
    for i in range(turns):
        started = time.perf_counter()
        await socket.send(json.dumps({"type": "chat.send", "message": f"turn {i}"}))
        while (event := await receive(socket))["type"] != "chat.delta":
            assert event["type"] != "error", event
        delays.append(time.perf_counter() - started)
        while event["type"] not in ("chat.completed", "chat.failed"):
            event = await receive(socket)
        await socket.send(json.dumps({"type": "unsubscribe", "chat_session_id": event["session_id"]}))
        await receive(socket)
    await socket.close()
    return delays


STAMPS = """
SELECT t.id::text, extract(epoch FROM t.created_at), extract(epoch FROM j.dispatched_at),
       extract(epoch FROM e.started_at), (SELECT extract(epoch FROM min(l.at)) FROM execution_logs l
                                          WHERE l.task_id = t.id AND l.kind = 'assistant')
FROM tasks t JOIN queue_jobs j ON j.task_id = t.id JOIN task_executions e ON e.task_id = t.id
"""


def stages(database: str, turns: list[Turn]) -> dict[str, list[float]]:
    """Where each turn's time went, from the server's stamps: the message handled and committed (its
    task created), the job handed to the broker, the execution claimed by the worker, the runner's
    first answer, and from there to the client (the log written, published, relayed, sent)."""
    with psycopg.connect(database) as db:
        stamps = {row[0]: [float(v) for v in row[1:]] for row in db.execute(STAMPS)}
    spans: dict[str, list[float]] = {}
    for turn in turns:
        created, dispatched, claimed, answered = stamps[turn.task_id]
        points = {
            "send → accepted": (turn.sent, turn.accepted),
            "send → task created": (turn.sent, created),
            "created → dispatched": (created, dispatched),
            "dispatched → claimed": (dispatched, claimed),
            "claimed → runner answer": (claimed, answered),
            "answer → chat.delta": (answered, turn.delta),
        }
        for name, (start, end) in points.items():
            spans.setdefault(name, []).append(end - start)
    return spans


def answered(base: str, token: str, task_id: str) -> None:
    while get_json(f"{base}/api/v1/tasks/{task_id}", token)["status"] != "succeeded":
        time.sleep(0.1)


async def post_turns(base: str, token: str, turns: int) -> list[float]:
    """POST /agent/chat to the next turn of one session a socket follows, its first chat.delta there."""
    url, said = f"{base}/api/v1/agent/chat", {"options": {"script": SCRIPT}}
    first = await asyncio.to_thread(post_json, url, {"message": "first", **said}, token)
    await asyncio.to_thread(answered, base, token, first["task_id"])
    socket = await connect(f"{base.replace('http', 'ws', 1)}/api/v1/ws?access_token={token}", max_queue=None)
    assert (await receive(socket))["type"] == "authenticated"
    await socket.send(json.dumps({"type": "subscribe", "chat_session_id": first["session_id"]}))
    assert (await receive(socket))["type"] == "subscribed"
    delays = []
    for i in range(turns):
        started = time.perf_counter()
        body = {"message": f"turn {i}", "session_id": first["session_id"], **said}
        turn_id = (await asyncio.to_thread(post_json, url, body, token))["turn_id"]
        while (event := await receive(socket))["type"] != "chat.delta" or event["turn_id"] != turn_id:
            assert event["type"] != "chat.failed", event
        delays.append(time.perf_counter() - started)
        while event["type"] not in ("chat.completed", "chat.failed"):
            event = await receive(socket)
    await socket.close()
    return delays


async def task_runs(base: str, token: str, runs: int) -> list[float]:
    project = get_json(f"{base}/api/v1/projects", token)["items"][0]["id"]
    socket = await subscribed(base, token, "project_id", project)
    delays = []
    for i in range(runs):
        started = time.perf_counter()
        body = {"title": f"run {i}", "prompt": "bench", "max_attempts": 1, "options": {"script": SCRIPT}}
        task = await asyncio.to_thread(post_json, f"{base}/api/v1/tasks", body, token)
        while True:
            event = await receive(socket)
            if event["type"] == "execution.log" and event["task_id"] == task["id"]:
                delays.append(time.perf_counter() - started)
                break
    await socket.close()
    return delays


def quantiles(delays: list[float]) -> tuple[float, float]:
    ordered = sorted(delays)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    # 600+ writes from one user in about a minute on a quiet machine: past the writes quota (300 a minute)
    unlimited = {"AGENTRY_RATE_LIMITING": "false", **LIFTED_QUOTAS}
    with throwaway_database() as database, serving(database, worker=True, **unlimited) as server:
        token = sign_in(server.base)
        tasks = asyncio.run(task_runs(server.base, token, args.turns))
        turns = asyncio.run(chat_turns(server.base, token, args.turns))
        spans = stages(database, turns)
        posts = asyncio.run(post_turns(server.base, token, args.turns))
        visits = asyncio.run(visitor_turns(server.base, token, args.turns))
    chats = [turn.delta - turn.sent for turn in turns]
    (t50, t99), (c50, c99) = quantiles(tasks), quantiles(chats)
    print(f"task  POST → first execution.log: p50 {t50:.1f} ms, p99 {t99:.1f} ms ({len(tasks)} runs, the baseline)")
    print(f"chat  chat.send → first chat.delta: p50 {c50:.1f} ms, p99 {c99:.1f} ms ({len(chats)} turns)")
    (p50, p99) = quantiles(posts)
    print(f"chat  POST /agent/chat → first chat.delta: p50 {p50:.1f} ms, p99 {p99:.1f} ms ({len(posts)} turns)")
    (v50, v99) = quantiles(visits)
    print(f"chat  a visitor's chat.send → first chat.delta: p50 {v50:.1f} ms, p99 {v99:.1f} ms ({len(visits)} turns)")
    print(f"ratio chat/task: p50 {c50 / t50:.2f}, p99 {c99 / t99:.2f} (goal: chat p99 < 100 ms)")
    for name, span in spans.items():
        s50, s99 = quantiles(span)
        print(f"  {name:<24} p50 {s50:6.1f} ms, p99 {s99:6.1f} ms")


if __name__ == "__main__":
    main()
