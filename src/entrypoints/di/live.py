"""What crosses processes while work runs: live events to watchers, stop requests to runs, and the
hub the runs of this process watch."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, from_context, provide
from litestar.channels.backends.redis import RedisChannelsPubSubBackend

from agentry.adapters.channels.live_events import ChannelsLiveEvents, UnwatchedLiveEvents
from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.channels.stop_requests import ChannelsStopRequests
from agentry.application.ports.live_events import LiveEvents
from agentry.application.tasks.ports.run_signals import RunSignals, StopRequests
from agentry.entrypoints.config import Settings
from agentry.entrypoints.pubsub import pubsub_redis


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
        names = ChannelNames(settings.redis_namespace)
        yield ChannelsLiveEvents(RedisChannelsPubSubBackend(redis=redis), names, redis)
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
