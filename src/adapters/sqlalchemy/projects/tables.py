"""Projects' tables: projects, their memberships and pending invitations (a member, a project's owner
and an inviter refer to identity's users by name). A slug is unique per owner, and among the projects
that publish publicly; an invitation per project and email address."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    text,
)

from agentry.adapters.sqlalchemy.metadata import metadata, portable_enum
from agentry.adapters.sqlalchemy.types import ProjectSettingsDocument, UTCDateTime
from agentry.domain.roles import ProjectRole

PUBLISHES_PUBLICLY_POSTGRESQL = text("(settings ->> 'public_publications') = 'true'")
PUBLISHES_PUBLICLY_SQLITE = text("json_extract(settings, '$.public_publications') = 1")

projects = Table(
    "projects",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("slug", String(64), nullable=False),
    Column("settings", ProjectSettingsDocument, nullable=False),
    Column("personal", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("owner_id", Uuid, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    UniqueConstraint("owner_id", "slug"),
    # the public read API addresses a project by its slug alone: one publicly publishing project a slug
    Index(
        "uq_projects_public_slug",
        "slug",
        unique=True,
        postgresql_where=PUBLISHES_PUBLICLY_POSTGRESQL,
        sqlite_where=PUBLISHES_PUBLICLY_SQLITE,
    ),
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

invitations = Table(
    "invitations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("email", String(254), nullable=False),
    Column("role", portable_enum(ProjectRole, "project_role"), nullable=False),
    Column("invited_by", Uuid, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    UniqueConstraint("project_id", "email"),
    Index("ix_invitations_email", "email"),
)
