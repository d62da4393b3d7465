"""How commands reach the database: a refusal in one line when it is away, an engine or a container for
one action, and the schema checked (or, embedded, migrated) before serving or working."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from agentry.entrypoints.cli.settings import fail
from agentry.entrypoints.config import Settings

log = logging.getLogger("agentry")
T = TypeVar("T")


def with_database(action: Callable[[], T]) -> T:
    from sqlalchemy.exc import OperationalError

    try:
        return action()
    except OperationalError as error:
        fail(f"cannot reach the database: {str(error.orig).strip().splitlines()[0]}")


def with_engine(settings: Settings, action: Callable[[Any], Awaitable[T]]) -> T:
    from agentry.adapters.sqlalchemy.engine import create_async_database

    async def go() -> T:
        engine = create_async_database(settings.database, pool_size=1)
        try:
            return await action(engine)
        finally:
            await engine.dispose()

    return with_database(lambda: asyncio.run(go()))


def run_use_case(settings: Settings, action: Callable[[Any], Awaitable[T]]) -> T:
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
        return with_database(lambda: asyncio.run(go()))
    except (ApplicationError, DomainError) as error:
        fail(str(error))


def prepare_database(settings: Settings) -> None:
    """Embedded: migrate on start. Production: never migrate implicitly, refuse an outdated schema."""
    if settings.embedded:
        from agentry.adapters.sqlalchemy.migrations import current_revision, head_revision
        from agentry.adapters.sqlalchemy.migrations import upgrade as run_upgrade

        if current_revision(settings.database) != head_revision(settings.database):
            log.info("migrating the embedded database %s", settings.database)
            with_database(lambda: run_upgrade(settings.database))
    else:
        require_migrated(settings)


def require_migrated(settings: Settings) -> None:
    from sqlalchemy.exc import OperationalError

    from agentry.adapters.sqlalchemy.migrations import current_revision, head_revision

    try:
        now = current_revision(settings.database)
    except OperationalError as error:  # the database may come back; readiness reports it meanwhile
        log.warning("database not reachable at start (%s); continuing", type(error.orig).__name__)
        return
    head = head_revision(settings.database)
    if now != head:
        fail(f"the database is at revision {now or 'base (empty)'}, not {head}: run `agentry migrate upgrade`")
