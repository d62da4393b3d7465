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

from agentry.adapters.argon2.password_hasher import Argon2PasswordHasher
from agentry.adapters.casbin.policy import CasbinAccessPolicy
from agentry.adapters.channels.live_events import ChannelsLiveEvents, UnwatchedLiveEvents
from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.channels.stop_requests import ChannelsStopRequests
from agentry.adapters.dramatiq.publisher import DramatiqPublisher
from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.identity.principal_store import SqlAlchemyPrincipalStore
from agentry.adapters.sqlalchemy.identity.session_repository import (
    SqlAlchemyApiTokenRepository,
    SqlAlchemySessionRepository,
)
from agentry.adapters.sqlalchemy.identity.user_repository import SqlAlchemyUserRepository
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.outbox.events import SqlAlchemyEventStore
from agentry.adapters.sqlalchemy.outbox.jobs import SqlAlchemyOutbox, SqlAlchemyOutboxRelayStore
from agentry.adapters.sqlalchemy.projects.project_repository import (
    SqlAlchemyMembershipRepository,
    SqlAlchemyProjectRepository,
)
from agentry.adapters.sqlalchemy.tasks.execution_repository import SqlAlchemyExecutionRepository
from agentry.adapters.sqlalchemy.tasks.log_store import SqlAlchemyLogStore
from agentry.adapters.sqlalchemy.tasks.project_usage import SqlAlchemyProjectUsage
from agentry.adapters.sqlalchemy.tasks.result_repository import SqlAlchemyResultRepository
from agentry.adapters.sqlalchemy.tasks.task_repository import SqlAlchemyTaskRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.adapters.system.clock import SystemClock
from agentry.adapters.system.ids import UuidV7Generator
from agentry.adapters.system.secrets import UrlSafeSecrets
from agentry.application.account.api_tokens import CreateApiToken, ListApiTokens, RevokeApiToken
from agentry.application.account.change_password import ChangePassword
from agentry.application.account.export_account import ExportAccount
from agentry.application.account.update_profile import UpdateProfile
from agentry.application.identity.authenticate import Authenticate
from agentry.application.identity.get_me import GetMe
from agentry.application.identity.log_in import LogIn
from agentry.application.identity.log_out import LogOut
from agentry.application.identity.ports.credentials import AccessTokens, PasswordHasher, SecretGenerator
from agentry.application.identity.ports.sessions import ApiTokenRepository, PrincipalStore, SessionRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.refresh_session import RefreshSession
from agentry.application.identity.register_user import RegisterUser
from agentry.application.identity.settings import IdentitySettings
from agentry.application.identity.tokens import TokenMinter
from agentry.application.outbox.deliver_events import DeliverEvents, EventRelaySettings, Subscribers
from agentry.application.outbox.ports import EventStore
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.live_events import LiveEvents
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.create_project import CreateProject
from agentry.application.projects.delete_project import DeleteProject
from agentry.application.projects.get_project import GetProject
from agentry.application.projects.list_projects import ListProjects
from agentry.application.projects.members import (
    AddMember,
    ChangeMemberRole,
    ListMembers,
    MemberPorts,
    RemoveMember,
)
from agentry.application.projects.ports import MembershipRepository, ProjectRepository
from agentry.application.projects.update_project import UpdateProject
from agentry.application.projects.watch_project import WatchProject
from agentry.application.tasks.announce_live import AnnounceTaskEvents
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.delete_task import DeleteTask
from agentry.application.tasks.dispatch.redispatch_lost_messages import RedispatchLostMessages
from agentry.application.tasks.dispatch.relay_outbox import RelayOutbox, RelaySettings
from agentry.application.tasks.follow_up_task import FollowUpTask
from agentry.application.tasks.get_result import GetResult
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.list_executions import ListExecutions
from agentry.application.tasks.list_tasks import ListTasks
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.message_broker import MessageBroker
from agentry.application.tasks.ports.outbox import Outbox, OutboxRelayStore
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.result_repository import ResultRepository
from agentry.application.tasks.ports.run_signals import RunSignals, StopRequests
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.read_log import ReadLog
from agentry.application.tasks.retry_task import RetryTask
from agentry.application.tasks.run.reconcile_dead_letter import ReconcileDeadLetter
from agentry.application.tasks.run.recover_lost_executions import RecoverLostExecutions, RecoverySettings
from agentry.application.tasks.run.run_execution import RunExecution
from agentry.application.tasks.run.run_settings import RunSettings
from agentry.application.tasks.submit_task import SubmitTask
from agentry.application.tasks.task_stats import GetTaskStats
from agentry.application.tasks.update_task import UpdateTask
from agentry.application.users.delete_account import DeleteAccount
from agentry.application.users.get_user import GetUser
from agentry.application.users.list_users import ListUsers
from agentry.application.users.update_user import UpdateUser
from agentry.entrypoints.config import Settings
from agentry.entrypoints.pubsub import pubsub_redis
from agentry.entrypoints.read_only import READ_ONLY
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.runners import configured_runners, runner_catalog
from agentry.entrypoints.signing_keys import SigningKeys


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
    def event_relay_settings(self) -> EventRelaySettings:
        return EventRelaySettings()

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
    def unit_of_work(self, session: AsyncSession, wakeup: RelayWakeup, ids: IdGenerator) -> UnitOfWork:
        return SqlAlchemyUnitOfWork(
            session, ids.new_id, on_outbox_commit=wakeup.jobs.notify, on_events_commit=wakeup.events.notify
        )

    tasks = provide(SqlAlchemyTaskRepository, provides=TaskRepository)
    executions = provide(SqlAlchemyExecutionRepository, provides=ExecutionRepository)
    logs = provide(SqlAlchemyLogStore, provides=LogStore)
    results = provide(SqlAlchemyResultRepository, provides=ResultRepository)
    outbox = provide(SqlAlchemyOutbox, provides=Outbox)
    relay_store = provide(SqlAlchemyOutboxRelayStore, provides=OutboxRelayStore)
    event_store = provide(SqlAlchemyEventStore, provides=EventStore)
    users = provide(SqlAlchemyUserRepository, provides=UserRepository)
    projects = provide(SqlAlchemyProjectRepository, provides=ProjectRepository)
    project_usage = provide(SqlAlchemyProjectUsage, provides=ProjectUsage)
    memberships = provide(SqlAlchemyMembershipRepository, provides=MembershipRepository)
    sessions = provide(SqlAlchemySessionRepository, provides=SessionRepository)
    api_tokens = provide(SqlAlchemyApiTokenRepository, provides=ApiTokenRepository)
    principals = provide(SqlAlchemyPrincipalStore, provides=PrincipalStore)


class SubscriberProvider(Provider):
    """Who hears of the domain events, in the order each event is handed to them (one line each)."""

    scope = Scope.REQUEST

    @provide
    def subscribers(self, live: LiveEvents) -> Subscribers:
        return Subscribers(
            (AnnounceTaskEvents(live),),
        )


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
        DeliverEvents,
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
        SubscriberProvider(),
        UseCaseProvider(),
        OwnLiveEventsProvider() if live is None else SharedLiveEventsProvider(),
        RunSignalsProvider(),
        OwnStopRequestsProvider() if stops is None else SharedStopRequestsProvider(),
        *extra,
        context=context,
    )
