"""trace context: the context of the work that asked for a queue job (W3C traceparent/tracestate and
the correlation id), stored with the job so the relay's message continues the submitter's trace

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: adding it rewrites nothing; jobs written before it carry no context.
    op.add_column("queue_jobs", sa.Column("context", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("queue_jobs") as batch:
        batch.drop_column("context")
