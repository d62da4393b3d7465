"""Use cases wired to the in-memory fakes: each call gets a fresh unit of work, like a request scope."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar
from uuid import UUID

from adapters.authorization.ownership import OwnershipPolicy
from adapters.runners.catalog import StaticRunnerCatalog
from adapters.runners.scripted import ScriptedRunner
from application.outbox.relay_outbox import RelayOutbox, RelaySettings
from application.ports.access_policy import AccessPolicy
from application.ports.agent_gateway import RunnerCatalog
from application.ports.clock import Clock
from application.ports.execution_repository import ExecutionRepository
from application.ports.ids import IdGenerator
from application.ports.log_store import LogStore
from application.ports.message_broker import MessageBroker
from application.ports.outbox import Outbox, OutboxRelayStore
from application.ports.result_repository import ResultRepository
from application.ports.task_repository import TaskRepository
from application.ports.unit_of_work import UnitOfWork
from application.tasks.run_execution import RunExecution, RunSettings
from application.tasks.submit_task import SubmitTask, SubmitTaskCommand
from domain.outbox import ExecutionOrder
from domain.principal import Principal, PrincipalKind
from domain.task_spec import TaskOptions, TaskSpec
from domain.tasks import AgentTask
from tests.fakes.memory import (
    MemoryDatabase,
    MemoryExecutionRepository,
    MemoryLogStore,
    MemoryOutbox,
    MemoryOutboxRelayStore,
    MemoryResultRepository,
    MemoryTaskRepository,
    MemoryUnitOfWork,
)
from tests.fakes.system import FakeClock, RecordingBroker, SequentialIds

U = TypeVar("U")
ALICE = Principal(UUID(int=0xA11CE), "alice")
BOB = Principal(UUID(int=0xB0B), "bob")
ADMIN = Principal(UUID(int=0xAD), "admin", roles=frozenset({"admin"}))
SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)


class FakeApp:
    def __init__(self, **run_settings: Any) -> None:
        self.db = MemoryDatabase()
        self.clock = FakeClock()
        self.ids = SequentialIds()
        self.broker = RecordingBroker()
        self.runners = StaticRunnerCatalog({"scripted": ScriptedRunner()}, default="scripted")
        self.policy = OwnershipPolicy()
        defaults: dict[str, Any] = {
            "worker_id": "test-worker",
            "cancel_poll_interval_s": 0.02,
            "log_flush_interval_s": 0.01,
            "jitter": lambda: 0.5,
        }
        self.run_settings = RunSettings(**(defaults | run_settings))
        self.relay_settings = RelaySettings(batch_size=100)

    def use(self, use_case: type[U]) -> U:
        session = self.db.session()
        provided: dict[Any, Any] = {
            TaskRepository: MemoryTaskRepository(session),
            ExecutionRepository: MemoryExecutionRepository(session),
            LogStore: MemoryLogStore(session),
            ResultRepository: MemoryResultRepository(session),
            Outbox: MemoryOutbox(session),
            OutboxRelayStore: MemoryOutboxRelayStore(session),
            UnitOfWork: MemoryUnitOfWork(session),
            MessageBroker: self.broker,
            RunnerCatalog: self.runners,
            AccessPolicy: self.policy,
            Clock: self.clock,
            IdGenerator: self.ids,
            RunSettings: self.run_settings,
            RelaySettings: self.relay_settings,
        }
        hints = typing.get_type_hints(use_case)
        instance = use_case(**{f.name: provided[hints[f.name]] for f in dataclasses.fields(use_case)})  # type: ignore[arg-type]

        async def in_request_scope(*args: Any, **kwargs: Any) -> Any:
            try:
                return await instance(*args, **kwargs)  # type: ignore[operator]
            finally:
                await session.rollback()  # the scope ends: uncommitted work is dropped, locks released

        return in_request_scope  # type: ignore[return-value]

    # --- shortcuts for arranging a scene ---------------------------------------------------------

    async def submit(self, actor: Principal = ALICE, key: str | None = None, **spec: Any) -> AgentTask:
        spec.setdefault("title", "Fix the build")
        spec.setdefault("prompt", "The build is red; make it green.")
        if "script" in spec:
            spec["options"] = TaskOptions(script=spec.pop("script"))
        submission = await self.use(SubmitTask)(actor, SubmitTaskCommand(TaskSpec(**spec), key))
        return submission.task

    async def relay(self) -> int:
        report = await self.use(RelayOutbox)(SYSTEM)
        return report.sent

    async def run_next(self) -> Any:
        """Deliver the oldest order the broker received to a worker."""
        order = self.broker.sent.pop(0)
        return await self.run(order)

    async def run(self, order: ExecutionOrder) -> Any:
        return await self.use(RunExecution)(SYSTEM, order)

    def task(self, task_id: UUID) -> AgentTask:
        return self.db.tasks[task_id]
