"""A project's limits over HTTP, every answer checked against the OpenAPI document: editing them (only
what is sent changes; bad values are 422 problem documents), the monthly budget's 409 with the budget and
the spend, and a task stopped by its own spending cap."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.contract.http_client import TASK, TASKS, Api, new_task

PROJECTS = "/api/v1/projects"
PROJECT = PROJECTS + "/{project_id}"
RETRY = TASK + "/retry"
FOLLOW_UP = TASK + "/follow-up"
_slugs = itertools.count(1)


async def new_project(api: Api, **settings: Any) -> dict[str, Any]:
    body = {"name": "Limited", "slug": f"limited-{next(_slugs)}", "settings": settings}
    project: dict[str, Any] = await api.call("post", PROJECTS, expect=201, json=body)
    return project


async def finished(api: Api, project: dict[str, Any], script: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    options = {"script": script, **fields.pop("options", {})}
    body = new_task(project_id=project["id"], options=options, **fields)
    task = await api.call("post", TASKS, expect=201, json=body)
    return await api.wait_for(task["id"], {"succeeded", "failed", "timed_out"})


@pytest.mark.asyncio(loop_scope="class")
class TestProjectLimits:
    async def test_the_limits_are_set_and_lifted_and_an_edit_changes_only_what_it_sends(self, api: Api) -> None:
        project = await new_project(api, allowed_runners=["scripted"])
        assert project["settings"] == {
            "allowed_runners": ["scripted"],
            "allowed_permission_modes": None,
            "allowed_tools": None,
            "max_running": None,
            "monthly_budget_usd": None,
            "allowed_hosts": [],
            "public_chat": None,
            "public_publications": False,
            "knowledge_min_confidence": 0.5,
        }
        changed = await api.call(
            "patch",
            PROJECT,
            project_id=project["id"],
            expect=200,
            json={"settings": {"max_running": 2, "monthly_budget_usd": 12.5}},
        )
        assert changed["settings"] == {
            "allowed_runners": ["scripted"],
            "allowed_permission_modes": None,
            "allowed_tools": None,
            "max_running": 2,
            "monthly_budget_usd": 12.5,
            "allowed_hosts": [],
            "public_chat": None,
            "public_publications": False,
            "knowledge_min_confidence": 0.5,
        }
        lifted = await api.call(
            "patch", PROJECT, project_id=project["id"], expect=200, json={"settings": {"max_running": None}}
        )
        assert (lifted["settings"]["max_running"], lifted["settings"]["monthly_budget_usd"]) == (None, 12.5)
        again = await api.call("get", PROJECT, project_id=project["id"], expect=200)
        assert again["settings"] == lifted["settings"]
        stricter = {"settings": {"knowledge_min_confidence": 0.8}}
        raised = await api.call("patch", PROJECT, project_id=project["id"], expect=200, json=stricter)
        assert (raised["settings"]["knowledge_min_confidence"], raised["settings"]["max_running"]) == (0.8, None)

    @pytest.mark.parametrize(
        ("settings", "field"),
        [
            ({"max_running": 0}, "max_running"),
            ({"max_running": -3}, "max_running"),
            ({"max_running": 2.5}, "max_running"),
            ({"monthly_budget_usd": -0.01}, "monthly_budget_usd"),
            ({"monthly_budget_usd": "ten"}, "monthly_budget_usd"),
            ({"max_parallel": 2}, "max_parallel"),
            ({"knowledge_min_confidence": 1.5}, "knowledge_min_confidence"),
            ({"knowledge_min_confidence": -0.1}, "knowledge_min_confidence"),
        ],
    )
    async def test_a_bad_limit_is_a_422_naming_it(self, api: Api, settings: dict[str, Any], field: str) -> None:
        project = await new_project(api)
        problem = await api.call("patch", PROJECT, project_id=project["id"], expect=422, json={"settings": settings})
        assert any(field in (error.get("field") or "") + error["message"] for error in problem["errors"]), problem
        created = await api.client.post(
            PROJECTS, json={"name": "Bad", "slug": f"bad-{next(_slugs)}", "settings": settings}
        )
        assert created.status_code == 422, created.text
        unchanged = await api.call("get", PROJECT, project_id=project["id"], expect=200)
        assert unchanged["settings"]["max_running"] is None

    async def test_a_zero_budget_is_allowed_and_refuses_every_new_task(self, api: Api) -> None:
        project = await new_project(api, monthly_budget_usd=0)
        problem = await api.call("post", TASKS, expect=409, json=new_task(project_id=project["id"]))
        assert problem["type"] == "/problems/budget-exhausted"
        assert (problem["cap_usd"], problem["spent_usd"]) == (0, 0)

    async def test_once_the_monthly_budget_is_spent_new_work_gets_a_409_with_the_budget_and_the_spend(
        self, api: Api
    ) -> None:
        project = await new_project(api, monthly_budget_usd=1.0)
        failed = await finished(api, project, [{"spend": 0.25}, {"fail": "broke"}])
        assert failed["status"] == "failed"
        spent = await finished(api, project, [{"say": "done"}, {"spend": 0.75}])
        assert spent["status"] == "succeeded"

        problem = await api.call("post", TASKS, expect=409, json=new_task(project_id=project["id"]))
        assert problem["type"] == "/problems/budget-exhausted"
        assert (problem["project_id"], problem["cap_usd"], problem["spent_usd"]) == (project["id"], 1.0, 1.0)
        assert "$1" in problem["detail"]
        follow_up = await api.call("post", FOLLOW_UP, task_id=spent["id"], expect=409, json={"prompt": "and the docs?"})
        assert follow_up["type"] == "/problems/budget-exhausted"
        retry = await api.call("post", RETRY, task_id=failed["id"], expect=409)
        assert (retry["type"], retry["spent_usd"]) == ("/problems/budget-exhausted", 1.0)
        assert (await api.call("get", TASK, task_id=failed["id"], expect=200))["status"] == "failed"

        raised = {"settings": {"monthly_budget_usd": 2.0}}
        await api.call("patch", PROJECT, project_id=project["id"], expect=200, json=raised)
        await api.call("post", RETRY, task_id=failed["id"], expect=200)

    async def test_a_task_that_spends_past_its_own_cap_is_stopped_and_fails_saying_so(self, api: Api) -> None:
        project = await new_project(api)
        task = await finished(
            api,
            project,
            [{"spend": 0.4}, {"spend": 0.4}, {"say": "never said"}],
            options={"max_budget_usd": 0.5},
            max_attempts=3,
        )
        task = await api.call("get", TASK, task_id=task["id"], expect=200)
        assert (task["status"], task["attempts"], task["error"]["code"]) == ("failed", 1, "budget_exceeded")
        executions = await api.call("get", TASK + "/executions", task_id=task["id"], expect=200)
        assert executions["items"][0]["usage"]["cost_usd"] == pytest.approx(0.8)

    async def test_the_document_describes_the_budget_problem_on_every_route_that_starts_new_work(
        self, api: Api
    ) -> None:
        paths = api.contract.document["paths"]
        for path, method in [(TASKS, "post"), (FOLLOW_UP, "post"), (RETRY, "post")]:
            schema = paths[path][method]["responses"]["409"]["content"]["application/problem+json"]["schema"]
            name = schema["$ref"].rsplit("/", 1)[-1]
            members = api.contract.document["components"]["schemas"][name]["properties"]
            assert {"cap_usd", "spent_usd", "project_id", "type", "status"} <= set(members), (path, members)
