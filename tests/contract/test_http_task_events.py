"""GET /tasks/{id}/events: replay from the database after Last-Event-ID, then live, then the end."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agentry.entrypoints.http.live.task_stream import TaskFollower
from tests.contract.http_client import TASK, Api, bearer, sign_up

EVENTS = TASK + "/events"
TOOLS = [{"tool": "Read", "input": {"n": i}, "output": f"out {i}"} for i in range(20)]
TERMINAL = {"succeeded", "failed", "timed_out", "cancelled"}


def parse(stream: str) -> list[dict[str, Any]]:
    """The events of a text/event-stream body: each with its `event`, `id` (if any) and decoded `data`."""
    events = []
    for block in stream.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, Any] = {}
        for field in block.split("\n"):
            name, _, value = field.partition(": ")
            if name in ("event", "id", "data"):
                fields[name] = value
        if "event" in fields:
            fields["data"] = json.loads(fields["data"])
            events.append(fields)
    return events


async def follow(api: Api, task_id: str, **kwargs: Any) -> list[dict[str, Any]]:
    response = await api.client.get(EVENTS.format(task_id=task_id), timeout=30, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return parse(response.text)


def sequences(events: list[dict[str, Any]]) -> list[int]:
    return [int(e["id"]) for e in events if e["event"] == "log"]


@pytest.mark.asyncio(loop_scope="class")
class TestTaskEvents:
    async def test_resuming_from_a_last_event_id_in_the_middle_yields_exactly_the_rest_then_ends(
        self, api: Api
    ) -> None:
        task = await api.submit(options={"script": TOOLS})
        await api.wait_for(task["id"], TERMINAL)
        everything = await follow(api, task["id"])
        total = sequences(everything)
        assert total == list(range(1, len(total) + 1)) and len(total) > 40

        middle = total[len(total) // 2]
        rest = await follow(api, task["id"], headers={"Last-Event-ID": str(middle)})
        assert sequences(rest) == list(range(middle + 1, len(total) + 1))
        assert [e["data"]["message"] for e in rest if e["event"] == "log"] == [
            e["data"]["message"] for e in everything if e["event"] == "log" and int(e["id"]) > middle
        ]
        assert rest[-1]["event"] == "status" and rest[-1]["data"]["status"] == "succeeded", "it ends with the end"
        assert sequences(await follow(api, task["id"], params={"after": middle})) == sequences(rest)

    async def test_a_running_task_is_followed_live_without_gaps_or_repeats_to_its_end(self, api: Api) -> None:
        script = [step for i in range(10) for step in ({"sleep": 0.05}, TOOLS[i])]
        task = await api.submit(options={"script": script})
        events = await follow(api, task["id"])  # opened while it runs: the body ends when the task does
        logged = sequences(events)
        assert logged == list(range(1, len(logged) + 1)) and len(logged) >= 22
        kinds = [e["event"] for e in events]
        assert "result" in kinds and kinds[-1] == "status"
        assert [e["data"]["status"] for e in events if e["event"] == "status"][-1] == "succeeded"
        assert events[-1]["data"]["task_id"] == task["id"]

    async def test_a_task_the_caller_may_not_read_is_not_found(self, api: Api) -> None:
        task = await api.submit()
        mine = api.client.headers.pop("Authorization")  # registering is for the signed out
        try:
            other = bearer(await sign_up(api.client, "eve@example.com", "Eve"))
        finally:
            api.client.headers["Authorization"] = mine
        response = await api.client.get(EVENTS.format(task_id=task["id"]), headers=other)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")

    @pytest.mark.parametrize("given", ["abc", "null", "-1"])
    async def test_a_last_event_id_that_is_not_a_sequence_number_is_refused(self, api: Api, given: str) -> None:
        task = await api.submit()
        response = await api.client.get(EVENTS.format(task_id=task["id"]), headers={"Last-Event-ID": given})
        assert response.status_code == 400

    async def test_a_quiet_stream_sends_keep_alives_until_its_task_runs(
        self, api: Api, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(TaskFollower, "keep_alive_s", 0.05)
        due = datetime.now(UTC) + timedelta(seconds=1)
        task = await api.submit(scheduled_at=due.isoformat())  # pending: a quiet second first
        response = await api.client.get(EVENTS.format(task_id=task["id"]), timeout=30)

        assert response.status_code == 200
        body = response.text.replace("\r\n", "\n")
        quiet = body[: body.index('event: status\ndata: {"type":"task.status_changed"', body.index("pending"))]
        assert quiet.count(": keep-alive\n") >= 5, body[:500]
        assert [e["data"]["status"] for e in parse(body) if e["event"] == "status"][-1] == "succeeded"
