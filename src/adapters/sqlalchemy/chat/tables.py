"""The chat's tables: sessions, their turns (each answered by a task, linked by id), the visitors of
projects' public chats (each the owner of its sessions, by id), and what each project's public chat spent
each day (kept apart from the visitors, so it outlives them)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from agentry.adapters.sqlalchemy.metadata import metadata, portable_enum
from agentry.adapters.sqlalchemy.types import PortableJSON, UTCDateTime
from agentry.domain.chat.session import TurnStatus

chat_sessions = Table(
    "chat_sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, nullable=False),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("archived", Boolean, nullable=False),
    Column("turn_count", Integer, nullable=False),
    Column("current_turn_id", Uuid),
    Column("resume_task_id", Uuid),  # no foreign key: a task deleted by hand only starts the talk afresh
    Column("public", Boolean, nullable=False, default=False),  # a visitor's, in a project's public chat
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_chat_sessions_owner_updated", "owner_id", "updated_at", "id"),
)

chat_turns = Table(
    "chat_turns",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("session_id", Uuid, ForeignKey("chat_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("message", Text, nullable=False),
    Column("options", PortableJSON, nullable=False),
    Column("status", portable_enum(TurnStatus, "chat_turn_status"), nullable=False),
    Column("task_id", Uuid, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Column("error_code", String(64)),
    Column("error_message", Text),
    Column("public", Boolean, nullable=False, default=False),  # a visitor's, in a project's public chat
    UniqueConstraint("session_id", "number", name="uq_chat_turns_session_id_number"),
)

chat_visitors = Table(
    "chat_visitors",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_chat_visitors_expires_at", "expires_at"),
    Index("ix_chat_visitors_project_id", "project_id"),
)

# The day's total is one row: the daily cost cap reads it, a public turn's end adds to it.
public_chat_spend = Table(
    "public_chat_spend",
    metadata,
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),  # UTC, the day the turns ended
    Column("cost_usd", Float, nullable=False),
    PrimaryKeyConstraint("project_id", "day"),
)
