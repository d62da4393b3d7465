"""Runners for tests: the scripted runner, remembering what each run was asked to do."""

from __future__ import annotations

from collections.abc import AsyncIterator

from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.tasks.ports.agent_gateway import AgentEvent, AgentRun


class RecordingRunner:
    """The scripted runner, remembering what each run was asked to do."""

    needs_history = False

    def __init__(self) -> None:
        self.requests: list[AgentRun] = []
        self._inner = ScriptedRunner()

    def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        self.requests.append(request)
        return self._inner.run(request)
