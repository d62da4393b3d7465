"""The schema: one set of tables for SQLite and PostgreSQL, with an index for every list filter."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from agentry.adapters.sqlalchemy.types import (
    OptionsDocument,
    PortableJSON,
    PriorityRank,
    ProjectSettingsDocument,
    TagList,
    UTCDateTime,
)
from agentry.domain.identity.sessions import RevokeReason
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind, LogLevel
from agentry.domain.tasks.task import TaskStatus

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", _enum(GlobalRole, "global_role"), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("password_changed_at", UTCDateTime),
)

projects = Table(
    "projects",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("slug", String(64), nullable=False, unique=True),
    Column("settings", ProjectSettingsDocument, nullable=False),
    Column("personal", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

memberships = Table(
    "memberships",
    metadata,
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("role", _enum(ProjectRole, "project_role"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("project_id", "user_id"),
    Index("ix_memberships_user_id", "user_id"),
)

login_sessions = Table(
    "login_sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("revoke_reason", _enum(RevokeReason, "revoke_reason")),
    Index("ix_login_sessions_user_id", "user_id"),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("session_id", Uuid, ForeignKey("login_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("spent_at", UTCDateTime),
    # Deleting a session or a user cascades here: without these, each cascade scans every token ever issued.
    Index("ix_refresh_tokens_session_id", "session_id"),
    Index("ix_refresh_tokens_user_id", "user_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Index("ix_api_tokens_user_id", "user_id"),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("algorithm", String(16), nullable=False),
    Column("private_key", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("retired_at", UTCDateTime),
)


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
    Column("status", _enum(TaskStatus, "task_status"), nullable=False),
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
    Index("ix_tasks_project_created_at_id", "project_id", "created_at", "id"),
    Index("ix_tasks_status_created_at", "status", "created_at"),
    Index("ix_tasks_priority_created_at_id", "priority", "created_at", "id"),
    Index(
        "ix_tasks_title_trgm",
        "title",
        postgresql_using="gin",
        postgresql_ops={"title": "gin_trgm_ops"},
    ),
)

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
    Column("status", _enum(ExecutionStatus, "execution_status"), nullable=False),
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
    Column("level", _enum(LogLevel, "log_level"), nullable=False),
    Column("kind", _enum(LogKind, "log_kind"), nullable=False),
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

_UNDELIVERED = text("delivered_at IS NULL")

domain_events = Table(
    "domain_events",
    metadata,
    # BIGSERIAL on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid, which counts up by itself.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", Uuid, nullable=False, unique=True),
    Column("type", String(64), nullable=False),
    Column("aggregate_type", String(32), nullable=False),
    Column("aggregate_id", Uuid, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("data", PortableJSON, nullable=False),
    Column("available_at", UTCDateTime, nullable=False),  # not offered before (a failed delivery backs off)
    Column("leased_until", UTCDateTime),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("delivered_to", PortableJSON),  # the subscribers that have it, while some do not yet
    Column("delivered_at", UTCDateTime),
    Column("last_error", Text),
    Index("ix_domain_events_undelivered", "position", postgresql_where=_UNDELIVERED, sqlite_where=_UNDELIVERED),
    Index(
        "ix_domain_events_aggregate_undelivered",
        "aggregate_id",
        "position",
        postgresql_where=_UNDELIVERED,
        sqlite_where=_UNDELIVERED,
    ),
    Index("ix_domain_events_delivered_at", "delivered_at"),
)
