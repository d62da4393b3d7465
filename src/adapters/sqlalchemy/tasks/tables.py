"""Tasks' tables: tasks (with an index for every list filter), their tags, executions, logs and results."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from agentry.adapters.sqlalchemy.metadata import POSTGRESQL_ONLY, metadata, portable_enum
from agentry.adapters.sqlalchemy.types import OptionsDocument, PortableJSON, PriorityRank, TagList, UTCDateTime
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind, LogLevel
from agentry.domain.tasks.status import TaskStatus

_FILTERED = ["status", "priority", "owner_id", "title", "tags"]

tasks = Table(
    "tasks",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, nullable=False),  # no foreign key: a deleted user's tasks stay in shared projects
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("prompt", Text, nullable=False),
    Column("priority", PriorityRank, nullable=False),
    Column("tags", TagList, nullable=False),
    Column("options", OptionsDocument, nullable=False),
    Column("max_attempts", SmallInteger, nullable=False),
    Column("status", portable_enum(TaskStatus, "task_status"), nullable=False),
    Column("scheduled_at", UTCDateTime),
    Column("attempts", Integer, nullable=False),
    Column("execution_count", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("queued_at", UTCDateTime),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Column("error_code", String(64)),
    Column("error_message", Text),
    Column("idempotency_key", String(255)),
    Column("request_fingerprint", String(64)),
    # A follow-up's earlier task: no foreign key, the follow-up keeps its session and workspace without it.
    Column("follows_task_id", Uuid),
    Column("resume_session_id", String(200)),
    Column("workspace_id", Uuid),
    Column("version", Integer, nullable=False),
    UniqueConstraint("owner_id", "idempotency_key", name="uq_tasks_owner_idempotency_key"),
    Index("ix_tasks_created_at_id", "created_at", "id"),
    Index("ix_tasks_owner_created_at_id", "owner_id", "created_at", "id"),
    # A page over a few projects is read one project at a time (task_repository.py): these carry what the
    # list filters on, so the filtering happens in the index (migration 0016).
    Index("ix_tasks_project_created_at_id", "project_id", "created_at", "id", postgresql_include=_FILTERED),
    Index(
        "ix_tasks_project_priority_created_at_id",
        "project_id",
        "priority",
        "created_at",
        "id",
        postgresql_include=_FILTERED,
    ),
    Index("ix_tasks_status_created_at", "status", "created_at"),
    Index("ix_tasks_priority_created_at_id", "priority", "created_at", "id"),
    Index(  # a user's waiting work, counted against the per-user quotas
        "ix_tasks_waiting_owner_id",
        "owner_id",
        postgresql_where=text("status IN ('pending', 'queued')"),
        sqlite_where=text("status IN ('pending', 'queued')"),
    ),
    Index(  # each project's waiting work: the backlog in the task stats, counted in the index
        "ix_tasks_waiting_project_id",
        "project_id",
        postgresql_where=text("status IN ('pending', 'queued')"),
        sqlite_where=text("status IN ('pending', 'queued')"),
        postgresql_include=["status", "queued_at"],
    ),
    Index(  # the keys housekeeping lets go of once they expire
        "ix_tasks_keyed_created_at",
        "created_at",
        postgresql_where=text("idempotency_key IS NOT NULL"),
        sqlite_where=text("idempotency_key IS NOT NULL"),
    ),
    Index(
        "ix_tasks_title_trgm",
        "title",
        postgresql_using="gin",
        postgresql_ops={"title": "gin_trgm_ops"},
    ),
)

# The list's tag filter on PostgreSQL tests the task's own list (`tags @> '["tag"]'`); this answers a rare tag
# (migration 0022). SQLite looks in task_tags.
Index(
    "ix_tasks_tags",
    tasks.c.tags,
    postgresql_using="gin",
    postgresql_ops={"tags": "jsonb_path_ops"},
    info={POSTGRESQL_ONLY: True},
).ddl_if(dialect="postgresql")

task_tags = Table(
    "task_tags",
    metadata,
    Column("task_id", Uuid, ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
    Column("tag", String(50), nullable=False),
    PrimaryKeyConstraint("task_id", "tag"),
    Index("ix_task_tags_tag_task_id", "tag", "task_id"),
)

task_executions = Table(
    "task_executions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("task_id", Uuid, ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("worker_id", String(200), nullable=False),
    Column("status", portable_enum(ExecutionStatus, "execution_status"), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("duration_s", Float),
    Column("error_code", String(64)),
    Column("error_message", Text),
    Column("input_tokens", BigInteger, nullable=False),
    Column("output_tokens", BigInteger, nullable=False),
    Column("cost_usd", Float, nullable=False),
    Column("agent_session_id", String(200)),
    Column("heartbeat_at", UTCDateTime),
    UniqueConstraint("task_id", "number", name="uq_task_executions_task_id_number"),
    Index("ix_task_executions_duration_s", "duration_s"),
    Index("ix_task_executions_task_id_duration_s", "task_id", "duration_s"),  # the stats of the tasks in scope
    # The recovery's look-up of running executions whose worker went silent: only running rows.
    Index(
        "ix_task_executions_running_heartbeat_at",
        "heartbeat_at",
        postgresql_where=text("status = 'running'"),
        sqlite_where=text("status = 'running'"),
    ),
)

execution_logs = Table(
    "execution_logs",
    metadata,
    Column("task_id", Uuid, ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
    Column("execution_number", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("execution_id", Uuid, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("level", portable_enum(LogLevel, "log_level"), nullable=False),
    Column("kind", portable_enum(LogKind, "log_kind"), nullable=False),
    Column("message", Text, nullable=False),
    Column("data", PortableJSON, nullable=False),
    PrimaryKeyConstraint("task_id", "execution_number", "sequence"),
)

task_results = Table(
    "task_results",
    metadata,
    Column("task_id", Uuid, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("execution_id", Uuid, nullable=False),
    Column("summary", Text, nullable=False),
    Column("output", Text, nullable=False),
    Column("artifacts", PortableJSON, nullable=False),
    Column("input_tokens", BigInteger, nullable=False),
    Column("output_tokens", BigInteger, nullable=False),
    Column("cost_usd", Float, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
