"""GET /api/v1/reports/usage and the backlog in GET /api/v1/tasks/stats over HTTP (the embedded service on
SQLite), every answer checked against the OpenAPI document: a run's usage shows under each grouping; another
user sees none of it; bad parameters are 400/422 problem documents, never a 500."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.contract.http_client import TASKS, Api, bearer, new_task, sign_up

PROJECTS = "/api/v1/projects"
USAGE = "/api/v1/reports/usage"
STATS = TASKS + "/stats"
_slugs = itertools.count(1)


async def finished(api: Api, project: dict[str, Any], script: list[dict[str, Any]], model: str) -> dict[str, Any]:
    body = new_task(project_id=project["id"], options={"script": script, "model": model})
    task = await api.call("post", TASKS, expect=201, json=body)
    return await api.wait_for(task["id"], {"succeeded", "failed", "timed_out"})


async def stranger_signs_up(api: Api, email: str) -> dict[str, Any]:
    """Register and log in as someone else (without the signed-in user's token: a user may not register others)."""
    ada = api.client.headers.pop("Authorization")
    try:
        return await sign_up(api.client, email, "Stranger")
    finally:
        api.client.headers["Authorization"] = ada


@pytest.mark.asyncio(loop_scope="class")
class TestUsageReports:
    async def test_a_run_s_usage_shows_under_every_grouping_and_to_nobody_else(self, api: Api) -> None:
        slug = f"reported-{next(_slugs)}"
        project = await api.call("post", PROJECTS, expect=201, json={"name": "Reported", "slug": slug})
        ok = await finished(api, project, [{"spend": 0.5}, {"say": "done"}], "model-a")
        bad = await finished(api, project, [{"spend": 0.25}, {"fail": "broke"}], "model-a")
        assert (ok["status"], bad["status"]) == ("succeeded", "failed")
        today = datetime.now(UTC).date().isoformat()

        by_project = await api.call(
            "get", USAGE, expect=200, params={"group_by": "project", "from": today, "to": today}
        )
        (mine,) = [g for g in by_project["groups"] if g["key"] == project["id"]]
        assert (mine["executions"], mine["succeeded"], mine["failed"]) == (2, 1, 1)
        assert (mine["success_rate"], mine["cost_usd"]) == (0.5, 0.75)
        assert mine["input_tokens"] > 0 and mine["output_tokens"] > 0
        assert (by_project["group_by"], by_project["from"], by_project["to"]) == ("project", today, today)

        by_model = await api.call("get", USAGE, expect=200, params={"group_by": "model"})
        assert {g["key"]: g["cost_usd"] for g in by_model["groups"]}["model-a"] == 0.75
        by_day = await api.call("get", USAGE, expect=200, params={"group_by": "day"})
        assert today in {g["key"] for g in by_day["groups"]}
        assert by_day["total"]["cost_usd"] == by_project["total"]["cost_usd"]

        stranger = bearer(await stranger_signs_up(api, f"stranger-{slug}@example.com"))
        theirs = await api.client.get(USAGE, params={"group_by": "project"}, headers=stranger)
        assert theirs.status_code == 200, theirs.text
        assert theirs.json()["groups"] == [] and theirs.json()["total"]["executions"] == 0

    @pytest.mark.parametrize(
        ("params", "status"),
        [
            ({"group_by": "tenant"}, 400),
            ({"from": "yesterday"}, 400),
            ({"to": "2026-02-30"}, 400),
            ({"from": "2026-03-02", "to": "2026-03-01"}, 422),
            ({"from": "1990-01-01", "to": "2026-01-01"}, 422),
        ],
    )
    async def test_bad_parameters_are_problem_documents(self, api: Api, params: dict[str, str], status: int) -> None:
        problem = await api.call("get", USAGE, expect=status, params=params)
        assert problem["status"] == status and problem["title"]

    async def test_reports_need_a_bearer_token(self, api: Api) -> None:
        anonymous = await api.client.get(USAGE, headers={"Authorization": ""})
        assert anonymous.status_code == 401


@pytest.mark.asyncio(loop_scope="class")
class TestBacklogInStats:
    async def test_the_stats_show_each_project_s_waiting_tasks_and_the_oldest_wait(self, api: Api) -> None:
        slug = f"waiting-{next(_slugs)}"
        project = await api.call("post", PROJECTS, expect=201, json={"name": "Waiting", "slug": slug})
        later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        for _ in range(2):
            await api.call("post", TASKS, expect=201, json=new_task(project_id=project["id"], scheduled_at=later))
        stats = await api.call("get", STATS, expect=200, params={"project_id": project["id"]})
        assert stats["backlog"] == [
            {
                "project_id": project["id"],
                "waiting": 2,
                "pending": 2,
                "queued": 0,
                "oldest_queued_at": None,
                "oldest_wait_s": None,
            }
        ]
