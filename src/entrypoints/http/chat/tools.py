"""/api/v1/agent/tools: the tools each runner offers and, for a project, which of them it allows."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from msgspec import Meta, Struct

from agentry.application.chat.tools import AgentTools, ListAgentTools, ProjectAllows, RunnerToolList
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses

Actor = NamedDependency[Principal]


class ProjectAllowsBody(Struct, kw_only=True):
    runner_allowed: Annotated[bool, Meta(description="Whether the project's tasks may run on this runner")]
    tools: Annotated[list[str], Meta(description="The runner's tools the project allows, in the runner's order")]
    entries: Annotated[
        list[str] | None,
        Meta(description="The project's allowed_tools entries naming them (e.g. Bash(git:*)); null: no list"),
    ]

    @classmethod
    def from_domain(cls, allows: ProjectAllows) -> ProjectAllowsBody:
        entries = list(allows.entries) if allows.entries is not None else None
        return cls(runner_allowed=allows.runner_allowed, tools=list(allows.tools), entries=entries)


class RunnerToolsBody(Struct, kw_only=True):
    runner: str
    default: Annotated[bool, Meta(description="The runner tasks use unless they name another")]
    tools: Annotated[list[str] | None, Meta(description="What it offers; null when it cannot be learnt now")]
    source: Annotated[
        str | None, Meta(description="init_event: read from the Claude Code CLI; fixed: the runner's own list")
    ]
    version: Annotated[str | None, Meta(description="The runner's version (the Claude Code CLI's)")]
    error: Annotated[str | None, Meta(description="Why its tools are unknown now")]
    project: Annotated[ProjectAllowsBody | None, Meta(description="With project_id: what the project allows")]

    @classmethod
    def from_domain(cls, listed: RunnerToolList) -> RunnerToolsBody:
        offered = listed.offered
        return cls(
            runner=listed.runner,
            default=listed.default,
            tools=list(offered.tools) if offered else None,
            source=offered.source if offered else None,
            version=offered.version if offered else None,
            error=listed.error,
            project=ProjectAllowsBody.from_domain(listed.project) if listed.project else None,
        )


class AgentToolsBody(Struct, kw_only=True):
    project_id: UUID | None
    runners: Annotated[list[RunnerToolsBody], Meta(description="The default runner first, then by name")]

    @classmethod
    def from_domain(cls, tools: AgentTools) -> AgentToolsBody:
        return cls(project_id=tools.project_id, runners=[RunnerToolsBody.from_domain(r) for r in tools.runners])


class AgentToolsController(Controller):
    security = REQUIRES_BEARER
    path = "/agent/tools"
    tags = ("chat",)

    @get(
        "/",
        summary="The tools each runner offers, and which of them a project allows",
        description="Claude Code's tools are read from the system/init event its CLI prints at the start of a "
        "run, asked once per CLI version; the other runners have fixed lists.",
        responses=problem_responses(400, 401, 404),
    )
    async def tools(
        self,
        actor: Actor,
        list_tools: FromDishka[ListAgentTools],
        project_id: Annotated[
            UUID | None, QueryParameter(description="A project you may read: also which tools it allows")
        ] = None,
    ) -> AgentToolsBody:
        return AgentToolsBody.from_domain(await list_tools(actor, project_id))
