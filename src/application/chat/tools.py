"""The tools an agent may be given: what each runner of this deployment offers and, for a project,
which of them its rules allow.

A project that lists no tools (`settings.allowed_tools` null) allows every tool of the runners it
allows; one that lists them allows a runner's tool when an entry names it ("Bash(git:*)" names Bash,
held to that pattern). A runner the project does not allow offers it nothing. A runner whose tools
cannot be learnt now (its CLI does not start) is listed with the reason instead of its tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require_project_reader
from agentry.application.chat.ports import OfferedTools, RunnerTools, ToolsUnknown
from agentry.application.errors import NotFound, Unauthenticated
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project


@dataclass(frozen=True, slots=True)
class ProjectAllows:
    """What a project's rules make of one runner's tools."""

    runner_allowed: bool
    tools: tuple[str, ...]  # the runner's tools the project allows, in the runner's order
    entries: tuple[str, ...] | None  # the project's own entries naming them ("Bash(git:*)"); None: no list


@dataclass(frozen=True, slots=True)
class RunnerToolList:
    runner: str
    default: bool
    offered: OfferedTools | None  # None: unknown now (`error` says why)
    error: str | None = None
    project: ProjectAllows | None = None  # when a project was named


@dataclass(frozen=True, slots=True)
class AgentTools:
    project_id: UUID | None
    runners: list[RunnerToolList]  # the default runner first, then by name


def tool_name(entry: str) -> str:
    """The tool a project's entry names: "Bash(git:*)" names Bash."""
    return entry.split("(", 1)[0].strip()


def allowed_by(project: Project, runner: str, offered: OfferedTools | None) -> ProjectAllows:
    settings = project.settings
    runner_allowed = settings.allowed_runners is None or runner in settings.allowed_runners
    tools = offered.tools if offered is not None and runner_allowed else ()
    if settings.allowed_tools is None:
        return ProjectAllows(runner_allowed, tools, None)
    named = {tool_name(entry) for entry in settings.allowed_tools}
    kept = tuple(tool for tool in tools if tool in named)
    entries = tuple(sorted(entry for entry in settings.allowed_tools if tool_name(entry) in kept))
    return ProjectAllows(runner_allowed, kept, entries)


@dataclass(frozen=True, slots=True)
class ListAgentTools:
    runners: RunnerCatalog
    tools: RunnerTools
    projects: ProjectRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID | None = None) -> AgentTools:
        if actor.is_anonymous:
            raise Unauthenticated("sign in first")
        project: Project | None = None
        if project_id is not None:
            require_project_reader(self.policy, actor, project_id)
            project = await self.projects.get(project_id)
            if project is None:
                raise NotFound("project", project_id)
        default = self.runners.default
        listed = []
        for name in sorted(self.runners.names, key=lambda n: (n != default, n)):
            try:
                offered, error = await self.tools.offered(name), None
            except ToolsUnknown as unknown:
                offered, error = None, str(unknown)
            allows = allowed_by(project, name, offered) if project is not None else None
            listed.append(RunnerToolList(name, name == default, offered, error, allows))
        return AgentTools(project_id, listed)
