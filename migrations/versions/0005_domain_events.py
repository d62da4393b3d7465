"""domain events: what aggregates record in their transitions, stored in the outbox with the change
and handed to every subscriber by the relay; an index for expiring Idempotency-Keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNDELIVERED = sa.text("delivered_at IS NULL")
FAILED = sa.text("delivered_at IS NULL AND attempts > 0")
KEYED = sa.text("idempotency_key IS NOT NULL")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "domain_events",
        sa.Column("position", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("aggregate_type", sa.String(length=32), nullable=False),
        sa.Column("aggregate_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("delivered_to", JSON, nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("position", name="pk_domain_events"),
    )
    op.create_index(
        "ix_domain_events_undelivered",
        "domain_events",
        ["position"],
        postgresql_where=UNDELIVERED,
        sqlite_where=UNDELIVERED,
    )
    op.create_index(
        "ix_domain_events_failed",
        "domain_events",
        ["aggregate_id", "position"],
        postgresql_where=FAILED,
        sqlite_where=FAILED,
    )
    op.create_index("ix_tasks_keyed_created_at", "tasks", ["created_at"], postgresql_where=KEYED, sqlite_where=KEYED)


def downgrade() -> None:
    op.drop_index("ix_tasks_keyed_created_at", table_name="tasks")
    op.drop_index("ix_domain_events_failed", table_name="domain_events")
    op.drop_index("ix_domain_events_undelivered", table_name="domain_events")
    op.drop_table("domain_events")
