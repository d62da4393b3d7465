"""Stop requests within one process (the hub the workers use), with a switch that loses them on the way."""

from __future__ import annotations

from uuid import UUID

from agentry.adapters.channels.run_signals import RunSignalHub


class LossyStopRequests:
    """Hands each request to the hub, as the embedded profile does; `lose = True` drops them, as a
    broker blip would, to show that the run's poll still notices the cancel."""

    def __init__(self, hub: RunSignalHub) -> None:
        self._hub = hub
        self.sent: list[UUID] = []
        self.lose = False

    async def request_stop(self, task_id: UUID) -> None:
        self.sent.append(task_id)
        if not self.lose:
            await self._hub.request_stop(task_id)
