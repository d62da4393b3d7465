"""The workers' metrics: each worker process counts the messages it handles (WorkerMetrics, a
Dramatiq middleware), and one more process that Dramatiq forks beside them (`serve_worker_metrics`)
sums all their files and answers /metrics on AGENTRY_WORKER_METRICS_PORT."""

from __future__ import annotations

import os
import time
from typing import Any

import dramatiq

FORK_FUNCTION = "agentry.entrypoints.metrics.worker:serve_worker_metrics"


class WorkerMetrics(dramatiq.Middleware):
    def __init__(self) -> None:
        from agentry.adapters.prometheus import families
        from agentry.adapters.prometheus.labels import Children

        self._m = families
        self._messages, self._duration = Children(families.worker_messages), Children(families.worker_duration)
        self._started: dict[str, float] = {}

    def before_process_message(self, broker: dramatiq.Broker, message: Any) -> None:
        self._started[message.message_id] = time.perf_counter()
        self._m.worker_in_progress.inc()

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        started = self._started.pop(message.message_id, None)
        self._m.worker_in_progress.dec()
        actor = message.actor_name if message.actor_name in broker.get_declared_actors() else "other"
        self._messages(actor, "failed" if exception is not None else "done").inc()
        if started is not None:
            self._duration(actor).observe(time.perf_counter() - started)

    def after_skip_message(self, broker: dramatiq.Broker, message: Any) -> None:
        self.after_process_message(broker, message)

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        from prometheus_client import multiprocess

        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            multiprocess.mark_process_dead(os.getpid(), directory)  # type: ignore[no-untyped-call]


def serve_worker_metrics() -> None:
    """Run by Dramatiq in a process of its own (`--fork-function`) until the worker stops."""
    from agentry.adapters.prometheus.exposition import metrics_server, service_registry
    from agentry.entrypoints.config import load_settings

    settings = load_settings()
    server = metrics_server(
        settings.metrics_interface, settings.worker_metrics_port, service_registry(), settings.metrics_token
    )
    server.serve_forever()
