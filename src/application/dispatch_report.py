"""What a round of handing leased work to the workers did: webhook deliveries and ingestion jobs alike."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DispatchReport:
    sent: int = 0
    full_batch: bool = False
    error: str | None = None  # the queue could not take them: the leases lapse and the work is due again
