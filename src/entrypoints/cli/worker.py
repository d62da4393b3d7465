"""`agentry worker`: Dramatiq's worker processes (production profile), each importing entrypoints.worker.process."""

from __future__ import annotations

import logging
import sys

import click

from agentry.entrypoints.cli.database import require_migrated
from agentry.entrypoints.cli.settings import command_runners, command_settings, fail

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
    args = make_argument_parser().parse_args(  # type: ignore[no-untyped-call]
        [
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
