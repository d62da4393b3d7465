"""The AI gateway port: an agent run is an async stream of events.

A run ends with exactly one terminal event, RunCompleted or RunFailed. A stream that simply stops
without one is a failed run (the use case, not the adapter, decides that).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.usage import Usage


@dataclass(frozen=True, slots=True)
class Exchange:
    """An earlier prompt of a follow-up chain and the answer its task gave."""

    prompt: str
    answer: str


@dataclass(frozen=True, slots=True)
class AgentRun:
    task_id: UUID
    execution_id: UUID
    attempt: int
    prompt: str
    options: TaskOptions
    resume_session_id: str | None = None
    workspace_id: UUID | None = None
    """The task whose working directory the run uses (a follow-up's chain shares one); None: its own."""
    tools: tuple[str, ...] | None = None
    """The only tools the run may use, as its project allows them (entries such as "Bash(git:*)");
    None: the project does not restrict them, and `options.allowed_tools` only names tools pre-approved."""
    hosts: tuple[str, ...] = ()
    """The hosts the run may reach besides the Messages API, as its project allows them (`pypi.org`,
    `*.github.com:8443`: domain/projects/hosts.py); a sandboxed run reaches no others."""
    history: tuple[Exchange, ...] = ()
    """A follow-up's chain so far, oldest first: for a runner that keeps no session (the Anthropic API
    sends it back as the conversation); one that resumes `resume_session_id` has no use for it."""


@dataclass(frozen=True, slots=True)
class SessionStarted:
    session_id: str
    model: str | None = None


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ToolCalled:
    tool_use_id: str
    name: str
    input: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ToolReturned:
    tool_use_id: str
    output: str
    is_error: bool = False


@dataclass(frozen=True, slots=True)
class StderrLine:
    text: str


@dataclass(frozen=True, slots=True)
class NetworkUse:
    """A connection the run asked for beyond the Messages API (HTTPS CONNECT through the egress proxy):
    refused (`allowed` False, `message` says why), opened, or closed (with the bytes it carried)."""

    host: str
    port: int
    allowed: bool
    message: str
    sent: int | None = None
    received: int | None = None


@dataclass(frozen=True, slots=True)
class UsageReported:
    """Cumulative usage of the run so far."""

    usage: Usage


@dataclass(frozen=True, slots=True)
class RunCompleted:
    output: str
    usage: Usage
    session_id: str | None = None
    summary: str | None = None
    num_turns: int | None = None
    artifacts: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class RunFailed:
    code: str
    message: str
    retryable: bool = False
    usage: Usage | None = None


AgentEvent = (
    SessionStarted
    | TextDelta
    | ToolCalled
    | ToolReturned
    | StderrLine
    | NetworkUse
    | UsageReported
    | RunCompleted
    | RunFailed
)
TERMINAL_EVENTS = (RunCompleted, RunFailed)


class AgentGateway(Protocol):
    needs_history: bool
    """Whether a follow-up's run wants its chain's earlier exchanges (`AgentRun.history`): a runner that
    keeps no session of its own. Reading the chain costs a read per exchange, so others are not given it."""

    def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        """Start the agent and stream its events; closing the iterator stops the agent."""
        ...


class RunnerCatalog(Protocol):
    """The configured runners, by name."""

    @property
    def names(self) -> frozenset[str]: ...

    @property
    def default(self) -> str: ...

    def get(self, name: str | None) -> AgentGateway:
        """The named runner, or the default one for None; raises KeyError for an unknown name."""
        ...

    def confined(self, name: str) -> bool:
        """Whether the named runner's runs are confined: in a sandbox, or running no tools at all.
        bypassPermissions is allowed only there."""
        ...
