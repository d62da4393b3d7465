"""An in-memory database with transactions: each unit of work stages its changes and applies them
on commit; `for_update` takes a per-row lock held until the transaction ends; a task changed by
someone else since it was read fails the commit (like the SQL adapter's version column).

Users, projects, memberships, login sessions and tokens are kept as generic rows (see ROW_TABLES):
staged inserts, changes written field by field on commit (last writer wins, as an UPDATE of the
changed columns does), unique constraints checked on add and again on commit, and deletes that
cascade like the schema's ON DELETE CASCADE. Their repositories live in tests/fakes/memory_identity.py.
Foreign keys are not enforced here (a task may name a project that does not exist).
`cut()` takes the database out of reach until `restore()`: reads and commits raise Unreachable,
which the unit of work's `unavailable` recognizes, as the SQL one does a refused connection."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from agentry.application.errors import (
    ConcurrentUpdate,
    DuplicateEmail,
    DuplicateIdempotencyKey,
    DuplicateMember,
    DuplicateSlug,
    PublicSlugTaken,
)
from agentry.domain.identity.sessions import ApiToken, LoginSession, RefreshToken
from agentry.domain.identity.users import User
from agentry.domain.projects.invitation import Invitation
from agentry.domain.projects.project import Membership, Project
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.logs import LogLine
from agentry.domain.tasks.orders import QueueJob
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage_totals import UsageKey, UsageTotals
from tests.fakes import memory_events
from tests.fakes.memory_events import EventRow

T = TypeVar("T")


def fields_of(obj: Any) -> dict[str, Any]:
    """The domain fields of a dataclass instance (not what an ORM may have attached to it)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def clone(obj: T) -> T:
    return dataclasses.replace(obj, **copy.deepcopy(fields_of(obj)))  # type: ignore[type-var]


def refresh(working: Any, fresh: Any) -> None:
    for name, value in fields_of(fresh).items():
        setattr(working, name, value)


class UniqueViolation(Exception):
    """What a database's unique constraint would raise."""


class Unreachable(Exception):
    """What a driver raises when the database cannot be reached: refused, reset, timed out."""


@dataclass
class JobRow:
    job: QueueJob
    leased_until: datetime | None = None
    at_once: bool = False  # asked to go straight after the commit (the relay sends it here too)


@dataclass(frozen=True)
class Unique:
    """A unique constraint of a row table: the value it keys on, and the error its violation is."""

    value: Callable[[Any], Any]
    error: Callable[[Any], Exception]


def _violation(name: str) -> Callable[[Any], Exception]:
    return lambda _value: UniqueViolation(name)


# Row tables: name -> (primary key of a row, error for a taken primary key, unique constraints).
ROW_TABLES: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Exception], tuple[Unique, ...]]] = {
    "users": (lambda u: u.id, _violation("pk_users"), (Unique(lambda u: u.email, lambda _: DuplicateEmail()),)),
    "projects": (
        lambda p: p.id,
        _violation("pk_projects"),
        # per owner; a project without an owner clashes with none (NULL is distinct in SQL)
        # and among the projects that publish publicly (a partial unique index)
        (
            Unique(lambda p: (p.owner_id, p.slug) if p.owner_id else p.id, lambda key: DuplicateSlug(key[1])),
            Unique(
                lambda p: ("public", p.slug) if p.settings.public_publications else p.id,
                lambda key: PublicSlugTaken(key[1]),
            ),
        ),
    ),
    "invitations": (
        lambda i: i.id,
        _violation("pk_invitations"),
        (Unique(lambda i: (i.project_id, i.email), _violation("uq_invitations_project_id_email")),),
    ),
    "memberships": (lambda m: (m.project_id, m.user_id), lambda _: DuplicateMember(), ()),
    "login_sessions": (lambda s: s.id, _violation("pk_login_sessions"), ()),
    "refresh_tokens": (
        lambda t: t.id,
        _violation("pk_refresh_tokens"),
        (Unique(lambda t: t.token_hash, _violation("uq_refresh_tokens_token_hash")),),
    ),
    "api_tokens": (
        lambda t: t.id,
        _violation("pk_api_tokens"),
        (Unique(lambda t: t.token_hash, _violation("uq_api_tokens_token_hash")),),
    ),
    "chat_sessions": (lambda s: s.id, _violation("pk_chat_sessions"), ()),
    "chat_turns": (
        lambda t: t.id,
        _violation("pk_chat_turns"),
        (Unique(lambda t: (t.session_id, t.number), _violation("uq_chat_turns_session_id_number")),),
    ),
    "chat_visitors": (lambda v: v.id, _violation("pk_chat_visitors"), ()),
    "public_chat_spend": (lambda r: (r.project_id, r.day), _violation("pk_public_chat_spend"), ()),
}
RowKey = tuple[str, Any]


