"""publication citations: a publication drafted by an agent task names the task (one publication per
task) and keeps the citations of its body (JSON, `[]` for the others); `publication_drafts` keeps what
each drafting task was given: the draft's title, author and entities, and the numbered sources of its
prompt, with the publication made of its answer once there is one.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        batch.add_column(sa.Column("task_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("citations", JSON, nullable=False, server_default=sa.text("'[]'")))
        batch.create_unique_constraint("uq_publications_task_id", ["task_id"])
    op.create_table(
        "publication_drafts",
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("entity_ids", JSON, nullable=False),
        sa.Column("sources", JSON, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("publication_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name="fk_publication_drafts_task_id_tasks", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_publication_drafts_project_id_projects", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", name="pk_publication_drafts"),
    )
    op.create_index("ix_publication_drafts_project_id", "publication_drafts", ["project_id"])


def downgrade() -> None:
    op.drop_index("ix_publication_drafts_project_id", table_name="publication_drafts")
    op.drop_table("publication_drafts")
    with op.batch_alter_table("publications") as batch:
        batch.drop_constraint("uq_publications_task_id", type_="unique")
        batch.drop_column("citations")
        batch.drop_column("task_id")
