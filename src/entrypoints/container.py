"""The composition root: the one place that knows which adapter serves which port.

A profile is a choice of values handed in as context (the settings, the broker, the relay's
wake-up); the providers themselves are the same for the API, the worker and the tests.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

from dishka import AsyncContainer, Provider, Scope, from_context, make_async_container, provide, provide_all
from dramatiq import Broker
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.argon2.password_hasher import Argon2PasswordHasher
from adapters.casbin.policy import CasbinAccessPolicy
from adapters.channels.live_events import ChannelsLiveEvents, UnwatchedLiveEvents
from adapters.channels.names import ChannelNames
from adapters.channels.run_signals import RunSignalHub
from adapters.channels.stop_requests import ChannelsStopRequests
from adapters.dramatiq.publisher import DramatiqPublisher
from adapters.sqlalchemy.engine import create_async_database
from adapters.sqlalchemy.execution_repository import SqlAlchemyExecutionRepository
from adapters.sqlalchemy.log_store import SqlAlchemyLogStore
from adapters.sqlalchemy.mapping import start_mappers
from adapters.sqlalchemy.outbox import SqlAlchemyOutbox, SqlAlchemyOutboxRelayStore
from adapters.sqlalchemy.principal_store import SqlAlchemyPrincipalStore
from adapters.sqlalchemy.project_repository import SqlAlchemyMembershipRepository, SqlAlchemyProjectRepository
from adapters.sqlalchemy.project_usage import SqlAlchemyProjectUsage
from adapters.sqlalchemy.result_repository import SqlAlchemyResultRepository
from adapters.sqlalchemy.session_repository import SqlAlchemyApiTokenRepository, SqlAlchemySessionRepository
from adapters.sqlalchemy.task_repository import SqlAlchemyTaskRepository
from adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from adapters.sqlalchemy.user_repository import SqlAlchemyUserRepository
from adapters.system.clock import SystemClock
from adapters.system.ids import UuidV7Generator
from adapters.system.secrets import UrlSafeSecrets
from application.account.api_tokens import CreateApiToken, ListApiTokens, RevokeApiToken
from application.account.change_password import ChangePassword
from application.account.export_account import ExportAccount
from application.account.update_profile import UpdateProfile
from application.identity.authenticate import Authenticate
from application.identity.get_me import GetMe
from application.identity.log_in import LogIn
from application.identity.log_out import LogOut
from application.identity.refresh_session import RefreshSession
from application.identity.register_user import RegisterUser
from application.identity.settings import IdentitySettings
from application.identity.tokens import TokenMinter
from application.outbox.redispatch_lost_messages import RedispatchLostMessages
from application.outbox.relay_outbox import RelayOutbox, RelaySettings
from application.ports.access_policy import AccessPolicy
from application.ports.agent_gateway import RunnerCatalog
from application.ports.clock import Clock
from application.ports.credentials import AccessTokens, PasswordHasher, SecretGenerator
from application.ports.execution_repository import ExecutionRepository
from application.ports.ids import IdGenerator
from application.ports.live_events import LiveEvents
from application.ports.log_store import LogStore
from application.ports.message_broker import MessageBroker
from application.ports.outbox import Outbox, OutboxRelayStore
from application.ports.project_usage import ProjectUsage
from application.ports.projects import MembershipRepository, ProjectRepository
from application.ports.result_repository import ResultRepository
from application.ports.run_signals import RunSignals, StopRequests
from application.ports.sessions import ApiTokenRepository, PrincipalStore, SessionRepository
from application.ports.task_repository import TaskRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.users import UserRepository
from application.projects.create_project import CreateProject
from application.projects.delete_project import DeleteProject
from application.projects.get_project import GetProject
from application.projects.list_projects import ListProjects
from application.projects.members import (
    AddMember,
    ChangeMemberRole,
    ListMembers,
    MemberPorts,
    RemoveMember,
)
from application.projects.update_project import UpdateProject
from application.projects.watch_project import WatchProject
from application.tasks.cancel_task import CancelTask
from application.tasks.delete_task import DeleteTask
from application.tasks.follow_up_task import FollowUpTask
from application.tasks.get_result import GetResult
from application.tasks.get_task import GetTask
from application.tasks.list_executions import ListExecutions
from application.tasks.list_tasks import ListTasks
from application.tasks.read_log import ReadLog
from application.tasks.reconcile_dead_letter import ReconcileDeadLetter
from application.tasks.recover_lost_executions import RecoverLostExecutions, RecoverySettings
from application.tasks.retry_task import RetryTask
from application.tasks.run_execution import RunExecution
from application.tasks.run_settings import RunSettings
from application.tasks.submit_task import SubmitTask
from application.tasks.task_stats import GetTaskStats
from application.tasks.update_task import UpdateTask
from application.users.delete_account import DeleteAccount
from application.users.get_user import GetUser
from application.users.list_users import ListUsers
from application.users.update_user import UpdateUser
from entrypoints.config import Settings
from entrypoints.pubsub import pubsub_redis
from entrypoints.read_only import READ_ONLY
from entrypoints.relay_wakeup import RelayWakeup
from entrypoints.runners import configured_runners, runner_catalog
from entrypoints.signing_keys import SigningKeys


class ReadOnlySessions:
    """Sessions in autocommit, for requests that only read (see entrypoints.read_only)."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory


