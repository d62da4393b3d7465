"""A project's rules over HTTP, every answer checked against the OpenAPI document: `allowed_tools` is set
and lifted like the other allow-lists; submit, edit, retry and follow-up outside the rules are 422
problem documents naming the option; a task queued before the owner narrowed the rules fails
`not_allowed` when the worker claims it, before any agent starts."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.contract.http_client import TASK, TASKS, Api, new_task

PROJECTS = "/api/v1/projects"
PROJECT = PROJECTS + "/{project_id}"
RETRY = TASK + "/retry"
FOLLOW_UP = TASK + "/follow-up"
LOG = TASK + "/logs"
_slugs = itertools.count(1)


async def new_project(api: Api, **settings: Any) -> dict[str, Any]:
    body = {"name": "Ruled", "slug": f"ruled-{next(_slugs)}", "settings": settings}
    project: dict[str, Any] = await api.call("post", PROJECTS, expect=201, json=body)
    return project


async def narrow(api: Api, project: dict[str, Any], **settings: Any) -> None:
    await api.call("patch", PROJECT, project_id=project["id"], expect=200, json={"settings": settings})


def field_of(problem: dict[str, Any]) -> str:
    [error] = problem["errors"]
    return str(error["field"])


@pytest.mark.asyncio(loop_scope="class")
class TestProjectRules:
    async def test_allowed_tools_is_set_lifted_and_kept_apart_from_the_other_settings(self, api: Api) -> None:
        project = await new_project(api, allowed_tools=["Read", "Bash(git:*)"])
        assert project["settings"]["allowed_tools"] == ["Bash(git:*)", "Read"]
        await narrow(api, project, max_running=2)
        kept = await api.call("get", PROJECT, project_id=project["id"], expect=200)
        assert (kept["settings"]["allowed_tools"], kept["settings"]["max_running"]) == (["Bash(git:*)", "Read"], 2)
        await narrow(api, project, allowed_tools=None)
        lifted = await api.call("get", PROJECT, project_id=project["id"], expect=200)
        assert lifted["settings"]["allowed_tools"] is None

    @pytest.mark.parametrize("tools", [[""], ["   "], ["x" * 201], [f"T{i}" for i in range(101)], "Read"])
    async def test_a_bad_tool_list_is_a_422(self, api: Api, tools: Any) -> None:
        created = await api.client.post(
            PROJECTS, json={"name": "Bad", "slug": f"bad-{next(_slugs)}", "settings": {"allowed_tools": tools}}
        )
        assert created.status_code == 422, created.text

    async def test_allowed_hosts_are_none_by_default_set_written_one_way_and_kept_apart(self, api: Api) -> None:
        project = await new_project(api)
        assert project["settings"]["allowed_hosts"] == []
        await narrow(api, project, allowed_hosts=["PyPI.org:443", "*.GitHub.com", "git.example.com:8443"])
        await narrow(api, project, max_running=3)
        kept = await api.call("get", PROJECT, project_id=project["id"], expect=200)
        assert kept["settings"]["allowed_hosts"] == ["*.github.com", "git.example.com:8443", "pypi.org"]
        await narrow(api, project, allowed_hosts=[])
        emptied = await api.call("get", PROJECT, project_id=project["id"], expect=200)
        assert (emptied["settings"]["allowed_hosts"], emptied["settings"]["max_running"]) == ([], 3)

    @pytest.mark.parametrize(
        ("entry", "why"),
        [
            ("https://pypi.org", "no scheme"),
            ("pypi.org/simple", "no scheme, user or path"),
            ("10.0.0.1", "IP addresses are not allowed"),
            ("[::1]:443", "IP addresses are not allowed"),
            ("pypi.org:70000", "port must be a number from 1 to 65535"),
            ("*.com", "below the top level"),
            ("a.*.example.com", "dot-separated labels"),
        ],
    )
    async def test_a_bad_host_entry_is_a_422_problem_naming_it(self, api: Api, entry: str, why: str) -> None:
        project = await new_project(api)
        body = {"settings": {"allowed_hosts": ["pypi.org", entry]}}
        problem = await api.call("patch", PROJECT, project_id=project["id"], expect=422, json=body)
        [error] = problem["errors"]
        assert error["field"] == "settings.allowed_hosts" and entry in error["message"] and why in error["message"]
        created = await api.client.post(
            PROJECTS, json={"name": "Bad", "slug": f"bad-{next(_slugs)}", "settings": {"allowed_hosts": [entry]}}
        )
        assert created.status_code == 422, created.text
        unchanged = await api.call("get", PROJECT, project_id=project["id"], expect=200)
        assert unchanged["settings"]["allowed_hosts"] == []

    @pytest.mark.parametrize("hosts", [None, "pypi.org", [f"h{i}.example.com" for i in range(101)], ["x" * 261]])
    async def test_a_host_list_of_the_wrong_shape_is_a_4xx_problem(self, api: Api, hosts: Any) -> None:
        project = await new_project(api)
        answer = await api.client.patch(
            PROJECT.format(project_id=project["id"]), json={"settings": {"allowed_hosts": hosts}}
        )
        assert answer.status_code in (400, 422), answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")

    async def test_a_task_outside_the_projects_rules_is_a_422_naming_the_option(self, api: Api) -> None:
        project = await new_project(api, allowed_tools=["Read"], allowed_permission_modes=["default", "plan"])
        for options, field in [
            ({"allowed_tools": ["Read", "Bash"]}, "options.allowed_tools"),
            ({"permission_mode": "bypassPermissions"}, "options.permission_mode"),
        ]:
            body = new_task(project_id=project["id"], options=options)
            problem = await api.call("post", TASKS, expect=422, json=body)
            assert field_of(problem) == field, problem

    async def test_bypass_permissions_on_a_confined_runner_is_accepted_where_the_project_allows_it(
        self, api: Api
    ) -> None:
        project = await new_project(api)
        body = new_task(project_id=project["id"], options={"permission_mode": "bypassPermissions"})
        task = await api.call("post", TASKS, expect=201, json=body)
        assert task["options"]["permission_mode"] == "bypassPermissions"

    async def test_edit_retry_and_follow_up_are_held_to_the_rules_the_project_has_now(self, api: Api) -> None:
        project = await new_project(api)
        later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        pending = await api.call("post", TASKS, expect=201, json=new_task(project_id=project["id"], scheduled_at=later))
        failed = await api.call(
            "post",
            TASKS,
            expect=201,
            json=new_task(project_id=project["id"], max_attempts=1, options={"script": [{"fail": "broke"}]}),
        )
        done = await api.submit(project_id=project["id"], options={"allowed_tools": ["Write"]})
        await api.wait_for(failed["id"], {"failed"})
        await api.wait_for(done["id"], {"succeeded"})
        await narrow(api, project, allowed_tools=["Read"], allowed_permission_modes=["plan"])

        edit = {"options": {"permission_mode": "default"}}
        problem = await api.call("patch", TASK, task_id=pending["id"], expect=422, json=edit)
        assert field_of(problem) == "options.permission_mode"
        problem = await api.call("post", RETRY, task_id=failed["id"], expect=422)
        assert field_of(problem) == "options.permission_mode"
        assert (await api.call("get", TASK, task_id=failed["id"], expect=200))["status"] == "failed"
        problem = await api.call("post", FOLLOW_UP, task_id=done["id"], expect=422, json={"prompt": "more"})
        assert field_of(problem) in {"options.permission_mode", "options.allowed_tools"}

    async def test_a_task_queued_before_the_rules_narrowed_fails_not_allowed_before_any_agent_starts(
        self, api: Api
    ) -> None:
        project = await new_project(api)
        soon = (datetime.now(UTC) + timedelta(seconds=1.5)).isoformat()
        body = new_task(
            project_id=project["id"],
            scheduled_at=soon,
            max_attempts=3,
            options={"permission_mode": "acceptEdits", "script": [{"say": "never said"}]},
        )
        task = await api.call("post", TASKS, expect=201, json=body)
        await narrow(api, project, allowed_permission_modes=["default"])

        ended = await api.wait_for(task["id"], {"succeeded", "failed", "timed_out"})
        assert (ended["status"], ended["attempts"], ended["error"]["code"]) == ("failed", 1, "not_allowed")
        assert "options.permission_mode" in ended["error"]["message"]
        log = await api.call("get", LOG, task_id=task["id"], expect=200)
        messages = [line["message"] for line in log["items"]]
        assert "agent session started" not in messages and "never said" not in messages
