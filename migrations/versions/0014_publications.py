"""publications: a project's publications, their engagement counts per day and kind, the day's visitor
digests and the day's secret salt

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("categories", JSON, nullable=False),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("entity_ids", JSON, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "review",
                "published",
                "archived",
                name="publication_status",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
        ),
        sa.Column("history", JSON, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("published_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_publications_project_id_projects", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_publications"),
    )
    op.create_index("ix_publications_project_id_created_at", "publications", ["project_id", "created_at"])
    op.create_index("ix_publications_project_id_published_at", "publications", ["project_id", "published_at"])
    op.create_table(
        "publication_engagement",
        sa.Column("publication_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name="fk_publication_engagement_publication_id_publications",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("publication_id", "day", "kind", name="pk_publication_engagement"),
    )
    op.create_table(
        "publication_visitors",
        sa.Column("publication_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("digest", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name="fk_publication_visitors_publication_id_publications",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("publication_id", "day", "kind", "digest", name="pk_publication_visitors"),
    )
    op.create_index("ix_publication_visitors_day", "publication_visitors", ["day"])
    op.create_table(
        "engagement_salts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_engagement_salts"),
    )


def downgrade() -> None:
    op.drop_table("engagement_salts")
    op.drop_table("publication_visitors")
    op.drop_table("publication_engagement")
    op.drop_table("publications")
