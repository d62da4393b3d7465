"""The unit of work over one AsyncSession: the events its aggregates recorded go into the outbox in
the same transaction (outbox/events.py); database conflicts become port errors, and a database out
of reach (outages.py) is told from a statement that failed."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from agentry.adapters.sqlalchemy.cached_writes import take_written
from agentry.adapters.sqlalchemy.outages import database_unavailable
from agentry.adapters.sqlalchemy.pipelined_begin import deferring_inserts
from agentry.adapters.sqlalchemy.recorded_events import forget_recorded, write_recorded
from agentry.application.errors import (
    ConcurrentUpdate,
    DuplicateEmail,
    DuplicateIdempotencyKey,
    DuplicateMember,
    DuplicateSlug,
    PublicSlugTaken,
)

OUTBOX_TOUCHED = "agentry.outbox_touched"
SLUGS_WRITTEN = "agentry.slugs_written"  # filled before each flush by projects/mapping.py
JOBS_AT_ONCE = "agentry.jobs_at_once"  # the jobs to send straight after the commit (outbox/at_once.py)


class SqlAlchemyUnitOfWork:
    """`new_id` names the events it stores; `on_outbox_commit` is called after a commit that wrote
    queue jobs due now, `on_events_commit` after one that wrote events (each wakes its relay), and
    `on_principals_commit` is awaited after one that may have changed an acting principal (a user, a
    membership, a login session...: cached_writes.py), and `on_tasks_commit` after one that updated or
    deleted a task, each before the commit returns. `send_at_once` is
    awaited after a commit that wrote jobs to send at once (outbox/at_once.py), with the session and them."""

    def __init__(
        self,
        session: AsyncSession,
        new_id: Callable[[], UUID],
        on_outbox_commit: Callable[[], None] | None = None,
        on_events_commit: Callable[[], None] | None = None,
        on_principals_commit: Callable[[], Awaitable[None]] | None = None,
        on_tasks_commit: Callable[[], Awaitable[None]] | None = None,
        send_at_once: Callable[[AsyncSession, list[Any]], Awaitable[None]] | None = None,
    ) -> None:
        self._session = session
        self._new_id = new_id
        self._on_outbox_commit = on_outbox_commit
        self._on_events_commit = on_events_commit
        self._on_principals_commit = on_principals_commit
        self._on_tasks_commit = on_tasks_commit
        self._send_at_once = send_at_once

    async def commit(self) -> None:
        events = 0
        principals = tasks = False
        try:
            events, principals, tasks = await self._session.run_sync(self._commit)
        except Exception as error:
            translated = translate(error, self._session)  # before the rollback forgets what the flush wrote
            await self.rollback()
            raise translated from error
        finally:
            touched = self._session.info.pop(OUTBOX_TOUCHED, False)
            self._session.info.pop(SLUGS_WRITTEN, None)
            at_once = self._session.info.pop(JOBS_AT_ONCE, [])
        if at_once and self._send_at_once is not None:  # first: someone waits for these
            await self._send_at_once(self._session, at_once)
        if touched and self._on_outbox_commit is not None:
            self._on_outbox_commit()
        if events and self._on_events_commit is not None:
            self._on_events_commit()
        if principals and self._on_principals_commit is not None:
            await self._on_principals_commit()
        if tasks and self._on_tasks_commit is not None:
            await self._on_tasks_commit()

    def _commit(self, session: Session) -> tuple[int, bool, bool]:
        """The flush, the recorded events' insert and the commit, in one pass through the session's
        greenlet (each awaited on its own, they took one each): how many events it wrote, and whether
        it may have changed an acting principal, and a task's row."""
        # The events of what it writes are taken as it flushes. Its INSERTs go out with the statement after
        # them (on PostgreSQL: pipelined_begin.py), the events' insert or the COMMIT: any error here ends
        # the transaction the same way, whichever statement raises it.
        with deferring_inserts(_driver(session) if session.new or session.dirty or session.deleted else None):
            session.flush()
        # The events' insert carries the COMMIT when the commit will write nothing more (no savepoint to
        # release, nothing left to flush)
        last = session.get_nested_transaction() is None and not (session.new or session.deleted or session.dirty)
        events = write_recorded(session, self._new_id, then_commit=last)
        principals = tasks = False
        if session.in_transaction():
            principals, tasks = take_written(session.connection())
        session.commit()
        return events, principals, tasks

    async def rollback(self) -> None:
        self._session.info.pop(OUTBOX_TOUCHED, None)
        self._session.info.pop(JOBS_AT_ONCE, None)
        self._session.info.pop(SLUGS_WRITTEN, None)
        forget_recorded(self._session.sync_session)
        await self._session.rollback()

    async def each_on_its_own(self) -> None:
        await each_on_its_own(self._session)

    def unavailable(self, error: BaseException) -> bool:
        return database_unavailable(error)


