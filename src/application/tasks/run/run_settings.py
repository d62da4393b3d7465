"""How the worker runs executions: batching, heartbeats, retries, limits, riding out outages."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class OutputCaps:
    """What one execution may store: its result's output, each log line's message (UTF-8 bytes, the
    clipped marker included), and its number of log lines from the agent (later ones are dropped)."""

    result_max_bytes: int = 1 << 20
    log_line_max_bytes: int = 64 << 10
    log_lines_max: int = 100_000


@dataclass(frozen=True, slots=True)
class RunSettings:
    worker_id: str = "worker"
    log_batch_size: int = 200
    log_flush_interval_s: float = 0.02
    heartbeat_interval_s: float = 1.0
    retry_backoff_min_s: float = 1.0
    retry_backoff_max_s: float = 60.0
    limit_wait_s: float = 1.0  # how long an order held back by its project's concurrency limit waits
    # Riding out a database outage: the ending is written again after a pause growing from the
    # minimum to the maximum, for up to `worker_lost_after_s` (then the recovery's rule applies);
    # while the log cannot be written, past `log_backlog_max` waiting lines the agent's events wait.
    worker_lost_after_s: float = 15.0
    ending_retry_min_s: float = 0.5
    ending_retry_max_s: float = 5.0
    log_backlog_max: int = 5_000
    output: OutputCaps = field(default_factory=OutputCaps)
    jitter: Callable[[], float] = field(default=random.random)

    def backoff_s(self, attempt: int) -> float:
        """Exponential in the attempt number, jittered by ±50%, kept within the bounds."""
        base = self.retry_backoff_min_s * 2.0 ** max(attempt - 1, 0)
        return min(self.retry_backoff_max_s, max(self.retry_backoff_min_s, base * (0.5 + self.jitter())))
