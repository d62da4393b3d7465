"""The `agentry` command: serve, worker, migrate, seed."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from agentry.entrypoints.config import ConfigError, Settings, load_settings, require_broker
from agentry.entrypoints.logs import configure_logging

if TYPE_CHECKING:
    from agentry.entrypoints.runners import RunnerChoice

log = logging.getLogger("agentry")
T = TypeVar("T")
# Longer than common client pools keep idle connections, so the server rarely closes one that a
# client is about to reuse (a keep-alive race that surfaces as a reset connection).
KEEP_ALIVE_S = 65
# On SIGTERM, open streams (SSE, WebSocket; their clients resume) end themselves and requests in
# progress get this long to finish; then what is left is cut, so that shutting down, and the embedded
# workers' grace, can begin.
REQUEST_DRAIN_S = 5


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

    from agentry.entrypoints.draining_server import DrainingServer
    from agentry.entrypoints.runtime import build_api

    settings = _settings(needs_broker=True, host=host, port=port)
    runners = _runners(settings)
    _prepare_database(settings)
    if not settings.embedded:  # the embedded service creates its first key itself, as it starts
        _require_signing_key(settings)
    _announce(settings, runners)
    app = build_api(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_S,
        timeout_graceful_shutdown=REQUEST_DRAIN_S,
    )
    DrainingServer(config, app.state.draining).run()


@main.command()
@click.option("--processes", type=click.IntRange(1, 256), help="Worker processes [AGENTRY_WORKER_PROCESSES, default 1]")
@click.option("--threads", type=click.IntRange(1, 1024), help="Threads per process [AGENTRY_WORKER_THREADS, default 8]")
def worker(processes: int | None, threads: int | None) -> None:
    """Run worker processes (production profile) that execute tasks from the broker."""
    from dramatiq.cli import main as dramatiq_main
    from dramatiq.cli import make_argument_parser

    from agentry.entrypoints.worker.graceful import shutdown_timeout_ms

    settings = _settings(needs_broker=True, worker_processes=processes, worker_threads=threads)
    if settings.embedded:
        _fail("AGENTRY_PROFILE=embedded runs its workers inside `agentry serve`; set AGENTRY_PROFILE=production")
    runners = _runners(settings)
    _require_migrated(settings)
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


@main.group()
def migrate() -> None:
    """Database migrations (Alembic)."""


@migrate.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: head)."""
    from agentry.adapters.sqlalchemy.migrations import current_revision, head_revision
    from agentry.adapters.sqlalchemy.migrations import upgrade as run_upgrade
    from agentry.entrypoints.signing_keys import ensure_signing_key

    settings = _settings()
    _with_database(lambda: run_upgrade(settings.database, revision))
    now = current_revision(settings.database)
    click.echo(f"database at revision {now}")
    if now == head_revision(settings.database) and _with_engine(settings, ensure_signing_key):
        click.echo("created the first access-token signing key")


@migrate.command()
@click.argument("revision", default="-1")
def downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (default: one step back; `base` removes everything)."""
    from agentry.adapters.sqlalchemy.migrations import current_revision
    from agentry.adapters.sqlalchemy.migrations import downgrade as run_downgrade

    settings = _settings()
    _with_database(lambda: run_downgrade(settings.database, revision))
    click.echo(f"database at revision {current_revision(settings.database) or 'base (empty)'}")


@migrate.command()
def current() -> None:
    """Show the database's revision and the newest one available."""
    from agentry.adapters.sqlalchemy.migrations import current_revision, head_revision

    settings = _settings()
    now = _with_database(lambda: current_revision(settings.database))
    head = head_revision(settings.database)
    click.echo(f"current: {now or 'base (empty)'}\nhead:    {head}")


@main.command()
def seed() -> None:
    """Submit a few demo tasks (safe to run twice)."""
    from agentry.adapters.dramatiq.brokers import make_broker
    from agentry.entrypoints.di.container import make_container
    from agentry.entrypoints.relay.wakeup import RelayWakeup
    from agentry.entrypoints.seed import DEMO_EMAIL
    from agentry.entrypoints.seed import seed as run_seed

    settings = _settings()
    _prepare_database(settings)

    async def go() -> tuple[str | None, list[tuple[str, bool]]]:
        container = make_container(settings, make_broker("stub://"), RelayWakeup())
        try:
            return await run_seed(container)
        finally:
            await container.close()

    password, tasks = _with_database(lambda: asyncio.run(go()))
    if password is not None:
        click.echo(f"created the demo account {DEMO_EMAIL} with the password {password} (shown once)")
    for title, created in tasks:
        click.echo(f"{'created' if created else 'exists '}  {title}")
    click.echo("the tasks run when `agentry serve` (embedded) or `agentry worker` (production) is running")


@main.group()
def users() -> None:
    """User accounts."""


