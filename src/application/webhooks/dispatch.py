"""Hands due deliveries to the workers: leases a batch (per-endpoint concurrency, in order per task),
commits, then sends one message each. A message lost on the way (the broker down, a worker killed)
costs only time: its lease runs out and the delivery is offered again, under the same webhook-id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agentry.application.access import require
from agentry.application.dispatch_report import DispatchReport
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.webhooks.ports import DeliveryQueue, WebhookDeliveryRepository, WebhookSettings
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class DispatchDeliveries:
    deliveries: WebhookDeliveryRepository
    queue: DeliveryQueue
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: WebhookSettings

    async def __call__(self, actor: Principal) -> DispatchReport:
        require(self.policy, actor, Action.DISPATCH_WORK)
        settings = self.settings
        now = self.clock.now()
        # long enough for the message to wait in the queue a little and the attempt to time out
        lease = now + timedelta(seconds=settings.timeout_s + settings.lease_margin_s)
        taken = await self.deliveries.take_due(
            now, lease, self.ids.new_id(), settings.dispatch_batch, settings.max_in_flight_per_endpoint
        )
        if not taken:
            await self.uow.rollback()
            return DispatchReport()
        await self.uow.commit()
        try:
            await self.queue.send(taken)
        except Exception as error:  # the leases run out and the deliveries are offered again
            return DispatchReport(0, False, f"{type(error).__name__}: {error}")
        return DispatchReport(len(taken), len(taken) == settings.dispatch_batch)
