"""The HTTP API held to its own OpenAPI document: every answer has a documented status, media type and schema.

`TestTheApiKeepsToItsDocument` drives one embedded service through happy paths and every error it
documents, checking each answer against /schema/openapi.json. Fuzzing every operation against the document
is tests/contract/test_openapi_schemathesis.py's (a running service, all checks, stateful sequences).
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio
from openapi_spec_validator import validate as validate_openapi_document

from tests.contract.http_app import PROBLEM_JSON, OpenApiContract, openapi_document
from tests.contract.http_client import TASK, TASKS, Api, new_task

TERMINAL = {"succeeded", "failed", "timed_out", "cancelled"}
UNKNOWN_ID = UUID(int=0xDEAD)
MAX_REQUEST_BYTES = 1_048_576  # Settings.max_request_bytes by default
ROUTES = {
    ("post", TASKS),
    ("get", TASKS),
    ("get", TASK),
    ("patch", TASK),
    ("delete", TASK),
    ("post", TASK + "/cancel"),
    ("post", TASK + "/retry"),
    ("post", TASK + "/follow-up"),
    ("get", TASK + "/executions"),
    ("get", TASK + "/logs"),
    ("get", TASK + "/result"),
    ("get", TASK + "/events"),
    ("get", TASKS + "/stats"),
    ("get", "/api/v1/reports/usage"),
    ("get", "/health/live"),
    ("get", "/health"),
    ("get", "/health/ready"),
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/auth/me"),
    ("patch", "/api/v1/auth/me"),
    ("delete", "/api/v1/auth/me"),
    ("post", "/api/v1/auth/me/password"),
    ("get", "/api/v1/auth/me/export"),
    ("post", "/api/v1/auth/tokens"),
    ("get", "/api/v1/auth/tokens"),
    ("delete", "/api/v1/auth/tokens/{token_id}"),
    ("get", "/api/v1/users"),
    ("get", "/api/v1/users/{user_id}"),
    ("patch", "/api/v1/users/{user_id}"),
    ("delete", "/api/v1/users/{user_id}"),
    ("post", "/api/v1/projects"),
    ("get", "/api/v1/projects"),
    ("get", "/api/v1/projects/{project_id}"),
    ("patch", "/api/v1/projects/{project_id}"),
    ("delete", "/api/v1/projects/{project_id}"),
    ("get", "/api/v1/projects/{project_id}/members"),
    ("post", "/api/v1/projects/{project_id}/invitations"),
    ("get", "/api/v1/projects/{project_id}/invitations"),
    ("delete", "/api/v1/projects/{project_id}/invitations/{invitation_id}"),
    ("get", "/api/v1/invitations"),
    ("post", "/api/v1/invitations/{invitation_id}/accept"),
    ("post", "/api/v1/invitations/{invitation_id}/decline"),
    ("patch", "/api/v1/projects/{project_id}/members/{user_id}"),
    ("delete", "/api/v1/projects/{project_id}/members/{user_id}"),
    ("post", "/api/v1/projects/{project_id}/webhooks"),
    ("get", "/api/v1/projects/{project_id}/webhooks"),
    ("get", "/api/v1/projects/{project_id}/webhooks/{webhook_id}"),
    ("patch", "/api/v1/projects/{project_id}/webhooks/{webhook_id}"),
    ("delete", "/api/v1/projects/{project_id}/webhooks/{webhook_id}"),
    ("post", "/api/v1/projects/{project_id}/webhooks/{webhook_id}/rotate-secret"),
    ("post", "/api/v1/projects/{project_id}/webhooks/{webhook_id}/ping"),
    ("get", "/api/v1/projects/{project_id}/webhooks/{webhook_id}/deliveries"),
    ("post", "/api/v1/projects/{project_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"),
    ("post", "/api/v1/agent/chat"),
    ("get", "/api/v1/agent/chat/sessions"),
    ("get", "/api/v1/agent/chat/history/{session_id}"),
    ("get", "/api/v1/agent/chat/{session_id}/events"),
    ("patch", "/api/v1/agent/chat/{session_id}"),
    ("delete", "/api/v1/agent/chat/{session_id}"),
    ("post", "/api/v1/agent/chat/{session_id}/cancel"),
    ("post", "/api/v1/agent/chat/adopt"),
    ("post", "/api/v1/public/projects/{project_id}/chat/session"),
    ("post", "/api/v1/public/projects/{project_id}/chat"),
    ("get", "/api/v1/public/projects/{project_id}/chat/history/{session_id}"),
    ("get", "/api/v1/public/projects/{project_id}/chat/{session_id}/events"),
    ("get", "/api/v1/agent/tools"),
    ("post", "/api/v1/documents"),
    ("post", "/api/v1/documents/batch"),
    ("get", "/api/v1/documents/batch/{batch_id}"),
    ("get", "/api/v1/documents/status/{job_id}"),
    ("get", "/api/v1/documents"),
    ("get", "/api/v1/documents/{document_id}"),
    ("delete", "/api/v1/documents/{document_id}"),
    ("get", "/api/v1/projects/{project_id}/search"),
    ("post", "/api/v1/projects/{project_id}/publications"),
    ("get", "/api/v1/projects/{project_id}/publications"),
    ("post", "/api/v1/projects/{project_id}/publications/drafts"),
    ("get", "/api/v1/projects/{project_id}/publications/{publication_id}"),
    ("patch", "/api/v1/projects/{project_id}/publications/{publication_id}"),
    ("delete", "/api/v1/projects/{project_id}/publications/{publication_id}"),
    ("post", "/api/v1/projects/{project_id}/publications/{publication_id}/submit"),
    ("post", "/api/v1/projects/{project_id}/publications/{publication_id}/withdraw"),
    ("post", "/api/v1/projects/{project_id}/publications/{publication_id}/publish"),
    ("post", "/api/v1/projects/{project_id}/publications/{publication_id}/archive"),
    ("post", "/api/v1/projects/{project_id}/publications/{publication_id}/unpublish"),
    ("get", "/api/v1/projects/{project_id}/publications/{publication_id}/engagement"),
    ("get", "/api/v1/public/{project_slug}/publications"),
    ("get", "/api/v1/public/{project_slug}/publications/{publication_id}"),
    ("post", "/api/v1/public/{project_slug}/publications/{publication_id}/views"),
    ("post", "/api/v1/public/{project_slug}/publications/{publication_id}/reactions"),
    ("get", "/api/v1/projects/{project_id}/entities"),
    ("post", "/api/v1/projects/{project_id}/entities"),
    ("get", "/api/v1/projects/{project_id}/entities/{entity_id}"),
    ("patch", "/api/v1/projects/{project_id}/entities/{entity_id}"),
    ("delete", "/api/v1/projects/{project_id}/entities/{entity_id}"),
    ("post", "/api/v1/projects/{project_id}/entities/{entity_id}/merge"),
    ("post", "/api/v1/projects/{project_id}/entities/{entity_id}/split"),
    ("get", "/api/v1/projects/{project_id}/entities/{entity_id}/neighbours"),
    ("get", "/api/v1/projects/{project_id}/relationships"),
    ("post", "/api/v1/projects/{project_id}/relationships"),
    ("get", "/api/v1/projects/{project_id}/relationships/{relationship_id}"),
    ("patch", "/api/v1/projects/{project_id}/relationships/{relationship_id}"),
    ("delete", "/api/v1/projects/{project_id}/relationships/{relationship_id}"),
    ("get", "/api/v1/projects/{project_id}/graph/path"),
    ("get", "/api/v1/projects/{project_id}/graph/subgraph"),
}

SCRIPT = [
    {"say": "reading the code"},
    {"tool": "grep", "input": {"pattern": "TODO"}, "output": "3 hits"},
    {"say": "done"},
]
NO_UTC_EQUIVALENT = "0001-01-01T00:00:00+14:00"


def later() -> str:
    """A start an hour away: the task stays pending for as long as a test needs it."""
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat()


def fields_named(problem: dict[str, Any]) -> list[str]:
    return [str(error.get("field")) for error in problem.get("errors") or []]


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def succeeded_task(api: Api) -> dict[str, Any]:
    task = await api.submit(title="Scripted run", options={"script": SCRIPT})
    finished = await api.wait_for(task["id"], TERMINAL)
    assert finished["status"] == "succeeded", finished
    return finished


@pytest.mark.asyncio(loop_scope="class")
class TestTheApiKeepsToItsDocument:
    # --- the document -----------------------------------------------------------------------------

    async def test_the_document_is_a_valid_openapi_3_1_document(self, api: Api) -> None:
        assert str(api.contract.document["openapi"]).startswith("3.1")
        validate_openapi_document(dict(api.contract.document))

    async def test_the_document_lists_every_route(self, api: Api) -> None:
        documented = {
            (method, path) for path, operations in api.contract.document["paths"].items() for method in operations
        }
        assert sorted(ROUTES ^ documented) == []

    async def test_the_document_is_the_same_on_every_start(self, api: Api) -> None:
        # generated clients and the schemathesis run work from a document made by another app; it must be this one
        assert api.contract.document == openapi_document()

    # --- happy paths ------------------------------------------------------------------------------

    async def test_submitting_a_task_answers_201_with_its_location(self, api: Api) -> None:
        response = await api.client.post(TASKS, json=new_task(tags=["ci"], priority="high"))
        task = api.contract.check("post", TASKS, response)
        assert response.status_code == 201
        assert response.headers["location"] == f"{TASKS}/{task['id']}"
        assert (task["title"], task["tags"], task["priority"]) == ("Fix the flaky test", ["ci"], "high")

    async def test_the_same_idempotency_key_replays_the_task_and_another_body_conflicts(self, api: Api) -> None:
        headers = {"Idempotency-Key": "contract-replay"}
        first = await api.call("post", TASKS, expect=201, json=new_task(), headers=headers)
        response = await api.client.post(TASKS, json=new_task(), headers=headers)
        again = api.contract.check("post", TASKS, response)
        assert response.status_code == 201
        assert response.headers["idempotent-replayed"] == "true"
        assert again["id"] == first["id"]
        conflict = await api.call("post", TASKS, expect=409, json=new_task(title="Another"), headers=headers)
        assert conflict["type"].endswith("idempotency-key-reused")

    async def test_a_scripted_task_succeeds_with_documented_executions_logs_and_result(
        self, api: Api, succeeded_task: dict[str, Any]
    ) -> None:
        task_id = succeeded_task["id"]
        assert (succeeded_task["execution_count"], succeeded_task["error"]) == (1, None)
        assert succeeded_task["finished_at"] is not None

        executions = await api.call("get", TASK + "/executions", task_id=task_id, expect=200)
        assert [e["status"] for e in executions["items"]] == ["succeeded"]
        assert executions["next_cursor"] is None

        log = await api.call("get", TASK + "/logs", task_id=task_id, expect=200)
        assert log["execution_number"] == 1
        sequences = [line["sequence"] for line in log["items"]]
        assert sequences == sorted(set(sequences))
        assert {"assistant", "tool_use", "tool_result"} <= {line["kind"] for line in log["items"]}

        params = {"execution": 1, "after": sequences[0], "limit": 2}
        page = await api.call("get", TASK + "/logs", task_id=task_id, expect=200, params=params)
        assert [line["sequence"] for line in page["items"]] == sequences[1:3]

        result = await api.call("get", TASK + "/result", task_id=task_id, expect=200)
        assert result["task_id"] == task_id
        assert "done" in result["output"]

    async def test_listing_pages_through_tasks_with_the_next_cursor(self, api: Api) -> None:
        submitted = [
            (await api.submit(title=f"Page {n}", tags=["paging"], scheduled_at=later()))["id"] for n in range(3)
        ]
        seen: list[str] = []
        params: dict[str, Any] = {"tag": "paging", "limit": 2}
        for _ in range(len(submitted)):
            page = await api.call("get", TASKS, expect=200, params=params)
            seen += [task["id"] for task in page["items"]]
            if page["next_cursor"] is None:
                break
            params["cursor"] = page["next_cursor"]
        assert sorted(seen) == sorted(submitted)

    async def test_listing_filters_by_status_priority_time_and_text(self, api: Api) -> None:
        task = await api.submit(title="Needle in the list", priority="low", scheduled_at=later())
        params = {
            "status": ["pending", "queued"],
            "priority": "low",
            "q": "Needle",
            "created_after": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
            "created_before": (datetime.now(UTC) + timedelta(minutes=5)).isoformat(),
            "sort": "created_at",
        }
        page = await api.call("get", TASKS, expect=200, params=params)
        assert [t["id"] for t in page["items"]] == [task["id"]]

    async def test_stats_count_tasks_by_status(self, api: Api, succeeded_task: dict[str, Any]) -> None:
        stats = await api.call("get", TASKS + "/stats", expect=200)
        assert stats["counts"]["succeeded"] >= 1
        assert stats["total"] == sum(stats["counts"].values())

    async def test_a_pending_task_can_be_edited_cancelled_and_deleted(self, api: Api) -> None:
        task = await api.submit(scheduled_at=later())
        assert task["status"] == "pending"
        changes = {"title": "Renamed", "tags": ["edited"]}
        edited = await api.call("patch", TASK, task_id=task["id"], expect=200, json=changes)
        assert (edited["title"], edited["tags"]) == ("Renamed", ["edited"])
        cancelled = await api.call("post", TASK + "/cancel", task_id=task["id"], expect=200)
        assert cancelled["status"] == "cancelled"
        assert await api.call("delete", TASK, task_id=task["id"], expect=204) is None
        await api.call("get", TASK, task_id=task["id"], expect=404)

    async def test_a_failed_task_can_be_retried(self, api: Api) -> None:
        task = await api.submit(max_attempts=1, options={"script": [{"fail": "the build broke"}]})
        failed = await api.wait_for(task["id"], TERMINAL)
        assert failed["status"] == "failed"
        assert failed["error"] is not None
        retried = await api.call("post", TASK + "/retry", task_id=task["id"], expect=200)
        assert retried["status"] in {"queued", "running", "failed"}
        await api.wait_for(task["id"], TERMINAL)
        executions = await api.call("get", TASK + "/executions", task_id=task["id"], expect=200)
        assert len(executions["items"]) == 2

    async def test_a_running_task_cannot_be_deleted_but_can_be_cancelled(self, api: Api) -> None:
        task = await api.submit(options={"script": [{"say": "working"}, {"sleep": 60}]})
        await api.wait_for(task["id"], {"running"})
        refused = await api.call("delete", TASK, task_id=task["id"], expect=409)
        assert refused["type"].endswith("illegal-transition") or "running" in refused["detail"]
        cancelling = await api.call("post", TASK + "/cancel", task_id=task["id"], expect=200)
        assert cancelling["status"] in {"cancelling", "cancelled"}
        assert (await api.wait_for(task["id"], TERMINAL))["status"] == "cancelled"

    async def test_the_service_is_live_and_ready(self, api: Api) -> None:
        assert await api.call("get", "/health/live", expect=200) == {"status": "ok"}
        ready = await api.call("get", "/health/ready", expect=200)
        assert ready["status"] == "ready"

    # --- 404, 409 ---------------------------------------------------------------------------------

    @pytest.mark.parametrize(("method", "template"), sorted(route for route in ROUTES if route[1].startswith(TASK)))
    async def test_an_unknown_task_id_is_a_404_problem(self, api: Api, method: str, template: str) -> None:
        bodies = {("patch", TASK): {"title": "x"}, ("post", TASK + "/follow-up"): {"prompt": "x"}}
        kwargs: dict[str, Any] = {"json": bodies[method, template]} if (method, template) in bodies else {}
        problem = await api.call(method, template, task_id=UNKNOWN_ID, expect=404, **kwargs)
        assert str(UNKNOWN_ID) in problem["detail"]

    async def test_the_result_of_an_unfinished_task_is_a_404_problem(self, api: Api) -> None:
        task = await api.submit(scheduled_at=later())
        await api.call("get", TASK + "/result", task_id=task["id"], expect=404)

    async def test_cancelling_a_succeeded_task_is_a_409_problem(self, api: Api, succeeded_task: dict[str, Any]) -> None:
        problem = await api.call("post", TASK + "/cancel", task_id=succeeded_task["id"], expect=409)
        assert problem["type"].endswith("illegal-transition")

    async def test_editing_a_task_that_is_no_longer_pending_is_a_409_problem(
        self, api: Api, succeeded_task: dict[str, Any]
    ) -> None:
        await api.call("patch", TASK, task_id=succeeded_task["id"], expect=409, json={"title": "Too late"})

    async def test_retrying_a_succeeded_task_is_a_409_problem(self, api: Api, succeeded_task: dict[str, Any]) -> None:
        await api.call("post", TASK + "/retry", task_id=succeeded_task["id"], expect=409)

    # --- follow-ups -------------------------------------------------------------------------------

    async def test_a_follow_up_answers_201_with_a_task_that_follows_and_runs_like_any_other(
        self, api: Api, succeeded_task: dict[str, Any]
    ) -> None:
        body = {"prompt": "Now add a regression test.", "options": {"append_system_prompt": "Be brief."}}
        response = await api.client.post(TASK.format(task_id=succeeded_task["id"]) + "/follow-up", json=body)
        task = api.contract.check("post", TASK + "/follow-up", response)
        assert response.status_code == 201 and response.headers["location"] == f"{TASKS}/{task['id']}"
        assert task["follows_task_id"] == succeeded_task["id"] and task["project_id"] == succeeded_task["project_id"]
        assert task["title"] == "Follow-up: Scripted run"
        assert (task["options"]["runner"], task["options"]["append_system_prompt"]) == ("scripted", "Be brief.")
        assert (await api.wait_for(task["id"], TERMINAL))["status"] == "succeeded"
        plain = await api.call("get", TASK, task_id=succeeded_task["id"], expect=200)
        assert plain["follows_task_id"] is None

    async def test_a_follow_up_replays_under_the_same_idempotency_key(
        self, api: Api, succeeded_task: dict[str, Any]
    ) -> None:
        headers = {"Idempotency-Key": "contract-follow-up"}
        path, task_id = TASK + "/follow-up", succeeded_task["id"]
        first = await api.call("post", path, task_id=task_id, expect=201, json={"prompt": "Go on."}, headers=headers)
        response = await api.client.post(
            TASK.format(task_id=task_id) + "/follow-up", json={"prompt": "Go on."}, headers=headers
        )
        again = api.contract.check("post", path, response)
        assert response.headers["idempotent-replayed"] == "true" and again["id"] == first["id"]

    async def test_a_follow_up_of_an_unfinished_task_is_a_409_problem(self, api: Api) -> None:
        task = await api.submit(scheduled_at=later())
        problem = await api.call("post", TASK + "/follow-up", task_id=task["id"], expect=409, json={"prompt": "Go on."})
        assert problem["type"].endswith("not-resumable") and "only a finished task" in problem["detail"]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            pytest.param({"prompt": "Go on.", "options": {"runner": "anthropic"}}, "options.runner", id="other-runner"),
            pytest.param({"prompt": " "}, "prompt", id="blank-prompt"),
            pytest.param(
                {"prompt": "Go on.", "options": {"max_budget_usd": 0}}, "options.max_budget_usd", id="no-budget"
            ),
        ],
    )
    async def test_a_follow_up_breaking_a_rule_is_a_422_problem_naming_the_field(
        self, api: Api, succeeded_task: dict[str, Any], body: dict[str, Any], field: str
    ) -> None:
        problem = await api.call("post", TASK + "/follow-up", task_id=succeeded_task["id"], expect=422, json=body)
        assert any(name.startswith(field) for name in fields_named(problem)), problem

    # --- 422: the body is JSON, but its values break a rule ---------------------------------------

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            pytest.param(new_task(title="t" * 201), "title", id="title-too-long"),
            pytest.param(new_task(title=""), "title", id="title-empty"),
            pytest.param(new_task(title="   "), "title", id="title-blank"),
            pytest.param(new_task(prompt="p" * 100_001), "prompt", id="prompt-of-100001-characters"),
            pytest.param(new_task(tags=["x" * 51]), "tags", id="tag-too-long"),
            pytest.param(new_task(max_attempts=0), "max_attempts", id="no-attempts"),
            pytest.param(new_task(priority="critical"), "priority", id="unknown-priority"),
            pytest.param(new_task(options={"script": [{"dance": True}]}), "options.script[0]", id="unknown-step"),
            pytest.param(new_task(options={"script": [{"sleep": -1}]}), "options.script[0].sleep", id="bad-sleep"),
            pytest.param(new_task(scheduled_at="2030-01-01T00:00:00"), "scheduled_at", id="schedule-without-zone"),
            pytest.param(new_task(scheduled_at=NO_UTC_EQUIVALENT), "scheduled_at", id="schedule-out-of-range"),
            pytest.param(new_task(title="a\x00b"), "title", id="nul-in-title"),
            pytest.param(new_task(tags=["a\x00"]), "tags", id="nul-in-tag"),
            pytest.param(new_task(prompt="a\x00"), "prompt", id="nul-in-prompt"),
            pytest.param(new_task(options={"script": [{"say": "\x00"}]}), "options.script[0].say", id="nul-in-script"),
        ],
    )
    async def test_a_task_breaking_a_rule_is_a_422_problem_naming_the_field(
        self, api: Api, body: dict[str, Any], field: str
    ) -> None:
        problem = await api.call("post", TASKS, expect=422, json=body)
        assert any(name.startswith(field) for name in fields_named(problem)), problem

    async def test_an_unconfigured_runner_is_a_422_problem(self, api: Api) -> None:
        problem = await api.call("post", TASKS, expect=422, json=new_task(options={"runner": "nonexistent"}))
        assert "nonexistent" in problem["detail"]

    async def test_an_edit_breaking_a_rule_is_a_422_problem(self, api: Api) -> None:
        task = await api.submit(scheduled_at=later())
        problem = await api.call("patch", TASK, task_id=task["id"], expect=422, json={"title": "t" * 201})
        assert "title" in fields_named(problem)

    @pytest.mark.parametrize("where", ["top", "options"])
    async def test_an_unknown_json_field_is_refused_by_name(self, api: Api, where: str) -> None:
        body = new_task(bogus_field=1) if where == "top" else new_task(options={"bogus_field": 1})
        problem = await api.call("post", TASKS, expect=422, json=body)
        assert "bogus_field" in str(problem["errors"]), problem

    async def test_reading_the_log_of_an_execution_the_task_does_not_have_is_a_422_problem(
        self, api: Api, succeeded_task: dict[str, Any]
    ) -> None:
        params = {"execution": 2}
        problem = await api.call("get", TASK + "/logs", task_id=succeeded_task["id"], expect=422, params=params)
        assert problem["errors"] == [
            {"field": "execution", "source": "query", "message": problem["errors"][0]["message"]}
        ]

    @pytest.mark.parametrize(("params", "field"), [({"q": "a\x00"}, "q"), ({"tag": ["ok", "a\x00"]}, "tag[1]")])
    async def test_text_with_a_nul_character_in_the_query_is_a_422_problem_naming_it(
        self, api: Api, params: dict[str, Any], field: str
    ) -> None:
        problem = await api.call("get", TASKS, expect=422, params=params)
        assert [(e["field"], e["source"]) for e in problem["errors"]] == [(field, "query")]

    async def test_a_nul_character_in_an_idempotency_key_is_a_422_problem(self, api: Api) -> None:
        headers = {"Idempotency-Key": "a\x00"}
        problem = await api.call("post", TASKS, expect=422, json=new_task(), headers=headers)
        assert [(e["field"], e["source"]) for e in problem["errors"]] == [("Idempotency-Key", "header")]

    @pytest.mark.parametrize("route", [TASKS, TASKS + "/stats"])
    @pytest.mark.parametrize("moment", ["2030-01-01T00:00:00", NO_UTC_EQUIVALENT], ids=["no-zone", "out-of-range"])
    async def test_a_time_filter_without_a_utc_equivalent_is_a_422_problem(
        self, api: Api, route: str, moment: str
    ) -> None:
        problem = await api.call("get", route, expect=422, params={"created_before": moment})
        assert problem["errors"][0]["field"] == "created_before"
        assert problem["errors"][0]["source"] == "query"

    # --- 400: the request itself is malformed -----------------------------------------------------

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            pytest.param({"limit": 0}, "limit", id="limit-zero"),
            pytest.param({"limit": 101}, "limit", id="limit-too-big"),
            pytest.param({"limit": "ten"}, "limit", id="limit-not-a-number"),
            pytest.param({"status": "sleeping"}, "status", id="unknown-status"),
            pytest.param({"sort": "sideways"}, "sort", id="unknown-sort"),
            pytest.param({"created_after": "yesterday"}, "created_after", id="time-not-rfc3339"),
        ],
    )
    async def test_bad_list_query_values_are_a_400_problem_naming_them(
        self, api: Api, params: dict[str, Any], field: str
    ) -> None:
        problem = await api.call("get", TASKS, expect=400, params=params)
        assert any(name.startswith(field) for name in fields_named(problem)), problem

    async def test_stats_with_a_time_that_is_not_rfc3339_is_a_400_problem(self, api: Api) -> None:
        problem = await api.call("get", TASKS + "/stats", expect=400, params={"created_after": "yesterday"})
        assert "created_after" in fields_named(problem)

    async def test_an_edit_that_is_not_json_is_a_400_problem(self, api: Api) -> None:
        task = await api.submit(scheduled_at=later())
        headers = {"content-type": "application/json"}
        problem = await api.call("patch", TASK, task_id=task["id"], expect=400, content=b"{", headers=headers)
        assert problem["type"].endswith("malformed-body")

    async def test_a_bad_list_cursor_is_a_400_problem(self, api: Api) -> None:
        problem = await api.call("get", TASKS, expect=400, params={"cursor": "not-a-cursor"})
        assert problem["type"].endswith("invalid-cursor")

    @pytest.mark.parametrize(
        "cursor",
        ["garbage", "³", "-1", "1" * 12],
    )
    async def test_a_bad_executions_cursor_is_a_400_problem(
        self, api: Api, succeeded_task: dict[str, Any], cursor: str
    ) -> None:
        params = {"cursor": cursor}
        await api.call("get", TASK + "/executions", task_id=succeeded_task["id"], expect=400, params=params)

    @pytest.mark.parametrize(
        "payload",
        [
            {"s": "-created_at", "c": "2030-01-01T00:00:00+00:00", "i": str(UNKNOWN_ID), "p": "1e999"},
            {"s": "-created_at", "c": NO_UTC_EQUIVALENT, "i": str(UNKNOWN_ID), "p": 1},
        ],
        ids=["huge-rank", "moment-out-of-range"],
    )
    async def test_a_forged_list_cursor_is_a_400_problem(self, api: Api, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload).replace('"1e999"', "1e999").encode()
        cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        await api.call("get", TASKS, expect=400, params={"cursor": cursor})

    @pytest.mark.parametrize("params", [{"after": 2**64}, {"after": -1}, {"execution": 2**64}, {"limit": 1001}])
    async def test_log_positions_out_of_range_are_a_400_problem(
        self, api: Api, succeeded_task: dict[str, Any], params: dict[str, Any]
    ) -> None:
        await api.call("get", TASK + "/logs", task_id=succeeded_task["id"], expect=400, params=params)

    @pytest.mark.parametrize(
        ("content", "code"),
        [
            pytest.param(b'{"title": "x", ', "malformed-body", id="truncated-json"),
            pytest.param(b"{title: x}", "malformed-body", id="not-json"),
            pytest.param(b'{"title": "\xff", "prompt": "p"}', "malformed-body", id="not-utf8"),
            pytest.param(b"", "missing-body", id="empty"),
        ],
    )
    async def test_a_body_that_is_not_json_is_a_400_problem(self, api: Api, content: bytes, code: str) -> None:
        headers = {"content-type": "application/json"}
        problem = await api.call("post", TASKS, expect=400, content=content, headers=headers)
        assert problem["type"].endswith(code)

    async def test_an_empty_idempotency_key_is_a_400_problem(self, api: Api) -> None:
        problem = await api.call("post", TASKS, expect=400, json=new_task(), headers={"Idempotency-Key": ""})
        assert "idempotency_key" in fields_named(problem)

    # --- 413 --------------------------------------------------------------------------------------

    async def test_a_body_over_the_configured_limit_is_a_413_problem(self, api: Api) -> None:
        oversized = new_task(prompt="p" * MAX_REQUEST_BYTES)
        await api.call("post", TASKS, expect=413, json=oversized)

    async def test_an_edit_over_the_configured_limit_is_a_413_problem(self, api: Api) -> None:
        task = await api.submit(scheduled_at=later())
        oversized = {"prompt": "p" * MAX_REQUEST_BYTES}
        await api.call("patch", TASK, task_id=task["id"], expect=413, json=oversized)

    # --- every problem document carries the correlation id ----------------------------------------

    async def test_a_problem_carries_the_callers_request_id(self, api: Api) -> None:
        response = await api.client.get(f"{TASKS}/{UNKNOWN_ID}", headers={"X-Request-ID": "trace-123"})
        problem = api.contract.check("get", TASK, response)
        assert problem["correlation_id"] == "trace-123"

    @pytest.mark.parametrize(
        ("method", "url", "status"),
        [("GET", "/api/v1/nowhere", 404), ("GET", f"{TASKS}/not-a-uuid", 404), ("PUT", TASKS, 405)],
    )
    async def test_requests_no_route_answers_get_a_problem_with_a_correlation_id(
        self, api: Api, method: str, url: str, status: int
    ) -> None:
        response = await api.client.request(method, url, headers={"X-Request-ID": "lost-123"})
        assert response.status_code == status
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        OpenApiContract.check_problem(response, response.json())
        assert response.json()["correlation_id"] == "lost-123"
