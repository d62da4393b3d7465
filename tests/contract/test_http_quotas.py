"""Per-user quotas over HTTP, every answer checked against the OpenAPI document: a submission, follow-up,
retry or chat message past the per-user limit on waiting tasks is a 429 problem document naming the limit,
with nothing written; and a personal project has the server's budget, which its owner may lower but not raise."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import TASK, TASKS, Api, bearer, new_task, sign_up

RETRY = TASK + "/retry"
FOLLOW_UP = TASK + "/follow-up"
CHAT = "/api/v1/agent/chat"
LATER = "2100-01-01T00:00:00Z"  # scheduled: the task waits (pending) for the whole test


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def api(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Api]:
    """An embedded service where a user may have two tasks waiting, and personal projects a budget of $1."""
    app = build_embedded_api(tmp_path_factory.mktemp("quotas"), user_max_waiting=2, personal_monthly_budget_usd=1.0)
    async with AsyncTestClient(app) as client:
        client.headers.update(bearer(await sign_up(client, "ada@example.com")))
        document = (await client.get("/schema/openapi.json")).json()
        yield Api(client, OpenApiContract(document))


@pytest.mark.asyncio(loop_scope="class")
class TestUserQuotas:
    async def test_past_the_waiting_limit_new_work_is_a_429_naming_the_limit_and_nothing_is_written(
        self, api: Api
    ) -> None:
        spent = await api.submit(options={"script": [{"spend": 0.25}]})
        failed = await api.submit(max_attempts=1, options={"script": [{"fail": "broke", "retryable": False}]})
        await api.wait_for(spent["id"], {"succeeded"})
        await api.wait_for(failed["id"], {"failed"})
        waiting = [await api.submit(scheduled_at=LATER) for _ in range(2)]
        assert {task["status"] for task in waiting} == {"pending"}
        before = (await api.call("get", TASKS, expect=200))["items"]

        problem = await api.call("post", TASKS, expect=429, json=new_task(scheduled_at=LATER))
        assert problem["type"] == "/problems/too-many-waiting-tasks"
        assert (problem["limit"], problem["waiting"]) == (2, 2)
        assert "limit of 2 per user" in problem["detail"]
        follow_up = await api.call("post", FOLLOW_UP, task_id=spent["id"], expect=429, json={"prompt": "and docs?"})
        assert follow_up["type"] == "/problems/too-many-waiting-tasks"
        retry = await api.call("post", RETRY, task_id=failed["id"], expect=429)
        assert retry["limit"] == 2
        assert (await api.call("get", TASKS, expect=200))["items"] == before, "nothing written"

        await api.call("post", TASK + "/cancel", task_id=waiting[0]["id"], expect=200)
        assert (await api.call("post", RETRY, task_id=failed["id"], expect=200))["status"] == "queued"
        await api.wait_for(failed["id"], {"failed"})
        await api.call("post", TASK + "/cancel", task_id=waiting[1]["id"], expect=200)

    async def test_a_chat_message_past_the_waiting_limit_is_the_same_429_and_nothing_is_written(self, api: Api) -> None:
        waiting = [await api.submit(scheduled_at=LATER) for _ in range(2)]
        problem = await api.call("post", CHAT, expect=429, json={"message": "Why is the build red?"})
        assert problem["type"] == "/problems/too-many-waiting-tasks"
        assert (problem["limit"], problem["waiting"]) == (2, 2)
        assert (await api.call("get", CHAT + "/sessions", expect=200))["items"] == [], "nothing written"

        await api.call("post", TASK + "/cancel", task_id=waiting[0]["id"], expect=200)
        sent = await api.call("post", CHAT, expect=202, json={"message": "Why is the build red?"})
        await api.wait_for(sent["task_id"], {"succeeded"})
        await api.call("post", TASK + "/cancel", task_id=waiting[1]["id"], expect=200)

    async def test_the_personal_project_has_the_server_s_budget_which_its_owner_may_lower_but_not_raise(
        self, api: Api
    ) -> None:
        await api.wait_for((await api.submit(options={"script": [{"spend": 0.75}]}))["id"], {"succeeded"})
        problem = await api.call("post", TASKS, expect=409, json=new_task())
        assert problem["type"] == "/problems/budget-exhausted"
        assert (problem["cap_usd"], problem["spent_usd"]) == (1.0, 1.0)
        personal = problem["project_id"]
        project = "/api/v1/projects/{project_id}"
        raised = {"settings": {"monthly_budget_usd": 5.0}}
        refused = await api.call("patch", project, project_id=personal, expect=422, json=raised)
        assert "at most 1 US dollars" in refused["detail"], refused
        lowered = {"settings": {"monthly_budget_usd": 0.5}}
        await api.call("patch", project, project_id=personal, expect=200, json=lowered)
        problem = await api.call("post", TASKS, expect=409, json=new_task())
        assert problem["cap_usd"] == 0.5
        own_none = {"settings": {"monthly_budget_usd": None}}  # none of its own: the server's again
        await api.call("patch", project, project_id=personal, expect=200, json=own_none)
        assert (await api.call("post", TASKS, expect=409, json=new_task()))["cap_usd"] == 1.0

    async def test_the_document_describes_the_waiting_limit_problem_on_every_route_that_starts_new_work(
        self, api: Api
    ) -> None:
        paths = api.contract.document["paths"]
        for path, method in [(TASKS, "post"), (FOLLOW_UP, "post"), (RETRY, "post")]:
            schema = paths[path][method]["responses"]["429"]["content"]["application/problem+json"]["schema"]
            schemas = api.contract.document["components"]["schemas"]
            members = [set(schemas[one["$ref"].rsplit("/", 1)[-1]]["properties"]) for one in schema["oneOf"]]
            # one of: the rate limit's problem, or the waiting limit's
            assert any({"limit", "waiting", "type", "status"} <= one for one in members), (path, members)
            assert any({"limit", "retry_after_s", "type", "status"} <= one for one in members), (path, members)
