"""The outbox's table: queue_jobs, the execution orders waiting to be dispatched (each refers to its task by name)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, SmallInteger, Table, Text, UniqueConstraint, Uuid, text

from agentry.adapters.sqlalchemy.metadata import metadata
from agentry.adapters.sqlalchemy.types import UTCDateTime

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
    UniqueConstraint("task_id", "execution_number", name="uq_queue_jobs_task_id_execution_number"),
    Index(
        "ix_queue_jobs_undispatched",
        "available_at",
        postgresql_where=text("dispatched_at IS NULL"),
        sqlite_where=text("dispatched_at IS NULL"),
    ),
)
