"""The outbox: where a commit leaves its messages, and the relay that hands them to the broker."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from dramatiq import Broker

from agentry.adapters.dramatiq.publisher import DramatiqPublisher
from agentry.adapters.sqlalchemy.outbox.jobs import SqlAlchemyOutbox, SqlAlchemyOutboxRelayStore
from agentry.application.outbox.ports.message_broker import MessageBroker
from agentry.application.outbox.ports.outbox import Outbox, OutboxRelayStore
from agentry.application.outbox.redispatch_lost_messages import RedispatchLostMessages
from agentry.application.outbox.relay_outbox import RelayOutbox, RelaySettings
from agentry.entrypoints.config import Settings


class OutboxProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def publisher(self, broker: Broker) -> MessageBroker:
        return DramatiqPublisher(broker)

    @provide(scope=Scope.APP)
    def relay_settings(self, settings: Settings) -> RelaySettings:
        return RelaySettings(batch_size=settings.relay_batch_size)

    outbox = provide(SqlAlchemyOutbox, provides=Outbox)
    relay_store = provide(SqlAlchemyOutboxRelayStore, provides=OutboxRelayStore)

    use_cases = provide_all(RelayOutbox, RedispatchLostMessages)
