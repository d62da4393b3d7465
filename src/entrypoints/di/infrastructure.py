"""What every capability shares: the profile's context values, the database engine and its session
factories, the clock, the ids and the access policy."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, from_context, provide
from dramatiq import Broker
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from agentry.adapters.casbin.policy import CasbinAccessPolicy
from agentry.adapters.otel.context import PlainWorkContext
from agentry.adapters.otel.setup import instrument_engine, tracing_on
from agentry.adapters.otel.tracing import OtelWorkContext
from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.system.clock import SystemClock
from agentry.adapters.system.ids import UuidV7Generator
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.work_context import WorkContext
from agentry.entrypoints.config import Settings
from agentry.entrypoints.relay.wakeup import RelayWakeup
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
        engine = create_async_database(
            settings.database, pool_size=settings.pool_size, pool_timeout_s=settings.pool_timeout_s
        )
        instrument_engine(engine)  # statement spans, when tracing is on
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
    def work_context(self) -> WorkContext:
        """Traced steps when this process traces (OTEL_EXPORTER_OTLP_ENDPOINT), the correlation id alone otherwise."""
        return OtelWorkContext() if tracing_on() else PlainWorkContext()

    clock = provide(SystemClock, provides=Clock)
    ids = provide(UuidV7Generator, provides=IdGenerator)

    @provide
    def policy(self) -> AccessPolicy:
        return CasbinAccessPolicy()