class InfrastructureProvider(Provider):
    scope = Scope.APP

    settings = from_context(Settings)
    broker = from_context(Broker)
    wakeup = from_context(RelayWakeup)
    signing_keys = from_context(SigningKeys)

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
        return runner_catalog(settings, configured_runners(settings))

    @provide
    def run_settings(self, settings: Settings) -> RunSettings:
        return RunSettings(
            worker_id=f"{socket.gethostname()}:{os.getpid()}",
            log_batch_size=settings.log_batch_size,
            log_flush_interval_s=settings.log_flush_interval_s,
            heartbeat_interval_s=settings.heartbeat_interval_s,
            retry_backoff_min_s=settings.retry_backoff_min_s,
            retry_backoff_max_s=settings.retry_backoff_max_s,
            limit_wait_s=settings.limit_wait_s,
            worker_lost_after_s=settings.worker_lost_after_s,
        )

    @provide
    def relay_settings(self, settings: Settings) -> RelaySettings:
        return RelaySettings(batch_size=settings.relay_batch_size)

    @provide
    def recovery_settings(self, settings: Settings) -> RecoverySettings:
        return RecoverySettings(
            worker_lost_after_s=settings.worker_lost_after_s,
            redispatch_after_s=settings.redispatch_after_s,
            check_interval_s=settings.heartbeat_interval_s,
        )

    @provide
    def identity_settings(self, settings: Settings) -> IdentitySettings:
        return IdentitySettings(
            open_registration=settings.open_registration,
            password_min_length=settings.password_min_length,
            refresh_token_ttl_s=settings.refresh_token_ttl_s,
        )

    @provide
    def password_hasher(self, settings: Settings) -> Iterator[PasswordHasher]:
        hasher = Argon2PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost_kib=settings.argon2_memory_kib,
            max_threads=settings.argon2_threads,
        )
        yield hasher
        hasher.close()

    @provide
    def access_tokens(self, keys: SigningKeys) -> AccessTokens:
        return keys.tokens

    clock = provide(SystemClock, provides=Clock)
    ids = provide(UuidV7Generator, provides=IdGenerator)
    secrets = provide(UrlSafeSecrets, provides=SecretGenerator)

    @provide
    def policy(self) -> AccessPolicy:
        return CasbinAccessPolicy()


class OwnLiveEventsProvider(Provider):
    """Live events of a process that serves no channels itself (a worker, the CLI): in production
    they go to Redis pub/sub, where every API process listens; the embedded profile's channels
    live inside `serve`, which no other process can reach."""

    scope = Scope.APP

    @provide
    async def live_events(self, settings: Settings) -> AsyncIterator[LiveEvents]:
        redis = pubsub_redis(settings)
        if redis is None:
            yield UnwatchedLiveEvents()
            return
        yield ChannelsLiveEvents(RedisChannelsPubSubBackend(redis=redis), ChannelNames(settings.redis_namespace))
        await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5


