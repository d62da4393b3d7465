"""`agentry worker`: Dramatiq's worker processes (production profile), each importing entrypoints.worker.process."""

from __future__ import annotations

import logging
import sys

import click

from agentry.entrypoints.cli.database import require_migrated
from agentry.entrypoints.cli.settings import command_runners, command_settings, fail
from agentry.entrypoints.config import Settings

log = logging.getLogger("agentry")


@click.command()
@click.option("--processes", type=click.IntRange(1, 256), help="Worker processes [AGENTRY_WORKER_PROCESSES, default 1]")
@click.option("--threads", type=click.IntRange(1, 1024), help="Threads per process [AGENTRY_WORKER_THREADS, default 8]")
def worker(processes: int | None, threads: int | None) -> None:
    """Run worker processes (production profile) that execute tasks from the broker."""
    from dramatiq.cli import main as dramatiq_main
    from dramatiq.cli import make_argument_parser

    from agentry.entrypoints.worker.graceful import shutdown_timeout_ms

    settings = command_settings(needs_broker=True, worker_processes=processes, worker_threads=threads)
    if settings.embedded:
        fail("AGENTRY_PROFILE=embedded runs its workers inside `agentry serve`; set AGENTRY_PROFILE=production")
    runners = command_runners(settings)
    require_migrated(settings)
    log.warning(runners.describe())
    metrics = _metrics_fork(settings)
    args = make_argument_parser().parse_args(  # type: ignore[no-untyped-call]
        [
            *metrics,
            "agentry.entrypoints.worker.process",
            "--processes",
            str(settings.worker_processes),
            "--threads",
            str(settings.worker_threads),
            "--worker-shutdown-timeout",
            str(shutdown_timeout_ms(settings)),
            "--skip-logging",
        ]
    )
    sys.exit(dramatiq_main(args))  # type: ignore[no-untyped-call]


def _metrics_fork(settings: Settings) -> list[str]:
    """Metrics on: the worker processes write to a directory of this worker's, and one more process
    answers /metrics on AGENTRY_WORKER_METRICS_PORT (README "Metrics and dashboards")."""
    from agentry.entrypoints.config import ConfigError
    from agentry.entrypoints.metrics.process import prepare_metrics
    from agentry.entrypoints.metrics.worker import FORK_FUNCTION

    if not settings.metrics_enabled:
        return []
    try:
        prepare_metrics(settings, "worker", settings.worker_metrics_port)
    except ConfigError as error:
        fail(f"{error}: set AGENTRY_WORKER_METRICS_PORT, or AGENTRY_METRICS=false")
    return ["--fork-function", FORK_FUNCTION]
