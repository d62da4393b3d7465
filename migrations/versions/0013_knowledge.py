"""knowledge: a project's entities and relationships, each with its extracted values, people's overrides
and mentions

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIME = sa.DateTime(timezone=True)


def _status(name: str) -> sa.Enum:
    return sa.Enum("graph", "candidate", name=name, native_enum=False, create_constraint=True, length=9)


def _facts(table: str) -> list[sa.Column[object]]:
    """The columns entities and relationships share."""
    kind = "entity" if table == "kg_entities" else "relationship"
    return [
        sa.Column("extracted_status", _status(f"kg_{kind}_extracted_status"), nullable=False),
        sa.Column("overrides", JSON, nullable=False),
        sa.Column("suppressed", sa.Boolean(), nullable=False),
        sa.Column("status", _status(f"kg_{kind}_status"), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("sources", JSON, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "kg_entities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("extracted_name", sa.String(length=300), nullable=False),
        sa.Column("extracted_type", sa.String(length=100), nullable=False),
        sa.Column("extracted_aliases", JSON, nullable=False),
        sa.Column("extracted_description", sa.Text(), nullable=False),
        sa.Column("extracted_properties", JSON, nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        *_facts("kg_entities"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_kg_entities_project_id_projects", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_kg_entities"),
    )
    op.create_index("ix_kg_entities_project_id_created_at", "kg_entities", ["project_id", "created_at"])
    op.create_index("ix_kg_entities_project_id_type", "kg_entities", ["project_id", "type"])
    op.create_table(
        "kg_relationships",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("extracted_type", sa.String(length=100), nullable=False),
        *_facts("kg_relationships"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_kg_relationships_project_id_projects", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["kg_entities.id"], name="fk_kg_relationships_source_id_kg_entities", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["kg_entities.id"], name="fk_kg_relationships_target_id_kg_entities", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_kg_relationships"),
    )
    op.create_index("ix_kg_relationships_source_id", "kg_relationships", ["source_id"])
    op.create_index("ix_kg_relationships_target_id", "kg_relationships", ["target_id"])
    op.create_index("ix_kg_relationships_project_id_created_at", "kg_relationships", ["project_id", "created_at"])


def downgrade() -> None:
    op.drop_table("kg_relationships")
    op.drop_table("kg_entities")
