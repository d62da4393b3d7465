"""The `agentry` command: serve, worker, migrate, seed."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from entrypoints.config import ConfigError, Settings, load_settings, require_broker
from entrypoints.logs import configure_logging

log = logging.getLogger("agentry")
T = TypeVar("T")
# Longer than common client pools keep idle connections, so the server rarely closes one that a
# client is about to reuse (a keep-alive race that surfaces as a reset connection).
KEEP_ALIVE_S = 65


def _fail(message: str) -> NoReturn:
    click.echo(f"agentry: {message}", err=True)
    sys.exit(2)


def _settings(*, needs_broker: bool = False, **overrides: Any) -> Settings:
    try:
        settings = load_settings()
        if needs_broker:
            require_broker(settings)
    except ConfigError as error:
        _fail(str(error))
    given = {k: v for k, v in overrides.items() if v is not None}
    if given:
        import msgspec

        try:
            settings = msgspec.structs.replace(settings, **given)
        except (TypeError, ValueError) as error:
            _fail(str(error))
    configure_logging(settings.log_level)
    return settings


@click.group()
@click.version_option(package_name="agentry")
def main() -> None:
    """Agentry: runs AI coding-agent tasks for teams."""


@main.command()
@click.option("--host", help="Interface to listen on [AGENTRY_HOST, default 127.0.0.1]")
@click.option("--port", type=click.IntRange(1, 65535), help="Port [AGENTRY_PORT, default 8000]")
def serve(host: str | None, port: int | None) -> None:
    """Run the HTTP API (and, in the embedded profile, the workers too)."""
    import uvicorn

    from entrypoints.runtime import build_api

    settings = _settings(needs_broker=True, host=host, port=port)
    _prepare_database(settings)
    _announce(settings)
    uvicorn.run(
        build_api(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_S,
    )


@main.command()
@click.option("--processes", type=click.IntRange(1, 256), help="Worker processes [AGENTRY_WORKER_PROCESSES, default 1]")
@click.option("--threads", type=click.IntRange(1, 1024), help="Threads per process [AGENTRY_WORKER_THREADS, default 8]")
def worker(processes: int | None, threads: int | None) -> None:
    """Run worker processes (production profile) that execute tasks from the broker."""
    from dramatiq.cli import main as dramatiq_main
    from dramatiq.cli import make_argument_parser

    settings = _settings(needs_broker=True, worker_processes=processes, worker_threads=threads)
    if settings.embedded:
        _fail("AGENTRY_PROFILE=embedded runs its workers inside `agentry serve`; set AGENTRY_PROFILE=production")
    _require_migrated(settings)
    args = make_argument_parser().parse_args(  # type: ignore[no-untyped-call]
        [
            "entrypoints.worker.process",
            "--processes",
            str(settings.worker_processes),
            "--threads",
            str(settings.worker_threads),
            "--skip-logging",
        ]
    )
    sys.exit(dramatiq_main(args))  # type: ignore[no-untyped-call]


@main.group()
def migrate() -> None:
    """Database migrations (Alembic)."""


@migrate.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: head)."""
    from adapters.sqlalchemy.migrations import current_revision
    from adapters.sqlalchemy.migrations import upgrade as run_upgrade

    settings = _settings()
    _with_database(lambda: run_upgrade(settings.database, revision))
    click.echo(f"database at revision {current_revision(settings.database)}")


@migrate.command()
@click.argument("revision", default="-1")
def downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (default: one step back; `base` removes everything)."""
    from adapters.sqlalchemy.migrations import current_revision
    from adapters.sqlalchemy.migrations import downgrade as run_downgrade

    settings = _settings()
    _with_database(lambda: run_downgrade(settings.database, revision))
    click.echo(f"database at revision {current_revision(settings.database) or 'base (empty)'}")


@migrate.command()
def current() -> None:
    """Show the database's revision and the newest one available."""
    from adapters.sqlalchemy.migrations import current_revision, head_revision

    settings = _settings()
    now = _with_database(lambda: current_revision(settings.database))
    head = head_revision(settings.database)
    click.echo(f"current: {now or 'base (empty)'}\nhead:    {head}")


@main.command()
def seed() -> None:
    """Submit a few demo tasks (safe to run twice)."""
    from adapters.dramatiq.brokers import make_broker
    from entrypoints.container import make_container
    from entrypoints.relay_wakeup import RelayWakeup
    from entrypoints.seed import seed as run_seed

    settings = _settings()
    _prepare_database(settings)

    async def go() -> list[tuple[str, bool]]:
        container = make_container(settings, make_broker("stub://"), RelayWakeup())
        try:
            return await run_seed(container)
        finally:
            await container.close()

    for title, created in _with_database(lambda: asyncio.run(go())):
        click.echo(f"{'created' if created else 'exists '}  {title}")
    click.echo("the tasks run when `agentry serve` (embedded) or `agentry worker` (production) is running")


def _prepare_database(settings: Settings) -> None:
    """Embedded: migrate on start. Production: never migrate implicitly, refuse an outdated schema."""
    if settings.embedded:
        from adapters.sqlalchemy.migrations import current_revision, head_revision
        from adapters.sqlalchemy.migrations import upgrade as run_upgrade

        if current_revision(settings.database) != head_revision(settings.database):
            log.info("migrating the embedded database %s", settings.database)
            _with_database(lambda: run_upgrade(settings.database))
    else:
        _require_migrated(settings)


def _require_migrated(settings: Settings) -> None:
    from sqlalchemy.exc import OperationalError

    from adapters.sqlalchemy.migrations import current_revision, head_revision

    try:
        now = current_revision(settings.database)
    except OperationalError as error:  # the database may come back; readiness reports it meanwhile
        log.warning("database not reachable at start (%s); continuing", type(error.orig).__name__)
        return
    head = head_revision(settings.database)
    if now != head:
        _fail(f"the database is at revision {now or 'base (empty)'}, not {head}: run `agentry migrate upgrade`")


def _with_database(action: Callable[[], T]) -> T:
    from sqlalchemy.exc import OperationalError

    try:
        return action()
    except OperationalError as error:
        _fail(f"cannot reach the database: {str(error.orig).strip().splitlines()[0]}")


def _announce(settings: Settings) -> None:
    mode = "embedded (SQLite, in-process workers)" if settings.embedded else "production"
    log.info("Agentry %s on http://%s:%d (docs at /schema)", mode, settings.host, settings.port)
    log.warning("AI gateway: the scripted runner (no model is called); real Claude gateways are not configured")
