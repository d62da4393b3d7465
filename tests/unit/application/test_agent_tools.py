"""GET /agent/tools on the fakes: each runner's tools, the default first; for a project, the ones its
rules allow; a runner whose tools are unknown now is listed with the reason; projects one may not read
do not exist."""

from __future__ import annotations

from uuid import uuid4

import pytest

from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.offered_tools import SCRIPTED_TOOLS, FixedTools, RunnerToolLists
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.chat.ports import OfferedTools, ToolsUnknown
from agentry.application.chat.tools import ListAgentTools, ProjectAllows
from agentry.application.errors import NotFound, Unauthenticated
from agentry.domain.principal import Principal
from agentry.domain.projects.project import ProjectSettings
from tests.fakes.app import ALICE, OTHERS, TEAM, FakeApp


class Unreachable:
    async def offered(self) -> OfferedTools:
        raise ToolsUnknown("the Claude Code CLI could not start: no executable claude")


@pytest.fixture
def app() -> FakeApp:
    app = FakeApp()
    runners = {"scripted": ScriptedRunner(), "claude-code": ScriptedRunner(), "anthropic": ScriptedRunner()}
    app.runners = StaticRunnerCatalog(runners, default="scripted")
    app.runner_tools = RunnerToolLists(
        {"scripted": FixedTools(SCRIPTED_TOOLS), "claude-code": Unreachable(), "anthropic": FixedTools(())}
    )
    return app


async def test_every_runner_is_listed_default_first_with_its_tools_or_why_they_are_unknown(app: FakeApp) -> None:
    listed = (await app.use(ListAgentTools)(ALICE)).runners
    assert [(r.runner, r.default) for r in listed] == [("scripted", True), ("anthropic", False), ("claude-code", False)]
    scripted, anthropic, claude = listed
    assert scripted.offered == OfferedTools(SCRIPTED_TOOLS, "fixed") and anthropic.offered == OfferedTools((), "fixed")
    assert (claude.offered, claude.error) == (None, "the Claude Code CLI could not start: no executable claude")
    assert all(r.project is None for r in listed)


async def test_a_project_allows_the_runner_tools_its_entries_name_on_the_runners_it_allows(app: FakeApp) -> None:
    project = app.db.projects[TEAM]
    unrestricted = (await app.use(ListAgentTools)(ALICE, TEAM)).runners[0]
    assert unrestricted.project == ProjectAllows(True, SCRIPTED_TOOLS, None)

    project.settings = ProjectSettings(
        allowed_runners=frozenset({"scripted", "claude-code"}),
        allowed_tools=frozenset({"Read", "Bash(git:*)", "Bash(ls)", "Deploy"}),
    )
    scripted, anthropic, claude = (await app.use(ListAgentTools)(ALICE, TEAM)).runners
    assert scripted.project == ProjectAllows(True, ("Bash", "Read"), ("Bash(git:*)", "Bash(ls)", "Read"))
    assert anthropic.project == ProjectAllows(False, (), ())
    assert claude.project == ProjectAllows(True, (), ())  # its tools are unknown now: none to allow


async def test_a_project_one_may_not_read_does_not_exist_and_nobody_lists_anonymously(app: FakeApp) -> None:
    for project_id in (OTHERS, uuid4()):
        with pytest.raises(NotFound):
            await app.use(ListAgentTools)(ALICE, project_id)
    with pytest.raises(Unauthenticated):
        await app.use(ListAgentTools)(Principal.anonymous())
