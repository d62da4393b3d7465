"""The container: the one place that knows which adapter serves which port.

A profile is a choice of values handed in as context (the settings, the broker, the relay's
wake-up); the providers themselves are the same for the API, the worker and the tests.
"""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer, Provider, make_async_container
from dramatiq import Broker

from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.application.ports.live_events import LiveEvents
from agentry.application.tasks.ports.run_signals import StopRequests
from agentry.entrypoints.config import Settings
from agentry.entrypoints.di.account import AccountProvider
from agentry.entrypoints.di.chat import ChatProvider
from agentry.entrypoints.di.documents import DocumentsProvider
from agentry.entrypoints.di.identity import IdentityProvider
from agentry.entrypoints.di.infrastructure import InfrastructureProvider
from agentry.entrypoints.di.knowledge import KnowledgeProvider
from agentry.entrypoints.di.knowledge_extraction import KnowledgeExtractionProvider
from agentry.entrypoints.di.live import (
    OwnLiveEventsProvider,
    OwnStopRequestsProvider,
    RunSignalsProvider,
    SharedLiveEventsProvider,
    SharedStopRequestsProvider,
)
from agentry.entrypoints.di.metrics import MetricsProvider
from agentry.entrypoints.di.outbox import OutboxProvider
from agentry.entrypoints.di.persistence import PersistenceProvider
from agentry.entrypoints.di.process_caches import ProcessCachesProvider
from agentry.entrypoints.di.projects import ProjectsProvider
from agentry.entrypoints.di.publishing import PublishingProvider
from agentry.entrypoints.di.rate_limits import RateLimitsProvider
from agentry.entrypoints.di.read_cache import ReadCacheProvider
from agentry.entrypoints.di.reports import ReportsProvider
from agentry.entrypoints.di.search import SearchProvider
from agentry.entrypoints.di.task_dispatch import TaskDispatchProvider
from agentry.entrypoints.di.tasks import TasksProvider
from agentry.entrypoints.di.users import UsersProvider
from agentry.entrypoints.di.webhooks import WebhooksProvider
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.signing_keys import SigningKeys


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
        OutboxProvider(),
        TasksProvider(),
        TaskDispatchProvider(),
        IdentityProvider(),
        ProcessCachesProvider(),
        AccountProvider(),
        UsersProvider(),
        ProjectsProvider(),
        RateLimitsProvider(),
        ReadCacheProvider(),
        ReportsProvider(),
        MetricsProvider(),
        WebhooksProvider(),
        SearchProvider(),
        ChatProvider(),
        DocumentsProvider(),
        KnowledgeExtractionProvider(),
        PublishingProvider(),
        KnowledgeProvider(),
        OwnLiveEventsProvider() if live is None else SharedLiveEventsProvider(),
        RunSignalsProvider(),
        OwnStopRequestsProvider() if stops is None else SharedStopRequestsProvider(),
        *extra,
        context=context,
    )
