"""The event outbox: where commits leave domain events, the relay that hands them out, and who hears them."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.sqlalchemy.outbox.events import SqlAlchemyEventStore
from agentry.application.chat.finish_turns import FinishChatTurns
from agentry.application.documents.announce_live import AnnounceDocumentEvents
from agentry.application.knowledge.announce_live import AnnounceKnowledgeEvents
from agentry.application.knowledge.forget_project_vectors import ForgetProjectVectors
from agentry.application.knowledge.keep_name_vectors import KeepNameVectors
from agentry.application.metrics.count_task_events import CountTaskEvents
from agentry.application.outbox.deliver_events import DeliverEvents, EventRelaySettings, Subscribers
from agentry.application.outbox.ports import EventStore
from agentry.application.outbox.purge_events import OutboxRetention, PurgeDeliveredEvents
from agentry.application.ports.live_events import LiveEvents
from agentry.application.publishing.announce_live import AnnouncePublicationEvents
from agentry.application.publishing.finish_drafts import FinishDrafts
from agentry.application.read_cache import InvalidateReadCache
from agentry.application.tasks.announce_live import AnnounceTaskEvents
from agentry.application.webhooks.record_deliveries import RecordWebhookDeliveries
from agentry.entrypoints.config import Settings


class OutboxProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def relay_settings(self) -> EventRelaySettings:
        return EventRelaySettings()

    @provide(scope=Scope.APP)
    def retention(self, settings: Settings) -> OutboxRetention:
        return OutboxRetention(retention_s=settings.outbox_retention_s)

    @provide
    def subscribers(
        self,
        read_cache: InvalidateReadCache,
        live: LiveEvents,
        metrics: CountTaskEvents,
        webhooks: RecordWebhookDeliveries,
        chat: FinishChatTurns,
        drafts: FinishDrafts,
        project_vectors: ForgetProjectVectors,
        name_vectors: KeepNameVectors,
    ) -> Subscribers:
        """Every subscriber, one line each, in the order each event is handed to them (the cache first: a
        client that hears of a change and reads the stats sees it; the name index last: it may call the
        embedder, and an event it fails on has reached the others already; a deleted project's vectors just
        before it)."""
        return Subscribers(
            (
                read_cache,
                AnnounceTaskEvents(live),
                AnnounceDocumentEvents(live),
                AnnounceKnowledgeEvents(live),
                AnnouncePublicationEvents(live),
                metrics,
                webhooks,
                chat,
                drafts,
                project_vectors,
                name_vectors,
            ),
        )

    event_store = provide(SqlAlchemyEventStore, provides=EventStore)

    use_cases = provide_all(DeliverEvents, PurgeDeliveredEvents)
