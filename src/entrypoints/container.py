"""The composition root: the one place that knows which adapter serves which port.

A profile is a choice of values handed in as context (the settings, the broker, the relay's
wake-up); the providers themselves are the same for the API, the worker and the tests.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator

from dishka import AsyncContainer, Provider, Scope, from_context, make_async_container, provide, provide_all
from dramatiq import Broker
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.authorization.ownership import OwnershipPolicy
from adapters.dramatiq.publisher import DramatiqPublisher
from adapters.runners.catalog import StaticRunnerCatalog
from adapters.runners.scripted import ScriptedRunner
from adapters.sqlalchemy.engine import create_async_database
from adapters.sqlalchemy.execution_repository import SqlAlchemyExecutionRepository
from adapters.sqlalchemy.log_store import SqlAlchemyLogStore
from adapters.sqlalchemy.mapping import start_mappers
from adapters.sqlalchemy.outbox import SqlAlchemyOutbox, SqlAlchemyOutboxRelayStore
from adapters.sqlalchemy.result_repository import SqlAlchemyResultRepository
from adapters.sqlalchemy.task_repository import SqlAlchemyTaskRepository
from adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from adapters.system.clock import SystemClock
from adapters.system.ids import UuidV7Generator
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
from application.tasks.cancel_task import CancelTask
from application.tasks.delete_task import DeleteTask
from application.tasks.get_result import GetResult
from application.tasks.get_task import GetTask
from application.tasks.list_executions import ListExecutions
from application.tasks.list_tasks import ListTasks
from application.tasks.read_log import ReadLog
from application.tasks.retry_task import RetryTask
from application.tasks.run_execution import RunExecution, RunSettings
from application.tasks.submit_task import SubmitTask
from application.tasks.task_stats import GetTaskStats
from application.tasks.update_task import UpdateTask
from entrypoints.config import Settings
from entrypoints.read_only import READ_ONLY
from entrypoints.relay_wakeup import RelayWakeup


class ReadOnlySessions:
    """Sessions in autocommit, for requests that only read (see entrypoints.read_only)."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory


class InfrastructureProvider(Provider):
    scope = Scope.APP

    settings = from_context(Settings)
    broker = from_context(Broker)
    wakeup = from_context(RelayWakeup)

    @provide
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = create_async_database(settings.database, pool_size=settings.db_pool_size)
        yield engine
        await engine.dispose()

    @provide
    def session_factory(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        start_mappers()
        return async_sessionmaker(engine, expire_on_commit=False)

    @provide
    def read_only_sessions(self, engine: AsyncEngine) -> ReadOnlySessions:
        autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        return ReadOnlySessions(async_sessionmaker(autocommit, expire_on_commit=False))

    @provide
    def publisher(self, broker: Broker) -> MessageBroker:
        return DramatiqPublisher(broker)

    @provide
    def runners(self, settings: Settings) -> RunnerCatalog:
        return StaticRunnerCatalog({"scripted": ScriptedRunner()}, default="scripted")

    @provide
    def run_settings(self, settings: Settings) -> RunSettings:
        return RunSettings(
            worker_id=f"{socket.gethostname()}:{os.getpid()}",
            log_batch_size=settings.log_batch_size,
            log_flush_interval_s=settings.log_flush_interval_s,
            cancel_poll_interval_s=settings.cancel_poll_interval_s,
            retry_backoff_min_s=settings.retry_backoff_min_s,
            retry_backoff_max_s=settings.retry_backoff_max_s,
        )

    @provide
    def relay_settings(self, settings: Settings) -> RelaySettings:
        return RelaySettings(batch_size=settings.relay_batch_size)

    clock = provide(SystemClock, provides=Clock)
    ids = provide(UuidV7Generator, provides=IdGenerator)
    policy = provide(OwnershipPolicy, provides=AccessPolicy)


class PersistenceProvider(Provider):
    scope = Scope.REQUEST

    @provide
    async def session(
        self, factory: async_sessionmaker[AsyncSession], readers: ReadOnlySessions
    ) -> AsyncIterator[AsyncSession]:
        async with (readers.factory if READ_ONLY.get() else factory)() as session:
            yield session

    @provide
    def unit_of_work(self, session: AsyncSession, wakeup: RelayWakeup) -> UnitOfWork:
        return SqlAlchemyUnitOfWork(session, on_outbox_commit=wakeup.notify)

    tasks = provide(SqlAlchemyTaskRepository, provides=TaskRepository)
    executions = provide(SqlAlchemyExecutionRepository, provides=ExecutionRepository)
    logs = provide(SqlAlchemyLogStore, provides=LogStore)
    results = provide(SqlAlchemyResultRepository, provides=ResultRepository)
    outbox = provide(SqlAlchemyOutbox, provides=Outbox)
    relay_store = provide(SqlAlchemyOutboxRelayStore, provides=OutboxRelayStore)


class UseCaseProvider(Provider):
    scope = Scope.REQUEST

    use_cases = provide_all(
        SubmitTask,
        GetTask,
        ListTasks,
        UpdateTask,
        CancelTask,
        RetryTask,
        DeleteTask,
        ListExecutions,
        ReadLog,
        GetResult,
        GetTaskStats,
        RunExecution,
        RelayOutbox,
    )


def make_container(settings: Settings, broker: Broker, wakeup: RelayWakeup, *extra: Provider) -> AsyncContainer:
    return make_async_container(
        InfrastructureProvider(),
        PersistenceProvider(),
        UseCaseProvider(),
        *extra,
        context={Settings: settings, Broker: broker, RelayWakeup: wakeup},
    )