class MemoryDatabase:
    def __init__(self) -> None:
        self.tasks: dict[UUID, AgentTask] = {}
        self.versions: dict[UUID, int] = {}
        self.executions: dict[UUID, TaskExecution] = {}
        self.logs: dict[tuple[UUID, int, int], LogLine] = {}
        self.results: dict[UUID, TaskResult] = {}
        self.jobs: dict[UUID, JobRow] = {}
        self.users: dict[UUID, User] = {}
        self.projects: dict[UUID, Project] = {}
        self.memberships: dict[tuple[UUID, UUID], Membership] = {}
        self.invitations: dict[UUID, Invitation] = {}
        self.login_sessions: dict[UUID, LoginSession] = {}
        self.refresh_tokens: dict[UUID, RefreshToken] = {}
        self.api_tokens: dict[UUID, ApiToken] = {}
        self.chat_sessions: dict[UUID, Any] = {}
        self.chat_turns: dict[UUID, Any] = {}
        self.chat_visitors: dict[UUID, Any] = {}
        self.public_chat_spend: dict[tuple[UUID, Any], Any] = {}
        self.events: list[EventRow] = []  # the event outbox (tests/fakes/memory_events.py)
        self.usage: dict[UsageKey, UsageTotals] = {}  # the usage roll-up, by day (the months add up its days)
        self.locks: defaultdict[Any, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.commits = 0
        self.reachable = True
        self.refused = 0  # reads and commits refused while cut
        self.lost_replies = 0  # commits to come that go through but whose reply is lost (they raise)

    def cut(self) -> None:
        """From now on, every read and commit fails with Unreachable, as when the server is away."""
        self.reachable = False

    def restore(self) -> None:
        self.reachable = True

    def reach(self) -> None:
        if not self.reachable:
            self.refused += 1
            raise Unreachable("connection refused")

    def session(self, *, counted: bool = True) -> MemorySession:
        """`counted`: its commits count in `commits` (not so the event relay's, which runs in the background)."""
        return MemorySession(self, counted=counted)

    def table(self, name: str) -> dict[Any, Any]:
        """One of the row tables (ROW_TABLES), by name."""
        rows: dict[Any, Any] = getattr(self, name)
        return rows

    def delete_row(self, table: str, key: Any) -> None:
        """Remove a row and, as ON DELETE CASCADE would, everything that refers to it."""
        self.table(table).pop(key, None)
        if table == "users":
            self._delete_where("memberships", lambda m: m.user_id == key)
            self._delete_where("login_sessions", lambda s: s.user_id == key)
            self._delete_where("refresh_tokens", lambda t: t.user_id == key)
            self._delete_where("api_tokens", lambda t: t.user_id == key)
            for invitation in self.invitations.values():  # ON DELETE SET NULL
                if invitation.invited_by == key:
                    invitation.invited_by = None
            for project in self.projects.values():  # ON DELETE SET NULL
                if project.owner_id == key:
                    project.owner_id = None
        elif table == "projects":
            self._delete_where("memberships", lambda m: m.project_id == key)
            self._delete_where("invitations", lambda i: i.project_id == key)
            self._delete_where("chat_sessions", lambda s: s.project_id == key)
            self._delete_where("chat_visitors", lambda v: v.project_id == key)
            self._delete_where("public_chat_spend", lambda r: r.project_id == key)
            for task_id in [t.id for t in self.tasks.values() if t.project_id == key]:
                self.delete_task(task_id)
            for usage_key in [k for k in self.usage if k.project_id == key]:
                del self.usage[usage_key]
        elif table == "login_sessions":
            self._delete_where("refresh_tokens", lambda t: t.session_id == key)
        elif table == "chat_sessions":
            self._delete_where("chat_turns", lambda t: t.session_id == key)

    def _delete_where(self, table: str, refers: Callable[[Any], bool]) -> None:
        for key in [k for k, row in self.table(table).items() if refers(row)]:
            self.delete_row(table, key)

    def delete_task(self, task_id: UUID) -> None:
        """Remove a task and, as ON DELETE CASCADE would, everything that refers to it."""
        self.tasks.pop(task_id, None)
        self.versions.pop(task_id, None)
        self.results.pop(task_id, None)
        for table in (self.executions, self.jobs):
            for key in [k for k, v in table.items() if _task_of(v) == task_id]:
                del table[key]
        for key in [k for k in self.logs if k[0] == task_id]:
            del self.logs[key]


def _task_of(row: Any) -> UUID:
    return row.job.order.task_id if isinstance(row, JobRow) else row.task_id


class MemorySession:
    """One unit of work: an identity map of working copies, and staged writes."""

    def __init__(self, db: MemoryDatabase, *, counted: bool = True) -> None:
        self.db = db
        self.counted = counted
        # The identity map outlives commits (as with expire_on_commit=False): objects read earlier
        # stay tracked, and a later change to one is written, version-checked, at the next commit.
        self.tasks: dict[UUID, AgentTask] = {}
        self.base: dict[UUID, tuple[dict[str, Any], int]] = {}
        self.executions: dict[UUID, TaskExecution] = {}
        self.exec_base: dict[UUID, dict[str, Any]] = {}
        self.rows: dict[RowKey, Any] = {}  # working copies of rows read (users, projects, ...)
        self.row_base: dict[RowKey, dict[str, Any]] = {}  # their fields as last read or written
        self._reset()

    def _reset(self) -> None:
        self.new_tasks: set[UUID] = set()
        self.deleted: set[UUID] = set()
        self.new_executions: set[UUID] = set()
        self.new_logs: list[LogLine] = []
        self.new_results: list[TaskResult] = []
        self.job_ops: list[Any] = []
        self.new_rows: dict[RowKey, Any] = {}
        self.deleted_rows: list[RowKey] = []
        self.held: set[Any] = set()

    # --- reading -----------------------------------------------------------------------------

    async def load_task(self, task_id: UUID, *, lock: bool) -> AgentTask | None:
        self.db.reach()
        if lock and task_id not in self.held:
            await self.db.locks[task_id].acquire()
            self.held.add(task_id)
        if task_id in self.new_tasks:
            return self.tasks[task_id]
        stored = self.db.tasks.get(task_id)
        if stored is None or task_id in self.deleted:
            return None
        fresh = clone(stored)
        working = self.tasks.get(task_id)
        if working is None:
            self.tasks[task_id] = working = fresh
        else:
            refresh(working, fresh)  # like populate_existing
        self.base[task_id] = (copy.deepcopy(fields_of(working)), self.db.versions[task_id])
        return working

    async def lock(self, key: Any) -> None:
        if key not in self.held:
            await self.db.locks[key].acquire()
            self.held.add(key)

    async def load_row(self, table: str, key: Any, *, lock: bool = False) -> Any:
        """A row read into this unit of work (tracked: its changes are written on commit)."""
        self.db.reach()
        if lock:
            await self.lock((table, key))
        row_key = (table, key)
        if row_key in self.new_rows:
            return self.new_rows[row_key]
        stored = self.db.table(table).get(key)
        if stored is None or row_key in self.deleted_rows:
            return None
        working = self.rows.get(row_key)
        if working is None:
            self.rows[row_key] = working = clone(stored)
        elif fields_of(working) != self.row_base[row_key]:
            return working  # changed here and not yet committed: SQL would have flushed it before reading
        else:
            refresh(working, clone(stored))  # like populate_existing
        self.row_base[row_key] = copy.deepcopy(fields_of(working))
        return working

    def visible_rows(self, table: str) -> list[Any]:
        """The rows this unit of work sees: committed ones, with its own changes, additions and deletions."""
        rows = {key: self.rows.get((table, key), row) for key, row in self.db.table(table).items()}
        for (name, key), row in self.new_rows.items():
            if name == table:
                rows[key] = row
        for name, key in self.deleted_rows:
            if name == table:
                rows.pop(key, None)
        return list(rows.values())

    async def visible_loaded(self, table: str, keep: Callable[[Any], bool]) -> list[Any]:
        """The visible rows that `keep` selects, read into this unit of work."""
        key_of = ROW_TABLES[table][0]
        found = [await self.load_row(table, key_of(row)) for row in self.visible_rows(table) if keep(row)]
        return [row for row in found if row is not None]

    def insert_row(self, table: str, row: Any) -> None:
        """Stage a new row; a taken key or unique value fails at once, as the SQL adapter's flush does."""
        key_of, taken_key, uniques = ROW_TABLES[table]
        visible = self.visible_rows(table)
        if any(key_of(r) == key_of(row) for r in visible):
            raise taken_key(key_of(row))
        for unique in uniques:
            if any(unique.value(r) == unique.value(row) for r in visible):
                raise unique.error(unique.value(row))
        self.new_rows[(table, key_of(row))] = row

    def delete_row(self, table: str, key: Any) -> None:
        row_key = (table, key)
        if self.new_rows.pop(row_key, None) is None:
            self.deleted_rows.append(row_key)

    def load_execution(self, execution_id: UUID) -> TaskExecution:
        self.db.reach()
        if execution_id in self.new_executions:
            return self.executions[execution_id]
        fresh = clone(self.db.executions[execution_id])
        working = self.executions.setdefault(execution_id, fresh)
        refresh(working, fresh)
        self.exec_base[execution_id] = copy.deepcopy(fields_of(working))
        return working

    # --- the transaction -----------------------------------------------------------------------

    async def commit(self) -> None:
        events = memory_events.take_recorded(memory_events.tracked(self))
        try:
            self.db.reach()
            self._check()
            self._apply()
            memory_events.write(self.db, events)
            self.db.commits += self.counted
            if self.db.lost_replies:
                self.db.lost_replies -= 1
                raise Unreachable("the connection was reset before the commit was acknowledged")
        except Exception:
            self.rows.clear()  # as the SQL unit of work's rollback expires what it had read
            self.row_base.clear()
            raise
        finally:
            self._end()

    async def rollback(self) -> None:
        memory_events.take_recorded(memory_events.tracked(self))  # what was rolled back never happened
        for tracked in (self.tasks, self.base, self.executions, self.exec_base, self.rows, self.row_base):
            tracked.clear()
        self._end()

    def _check(self) -> None:
        self._check_rows()
        self._check_tasks()

    def _changed_rows(self) -> list[RowKey]:
        return [k for k, working in self.rows.items() if fields_of(working) != self.row_base[k]]

    def _check_rows(self) -> None:
        """What the database's constraints would say about this commit, given what others committed meanwhile."""
        changed = self._changed_rows()
        for table, key in changed:
            if (table, key) not in self.deleted_rows and key not in self.db.table(table):
                raise ConcurrentUpdate()  # an UPDATE that finds no row
        for table, (key_of, taken_key, uniques) in ROW_TABLES.items():
            new = [row for (name, _), row in self.new_rows.items() if name == table]
            for row in new:
                if key_of(row) in self.db.table(table):
                    raise taken_key(key_of(row))
            written = new + [self.rows[k] for k in changed if k[0] == table]
            if not written or not uniques:
                continue
            result = self.visible_rows(table)
            for unique in uniques:
                for row in written:
                    if sum(unique.value(r) == unique.value(row) for r in result) > 1:
                        raise unique.error(unique.value(row))

    def _check_tasks(self) -> None:
        released = {i for i in self.base if self.tasks[i].idempotency_key is None}  # keys this commit lets go
        taken = {(t.owner_id, t.idempotency_key) for t in self.db.tasks.values() if t.idempotency_key}
        taken -= {(t.owner_id, t.idempotency_key) for i, t in self.db.tasks.items() if i in released}
        for task_id in self.new_tasks:
            task = self.tasks[task_id]
            if task.idempotency_key is not None and (task.owner_id, task.idempotency_key) in taken:
                raise DuplicateIdempotencyKey()
        for task_id, (before, version) in self.base.items():
            changed = task_id in self.deleted or fields_of(self.tasks[task_id]) != before
            if changed and self.db.versions.get(task_id) != version:
                raise ConcurrentUpdate()
        for line in self.new_logs:
            if (line.task_id, line.execution_number, line.sequence) in self.db.logs:
                raise UniqueViolation("execution_logs primary key")
        for result in self.new_results:
            if result.task_id in self.db.results:
                raise UniqueViolation("task_results primary key")
        for execution_id in self.new_executions:
            execution = self.executions[execution_id]
            if any(
                e.task_id == execution.task_id and e.number == execution.number for e in self.db.executions.values()
            ):
                raise UniqueViolation("uq_task_executions_task_id_number")

    def _apply(self) -> None:
        db = self.db
        for (table, key), row in self.new_rows.items():
            db.table(table)[key] = clone(row)
            self.rows[(table, key)] = row
            self.row_base[(table, key)] = copy.deepcopy(fields_of(row))
        for row_key in self._changed_rows():
            table, key = row_key
            stored, working, before = db.table(table).get(key), self.rows[row_key], self.row_base[row_key]
            if stored is not None:
                for name, value in fields_of(working).items():
                    if value != before[name]:  # only the changed columns, as an UPDATE writes them
                        setattr(stored, name, copy.deepcopy(value))
            self.row_base[row_key] = copy.deepcopy(fields_of(working))
        for task_id in self.new_tasks | set(self.base):
            if task_id in self.deleted:
                continue
            task = self.tasks[task_id]
            if task_id in self.new_tasks or fields_of(task) != self.base[task_id][0]:
                db.tasks[task_id] = clone(task)
                db.versions[task_id] = db.versions.get(task_id, 0) + 1
                self.base[task_id] = (copy.deepcopy(fields_of(task)), db.versions[task_id])
            elif task_id not in db.versions:  # deleted by someone else meanwhile: no longer tracked
                self.tasks.pop(task_id, None)
                self.base.pop(task_id, None)
        for execution_id in self.new_executions | set(self.exec_base):
            execution = self.executions[execution_id]
            if execution_id in self.new_executions or fields_of(execution) != self.exec_base[execution_id]:
                db.executions[execution_id] = clone(execution)
                self._count_ending(execution)
            self.exec_base[execution_id] = copy.deepcopy(fields_of(execution))
        for line in self.new_logs:
            db.logs[(line.task_id, line.execution_number, line.sequence)] = line
        for result in self.new_results:
            db.results[result.task_id] = clone(result)
        for op in self.job_ops:
            op(db)
        for table, key in self.deleted_rows:
            db.delete_row(table, key)
            self.rows.pop((table, key), None)
            self.row_base.pop((table, key), None)
        for task_id in self.deleted:
            db.delete_task(task_id)
            self.tasks.pop(task_id, None)
            self.base.pop(task_id, None)

    def _count_ending(self, execution: TaskExecution) -> None:
        """As the SQL adapter's flush does: an execution that ends (or is stored ended) joins the roll-up."""
        before = self.exec_base.get(execution.id)
        was_running = before is None or before["status"] is ExecutionStatus.RUNNING
        if not (was_running and execution.status.is_terminal):
            return
        task = self.db.tasks[execution.task_id]
        key = UsageKey.of(task.project_id, task.owner_id, task.options.model, execution)
        self.db.usage[key] = self.db.usage.get(key, UsageTotals()) + UsageTotals.of(execution)

    def _end(self) -> None:
        for key in self.held:
            self.db.locks[key].release()
        self._reset()


class MemoryUnitOfWork:
    """`on_events_commit` is called after a commit that wrote events (it wakes the event relay)."""

    def __init__(self, session: MemorySession, on_events_commit: Callable[[], None] | None = None) -> None:
        self._session = session
        self._on_events_commit = on_events_commit

    async def commit(self) -> None:
        written = len(self._session.db.events)
        await self._session.commit()
        if len(self._session.db.events) > written and self._on_events_commit is not None:
            self._on_events_commit()

    async def rollback(self) -> None:
        await self._session.rollback()

    async def each_on_its_own(self) -> None:
        """One transaction all the same: what differs is a database's round trips."""

    def unavailable(self, error: BaseException) -> bool:
        return isinstance(error, Unreachable)