class SharedLiveEventsProvider(Provider):
    """Live events on the channels the API process serves (see entrypoints.runtime)."""

    live_events = from_context(LiveEvents, scope=Scope.APP)


class RunSignalsProvider(Provider):
    """The runs of this process watch its hub for stop requests (see entrypoints.worker.graceful)."""

    scope = Scope.APP

    hub = from_context(RunSignalHub)

    @provide
    def run_signals(self, hub: RunSignalHub) -> RunSignals:
        return hub


class OwnStopRequestsProvider(Provider):
    """Stop requests from a process that serves no channels (a worker, the CLI): in production they
    go to Redis pub/sub, where every worker process listens; otherwise only to this process's runs."""

    scope = Scope.APP

    @provide
    async def stop_requests(self, settings: Settings, hub: RunSignalHub) -> AsyncIterator[StopRequests]:
        redis = pubsub_redis(settings)
        if redis is None:
            yield hub
            return
        names = ChannelNames(settings.redis_namespace)
        yield ChannelsStopRequests(RedisChannelsPubSubBackend(redis=redis), names.stop_requests())
        await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5


class SharedStopRequestsProvider(Provider):
    """Stop requests on the channels the API process serves (see entrypoints.runtime)."""

    stop_requests = from_context(StopRequests, scope=Scope.APP)


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
    users = provide(SqlAlchemyUserRepository, provides=UserRepository)
    projects = provide(SqlAlchemyProjectRepository, provides=ProjectRepository)
    project_usage = provide(SqlAlchemyProjectUsage, provides=ProjectUsage)
    memberships = provide(SqlAlchemyMembershipRepository, provides=MembershipRepository)
    sessions = provide(SqlAlchemySessionRepository, provides=SessionRepository)
    api_tokens = provide(SqlAlchemyApiTokenRepository, provides=ApiTokenRepository)
    principals = provide(SqlAlchemyPrincipalStore, provides=PrincipalStore)


class UseCaseProvider(Provider):
    scope = Scope.REQUEST

    use_cases = provide_all(
        SubmitTask,
        FollowUpTask,
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
        RecoverLostExecutions,
        RedispatchLostMessages,
        ReconcileDeadLetter,
        Authenticate,
        RegisterUser,
        TokenMinter,
        LogIn,
        RefreshSession,
        LogOut,
        GetMe,
        UpdateProfile,
        ChangePassword,
        ExportAccount,
        CreateApiToken,
        ListApiTokens,
        RevokeApiToken,
        CreateProject,
        ListProjects,
        GetProject,
        UpdateProject,
        DeleteProject,
        MemberPorts,
        ListMembers,
        AddMember,
        ChangeMemberRole,
        RemoveMember,
        WatchProject,
        ListUsers,
        GetUser,
        UpdateUser,
        DeleteAccount,
    )


def make_container(
    settings: Settings,
    broker: Broker,
    wakeup: RelayWakeup,
    *extra: Provider,
    keys: SigningKeys | None = None,
    live: LiveEvents | None = None,
    signals: RunSignalHub | None = None,
    stops: StopRequests | None = None,
) -> AsyncContainer:
    """`keys`: the access-token keys, for a process that serves the API (workers need none);
    `live`: the publisher on the channels this process serves, if it serves any; `signals`: the hub
    this process's runs watch for stop requests (a worker's entrypoint keeps it, to stop them at
    shutdown); `stops`: how a cancel asked in this process reaches the runs, if it serves channels."""
    context: dict[Any, Any] = {
        Settings: settings,
        Broker: broker,
        RelayWakeup: wakeup,
        SigningKeys: keys or SigningKeys.absent(),
    }
    if live is not None:
        context[LiveEvents] = live
    context[RunSignalHub] = signals or RunSignalHub()
    if stops is not None:
        context[StopRequests] = stops
    return make_async_container(
        InfrastructureProvider(),
        PersistenceProvider(),
        UseCaseProvider(),
        OwnLiveEventsProvider() if live is None else SharedLiveEventsProvider(),
        RunSignalsProvider(),
        OwnStopRequestsProvider() if stops is None else SharedStopRequestsProvider(),
        *extra,
        context=context,
    )
