"""publication lookups: one publicly publishing project a slug, and trigram indexes for the text search.

The public read API addresses a project by its slug alone, but slugs are unique per owner only: a
partial unique index now allows one project a slug among those whose settings have
`public_publications` true. Where several already do, the oldest (the one served until now) keeps it
and the others are switched off, each named in a warning.

On PostgreSQL, a pg_trgm GIN index on the publications' `title || ' ' || body` serves the text filter's
`ILIKE '%word%'` on that expression (a word has no space, so the same results as testing the title and
the body apart); SQLite keeps scanning. One index on the expression rather than one per column: its
estimates let the planner choose it over the project's index (with two, it scanned the project).
Without `fastupdate`: a pending list of new entries is read whole by every search until a vacuum, and
its estimated cost made the planner scan the table instead (130 ms at 2,000 publications, not 1 ms).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLIC_POSTGRESQL = "(settings ->> 'public_publications') = 'true'"
PUBLIC_SQLITE = "json_extract(settings, '$.public_publications') = 1"
SWITCH_OFF_POSTGRESQL = "jsonb_set(settings, '{public_publications}', 'false')"
SWITCH_OFF_SQLITE = "json_set(settings, '$.public_publications', json('false'))"
TRIGRAMS = "ix_publications_text_trgm"


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    _keep_the_oldest_public(postgresql)
    op.create_index(
        "uq_projects_public_slug",
        "projects",
        ["slug"],
        unique=True,
        postgresql_where=sa.text(PUBLIC_POSTGRESQL),
        sqlite_where=sa.text(PUBLIC_SQLITE),
    )
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            f"CREATE INDEX {TRIGRAMS} ON publications USING gin ((title || ' ' || body) gin_trgm_ops) "
            "WITH (fastupdate = off)"
        )


def _keep_the_oldest_public(postgresql: bool) -> None:
    bind = op.get_bind()
    public = PUBLIC_POSTGRESQL if postgresql else PUBLIC_SQLITE
    rows = bind.execute(sa.text(f"SELECT id, slug FROM projects WHERE {public} ORDER BY slug, created_at, id")).all()
    seen: set[str] = set()
    switch_off = SWITCH_OFF_POSTGRESQL if postgresql else SWITCH_OFF_SQLITE
    for project_id, slug in rows:
        if slug not in seen:
            seen.add(slug)
            continue
        logging.getLogger("alembic").warning(
            "project %s no longer publishes publicly: an older project publishes under its slug %r", project_id, slug
        )
        bind.execute(sa.text(f"UPDATE projects SET settings = {switch_off} WHERE id = :id"), {"id": project_id})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(TRIGRAMS, table_name="publications")
    op.drop_index("uq_projects_public_slug", table_name="projects")
