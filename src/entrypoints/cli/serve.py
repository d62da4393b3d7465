"""`agentry serve`: the HTTP API (and, embedded, the workers), behind a server that drains on SIGTERM."""

from __future__ import annotations

import logging
import socket
import sys
from typing import TYPE_CHECKING, Any

import click

from agentry.entrypoints.cli.database import prepare_database
from agentry.entrypoints.cli.keys import with_open_keys
from agentry.entrypoints.cli.settings import command_runners, command_sealer, command_settings, fail
from agentry.entrypoints.config import Settings

if TYPE_CHECKING:
    from agentry.adapters.jwt.sealed_keys import KeySealer
    from agentry.entrypoints.runners import RunnerChoice

log = logging.getLogger("agentry")
# Longer than common client pools keep idle connections, so the server rarely closes one that a
# client is about to reuse (a keep-alive race that surfaces as a reset connection).
KEEP_ALIVE_S = 65
# On SIGTERM, open streams (SSE, WebSocket; their clients resume) end themselves and requests in
# progress get this long to finish; then what is left is cut, so that shutting down, and the embedded
# workers' grace, can begin.
REQUEST_DRAIN_S = 5


@click.command()
@click.option("--host", help="Interface to listen on [AGENTRY_HOST, default 127.0.0.1]")
@click.option("--port", type=click.IntRange(1, 65535), help="Port [AGENTRY_PORT, default 8000]")
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="Processes [AGENTRY_SERVE_WORKERS, default: the number of cores in production, 1 embedded]",
)
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Run the HTTP API (and, in the embedded profile, the workers too)."""
    import uvicorn

    from agentry.entrypoints.draining_server import DrainingServer
    from agentry.entrypoints.runtime import build_api

    settings = command_settings(needs_broker=True, host=host, port=port, serve_workers=workers)
    if settings.embedded and settings.serve_processes > 1:
        fail("--workers: the embedded profile (SQLite, in-process workers) is one process; use the production one")
    runners = command_runners(settings)
    sealer = command_sealer(settings)
    prepare_database(settings)
    _open_signing_keys(settings, sealer)
    _announce(settings, runners)
    _prepare_metrics(settings)

    def serve_one(sockets: list[socket.socket], *, expose_metrics: bool = True) -> None:
        app = build_api(settings, expose_metrics=expose_metrics)
        config = uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_level="warning",
            log_config=None,  # uvicorn's lines go through our handler, in our format (entrypoints/logs.py)
            access_log=False,  # the app writes its own access line, with the route template and the user
            lifespan="on",
            timeout_keep_alive=KEEP_ALIVE_S,
            timeout_graceful_shutdown=REQUEST_DRAIN_S,
            server_header=False,  # no header names the software that answers
            ws_max_size=settings.max_request_bytes,
        )
        DrainingServer(config, app.state.draining).run(sockets)

    from agentry.entrypoints.serve_processes import Supervisor, listening_socket

    try:  # bound here, not by uvicorn: its server accepts one connection per turn (draining_server.py)
        sock = listening_socket(settings.host, settings.port)
    except OSError as error:
        fail(f"cannot listen on {settings.host}:{settings.port}: {error.strerror}")
    if settings.serve_processes == 1:
        sock.set_inheritable(False)  # nothing to share it with
        serve_one([sock])
        return
    # Every process counts into the shared metrics directory; the one in slot 0 serves their sum.
    sys.exit(Supervisor(settings.serve_processes, lambda s, slot: serve_one([s], expose_metrics=slot == 0), sock).run())


def _open_signing_keys(settings: Settings, sealer: KeySealer) -> None:
    """The stored keys open with the operator's secret (those stored in the clear get sealed), or the
    start stops in one line. Production: `agentry migrate upgrade` creates the first key; without one
    no token can be issued. The embedded service creates its first key itself, as it starts."""
    from agentry.adapters.sqlalchemy.identity.signing_keys import load_signing_keys
    from agentry.entrypoints.signing_keys import seal_stored_keys

    async def open_keys(engine: Any) -> bool:
        await seal_stored_keys(engine, sealer)
        return bool(await load_signing_keys(engine))

    if not with_open_keys(settings, open_keys) and not settings.embedded:
        fail("the database holds no access-token signing key: run `agentry migrate upgrade`")


def _prepare_metrics(settings: Settings) -> None:
    from agentry.entrypoints.config import ConfigError
    from agentry.entrypoints.metrics.process import prepare_metrics

    try:
        prepare_metrics(settings, "api", settings.metrics_port)
    except ConfigError as error:
        fail(f"{error}: set AGENTRY_METRICS_PORT, or AGENTRY_METRICS=false")


def _announce(settings: Settings, runners: RunnerChoice) -> None:
    mode = "embedded (SQLite, in-process workers)" if settings.embedded else "production"
    log.info("Agentry %s on http://%s:%d (docs at /schema)", mode, settings.host, settings.port)
    log.warning(runners.describe())  # loudly: which gateway tasks run on decides what they cost
