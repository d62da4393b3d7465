"""document extractions: the extract step's checked facts, kept with the document's text for the link step.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("document_contents") as batch:
        batch.add_column(sa.Column("extraction", JSON))


def downgrade() -> None:
    with op.batch_alter_table("document_contents") as batch:
        batch.drop_column("extraction")
