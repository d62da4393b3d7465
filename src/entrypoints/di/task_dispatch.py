"""Tasks' dispatch: the job outbox a commit leaves execution orders in, and the relay that hands them to the broker."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from dramatiq import Broker
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.dramatiq.publisher import DramatiqPublisher
from agentry.adapters.sqlalchemy.outbox.at_once import AT_ONCE_LEASE_S, SendAtOnce
from agentry.adapters.sqlalchemy.outbox.jobs import SqlAlchemyOutbox, SqlAlchemyOutboxRelayStore
from agentry.application.ports.clock import Clock
from agentry.application.ports.work_context import WorkContext
from agentry.application.tasks.dispatch.purge_dispatched import PurgeDispatchedJobs
from agentry.application.tasks.dispatch.redispatch_lost_messages import RedispatchLostMessages
from agentry.application.tasks.dispatch.relay_outbox import RelayOutbox, RelaySettings
from agentry.application.tasks.ports.message_broker import MessageBroker
from agentry.application.tasks.ports.outbox import Outbox, OutboxRelayStore
from agentry.entrypoints.config import Settings
from agentry.entrypoints.relay.wakeup import RelayWakeup


class TaskDispatchProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def publisher(self, broker: Broker, work: WorkContext) -> MessageBroker:
        return DramatiqPublisher(broker, work)

    @provide(scope=Scope.APP)
    def relay_settings(self, settings: Settings) -> RelaySettings:
        return RelaySettings(batch_size=settings.relay_batch_size, retention_s=settings.outbox_retention_s)

    @provide(scope=Scope.APP)
    def send_at_once(self, broker: MessageBroker, clock: Clock, wakeup: RelayWakeup) -> SendAtOnce:
        return SendAtOnce(broker, clock, wakeup.jobs.notify)

    @provide
    def outbox(self, session: AsyncSession, work: WorkContext) -> Outbox:
        """Jobs asked for at once are sent by the unit of work after its commit (persistence.py)."""
        return SqlAlchemyOutbox(session, work, at_once_lease_s=AT_ONCE_LEASE_S)

    relay_store = provide(SqlAlchemyOutboxRelayStore, provides=OutboxRelayStore)

    use_cases = provide_all(RelayOutbox, RedispatchLostMessages, PurgeDispatchedJobs)