def _driver(session: Session) -> Any:
    """The DB-API connection of the session's transaction (begun if it was not); `deferring_inserts` defers
    nothing on one that is not PostgreSQL's."""
    return session.connection().connection.driver_connection


async def each_on_its_own(session: AsyncSession) -> None:
    """On PostgreSQL, when no transaction is open yet: each statement from here to the unit of work's
    commit commits as it runs. For work whose one write is one statement (a lease, a mark): it then
    costs no BEGIN and no COMMIT, two round trips. The commit itself then sends nothing, and the
    connection goes back to the pool in its usual mode."""
    if not session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


async def execute(session: AsyncSession, statement: Any, params: Any = None) -> Any:
    """Run a statement; a conflict surfacing from the autoflush before it becomes a port error."""
    try:
        return await session.execute(statement, params)
    except (StaleDataError, DBAPIError) as error:
        raise translate(error, session) from error


async def execute_deferred(session: AsyncSession, statement: Any, params: Any = None) -> None:
    """Run an INSERT whose answer nobody reads: on PostgreSQL it waits for the transaction's next
    statement or its COMMIT (pipelined_begin.py), and so do the INSERTs of the autoflush before it. An
    error of theirs (a conflict among them) is raised there, as the port error, by whatever carries them:
    for work whose transaction any error ends."""
    driver = (await (await session.connection()).get_raw_connection()).driver_connection
    with deferring_inserts(driver):
        await execute(session, statement, params)


async def flush(session: AsyncSession) -> None:
    """Write what is staged now, so a conflict surfaces as a port error where it was caused."""
    try:
        await session.flush()
    except (StaleDataError, DBAPIError) as error:
        raise translate(error, session) from error


# Each unique constraint a port names an error for, as PostgreSQL (by constraint name) and SQLite
# (by "table.column" in "UNIQUE constraint failed: ...") report its violation.
_EMAIL = ("uq_users_email", "users.email")
_SLUG = ("uq_projects_owner_id_slug", "projects.owner_id, projects.slug")
_PUBLIC_SLUG = ("uq_projects_public_slug", "projects.slug")  # one partial index: the publicly publishing
_MEMBER = ("pk_memberships", "memberships.project_id")
_KEY_VALUE = re.compile(r"Key \((owner_id, )?slug\)=\(([^,]*, )?(?P<slug>.*)\) already exists")


def translate(error: Exception, session: AsyncSession | None = None) -> Exception:
    """Database conflicts become the port errors use cases understand; anything else stays."""
    if isinstance(error, StaleDataError):
        return ConcurrentUpdate()
    if isinstance(error, IntegrityError):
        message = str(error.orig)
        if "idempotency_key" in message:
            return DuplicateIdempotencyKey()
        if _violates(message, _EMAIL):
            return DuplicateEmail()
        if _violates(message, _SLUG):
            return DuplicateSlug(_conflicting_slug(error, session))
        if _violates(message, _PUBLIC_SLUG):
            return PublicSlugTaken(_conflicting_slug(error, session))
        if _violates(message, _MEMBER):
            return DuplicateMember()
    if isinstance(error, DBAPIError) and _sqlstate(error) in {"40001", "40P01"}:
        return ConcurrentUpdate()  # serialization failure or deadlock: safe to repeat
    return error


def _violates(message: str, names: tuple[str, str]) -> bool:
    constraint, column = names
    return f'"{constraint}"' in message or ("UNIQUE constraint failed" in message and column in message)


def _conflicting_slug(error: IntegrityError, session: AsyncSession | None) -> str:
    """The slug taken twice: from PostgreSQL's detail, or the one the failed flush was writing."""
    detail = getattr(getattr(error.orig, "diag", None), "message_detail", None) or ""
    if found := _KEY_VALUE.search(detail):
        return found["slug"]
    written: list[str] = session.info.get(SLUGS_WRITTEN, []) if session is not None else []
    return written[0] if written else ""


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None)
