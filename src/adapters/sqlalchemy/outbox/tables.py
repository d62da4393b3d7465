"""The outbox's tables: queue_jobs, the execution orders waiting to be dispatched (each refers to its task by
name), and domain_events, the events aggregates recorded, each kept until every subscriber has it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from agentry.adapters.sqlalchemy.metadata import metadata
from agentry.adapters.sqlalchemy.types import PortableJSON, UTCDateTime

queue_jobs = Table(
    "queue_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("task_id", Uuid, ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
    Column("execution_number", Integer, nullable=False),
    Column("priority_rank", SmallInteger, nullable=False),
    Column("available_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("leased_until", UTCDateTime),
    Column("dispatched_at", UTCDateTime),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("context", PortableJSON),  # the asking work's trace context and correlation id (WorkContext.carrier)
    UniqueConstraint("task_id", "execution_number", name="uq_queue_jobs_task_id_execution_number"),
    Index(
        "ix_queue_jobs_undispatched",
        "available_at",
        postgresql_where=text("dispatched_at IS NULL"),
        sqlite_where=text("dispatched_at IS NULL"),
    ),
)

# Each event is inserted once and marked once: two index entries each (the key and the to-do list);
# the rare event that failed to go out is also indexed by aggregate, for the ones behind it to wait on.
_UNDELIVERED = text("delivered_at IS NULL")
_FAILED = text("delivered_at IS NULL AND attempts > 0")

domain_events = Table(
    "domain_events",
    metadata,
    # BIGSERIAL on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid, which counts up by itself.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", Uuid, nullable=False),
    Column("type", String(64), nullable=False),
    Column("aggregate_type", String(32), nullable=False),
    Column("aggregate_id", Uuid, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("data", PortableJSON, nullable=False),
    Column("available_at", UTCDateTime, nullable=False),  # not offered before (a failed delivery backs off)
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("delivered_to", PortableJSON),  # the subscribers that have it, while some do not yet
    Column("delivered_at", UTCDateTime),
    Column("last_error", Text),
    Index("ix_domain_events_undelivered", "position", postgresql_where=_UNDELIVERED, sqlite_where=_UNDELIVERED),
    Index("ix_domain_events_failed", "aggregate_id", "position", postgresql_where=_FAILED, sqlite_where=_FAILED),
)
