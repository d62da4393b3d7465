"""Projects' tables: projects and their memberships (a member refers to identity's users by name)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, PrimaryKeyConstraint, String, Table, Uuid

from agentry.adapters.sqlalchemy.metadata import metadata, portable_enum
from agentry.adapters.sqlalchemy.types import ProjectSettingsDocument, UTCDateTime
from agentry.domain.roles import ProjectRole

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
    Column("role", portable_enum(ProjectRole, "project_role"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("project_id", "user_id"),
    Index("ix_memberships_user_id", "user_id"),
)
