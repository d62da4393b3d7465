"""A run reaches the hosts its project allows as they are when a worker claims the task (not as they
were at submit), and what it reached, or was refused, is in the task's log for its owner to see."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.application.tasks.ports.agent_gateway import AgentEvent, AgentRun, NetworkUse, RunCompleted
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind, LogLevel
from agentry.domain.tasks.usage import Usage
from tests.fakes.app import TEAM, FakeApp
from tests.fakes.runners import RecordingRunner


async def test_a_run_gets_the_hosts_its_project_allows_at_the_claim() -> None:
    app = FakeApp()
    runner = RecordingRunner()
    app.runners = StaticRunnerCatalog({"scripted": runner}, "scripted", confined={"scripted"})
    project = app.db.projects[TEAM]
    project.settings = replace(project.settings, allowed_hosts=frozenset({"pypi.org"}))
    await app.submit()
    await app.submit()
    await app.relay()
    project.settings = replace(project.settings, allowed_hosts=frozenset({"*.github.com", "PyPI.org:8443"}))
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    project.settings = replace(project.settings, allowed_hosts=frozenset())
    assert await app.run_next() is ExecutionStatus.SUCCEEDED

    assert [request.hosts for request in runner.requests] == [("*.github.com", "pypi.org:8443"), ()]


class ReachingRunner:
    """A run that asks for two hosts: one tunnel opened and closed, one refused."""

    needs_history = False

    async def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        yield NetworkUse("pypi.org", 443, True, "CONNECT pypi.org:443 allowed: tunnel to 151.101.0.223 opened")
        yield NetworkUse("pypi.org", 443, True, "CONNECT pypi.org:443 closed: 10 bytes sent, 20 received", 10, 20)
        yield NetworkUse("example.org", 443, False, "CONNECT example.org:443 refused: not among the project's ...")
        yield RunCompleted("done", Usage())


async def test_what_a_run_reached_or_was_refused_is_in_its_log() -> None:
    app = FakeApp()
    app.runners = StaticRunnerCatalog({"scripted": ReachingRunner()}, "scripted")  # type: ignore[dict-item]
    task = await app.submit()
    await app.relay()
    assert await app.run_next() is ExecutionStatus.SUCCEEDED

    lines = sorted((line for line in app.db.logs.values() if line.task_id == task.id), key=lambda line: line.sequence)
    network = [(line.kind, line.level, line.data["network"]) for line in lines if "network" in line.data]
    assert network == [
        (LogKind.SYSTEM, LogLevel.INFO, {"host": "pypi.org", "port": 443, "allowed": True, "sent": None,
                                         "received": None}),
        (LogKind.SYSTEM, LogLevel.INFO, {"host": "pypi.org", "port": 443, "allowed": True, "sent": 10,
                                         "received": 20}),
        (LogKind.SYSTEM, LogLevel.WARNING, {"host": "example.org", "port": 443, "allowed": False, "sent": None,
                                            "received": None}),
    ]  # fmt: skip
    assert "refused" in [line.message for line in lines if "network" in line.data][-1]