@users.command("create-admin")
@click.option("--email", required=True, help="The admin's email address")
@click.option("--display-name", default="Admin", show_default=True)
@click.password_option(help="Asked for when not given (read from stdin when it is not a terminal)")
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create an admin account (the first one, or more)."""
    from agentry.application.identity.register_user import RegisterUser, Registration
    from agentry.domain.roles import GlobalRole
    from agentry.entrypoints.console_principal import CONSOLE_PRINCIPAL

    settings = _settings()
    _prepare_database(settings)

    async def create(container: Any) -> Any:
        register = await container.get(RegisterUser)
        registration = Registration(email, password, display_name, GlobalRole.ADMIN)
        return await register(CONSOLE_PRINCIPAL, registration)

    user = _run_use_case(settings, create)
    click.echo(f"created admin {user.email} ({user.id}); log in at POST /api/v1/auth/login")


@main.group()
def keys() -> None:
    """Access-token signing keys."""


@keys.command("list")
def list_keys() -> None:
    """The keys in use (the newest old enough signs; all of them verify)."""
    from agentry.adapters.sqlalchemy.identity.signing_keys import load_signing_keys

    for key in _with_engine(_settings(), load_signing_keys):
        click.echo(f"{key.kid}  {key.algorithm}  created {key.created_at:%Y-%m-%d %H:%M:%S}Z")


@keys.command()
def rotate() -> None:
    """Add a new key; it starts signing once every API process has loaded it."""
    from agentry.entrypoints.signing_keys import add_new_key

    settings = _settings()
    key = _with_engine(settings, add_new_key)
    delay = 2 * settings.signing_key_reload_s
    click.echo(
        f"added key {key.kid}; it signs new tokens in {delay:.0f} s. Retire the previous key with "
        f"`agentry keys retire KID` once {settings.access_token_ttl_s} s more have passed."
    )


@keys.command()
@click.argument("kid")
def retire(kid: str) -> None:
    """Stop accepting tokens signed with KID (the last key cannot be retired)."""
    from agentry.adapters.sqlalchemy.identity.signing_keys import load_signing_keys, retire_signing_key

    settings = _settings()
    live = {key.kid for key in _with_engine(settings, load_signing_keys)}
    if kid not in live:
        _fail(f"no key {kid!r} in use; `agentry keys list` shows them")
    if live == {kid}:
        _fail("this is the only key; `agentry keys rotate` first")
    _with_engine(settings, lambda engine: retire_signing_key(engine, kid, datetime.now(UTC)))
    click.echo(f"retired key {kid}; tokens signed with it are refused from the next reload on")


def _with_engine(settings: Settings, action: Callable[[Any], Awaitable[T]]) -> T:
    from agentry.adapters.sqlalchemy.engine import create_async_database

    async def go() -> T:
        engine = create_async_database(settings.database, pool_size=1)
        try:
            return await action(engine)
        finally:
            await engine.dispose()

    return _with_database(lambda: asyncio.run(go()))


def _run_use_case(settings: Settings, action: Callable[[Any], Awaitable[T]]) -> T:
    """Run `action` in one request scope of a container, turning refusals into one line."""
    from agentry.adapters.dramatiq.brokers import make_broker
    from agentry.application.errors import ApplicationError
    from agentry.domain.errors import DomainError
    from agentry.entrypoints.di.container import make_container
    from agentry.entrypoints.relay.wakeup import RelayWakeup

    async def go() -> T:
        container = make_container(settings, make_broker("stub://"), RelayWakeup())
        try:
            async with container() as request:
                return await action(request)
        finally:
            await container.close()

    try:
        return _with_database(lambda: asyncio.run(go()))
    except (ApplicationError, DomainError) as error:
        _fail(str(error))


def _prepare_database(settings: Settings) -> None:
    """Embedded: migrate on start. Production: never migrate implicitly, refuse an outdated schema."""
    if settings.embedded:
        from agentry.adapters.sqlalchemy.migrations import current_revision, head_revision
        from agentry.adapters.sqlalchemy.migrations import upgrade as run_upgrade

        if current_revision(settings.database) != head_revision(settings.database):
            log.info("migrating the embedded database %s", settings.database)
            _with_database(lambda: run_upgrade(settings.database))
    else:
        _require_migrated(settings)


def _require_signing_key(settings: Settings) -> None:
    """Production: `agentry migrate upgrade` creates the first key; without one no token can be issued."""
    from agentry.adapters.sqlalchemy.identity.signing_keys import load_signing_keys

    if not _with_engine(settings, load_signing_keys):
        _fail("the database holds no access-token signing key: run `agentry migrate upgrade`")


def _require_migrated(settings: Settings) -> None:
    from sqlalchemy.exc import OperationalError

    from agentry.adapters.sqlalchemy.migrations import current_revision, head_revision

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


def _runners(settings: Settings) -> RunnerChoice:
    """Serving and working need the runners they name to work; migrating does not."""
    from agentry.entrypoints.runners import configured_runners

    try:
        return configured_runners(settings)
    except ConfigError as error:
        _fail(str(error))


def _announce(settings: Settings, runners: RunnerChoice) -> None:
    mode = "embedded (SQLite, in-process workers)" if settings.embedded else "production"
    log.info("Agentry %s on http://%s:%d (docs at /schema)", mode, settings.host, settings.port)
    log.warning(runners.describe())  # loudly: which gateway tasks run on decides what they cost
