"""public chat spend: what each project's public chat spent each day, kept apart from its visitors

The daily cost cap of a public chat summed the executions of the project's current visitors, so a
visitor cleaned up (or adopted by a user) took its spend with it. A turn now says whether a visitor
asked it (`chat_turns.public`), and a visitor's turn adds its cost to `public_chat_spend` (one row per
project and UTC day) as it ends. The turns of current visitors are marked, and what their ended
executions cost is carried over, by the day each ended.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DAY_POSTGRESQL = "(e.finished_at AT TIME ZONE 'UTC')::date"
DAY_SQLITE = "date(e.finished_at)"


def upgrade() -> None:
    with op.batch_alter_table("chat_turns") as batch:
        batch.add_column(sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "public_chat_spend",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_public_chat_spend_project_id_projects", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "day", name="pk_public_chat_spend"),
    )
    op.execute(
        "UPDATE chat_turns SET public = true WHERE session_id IN "
        "(SELECT s.id FROM chat_sessions s JOIN chat_visitors v ON v.id = s.owner_id)"
    )
    day = DAY_POSTGRESQL if op.get_bind().dialect.name == "postgresql" else DAY_SQLITE
    op.execute(
        f"INSERT INTO public_chat_spend (project_id, day, cost_usd) "
        f"SELECT v.project_id, {day}, SUM(e.cost_usd) FROM task_executions e "
        "JOIN tasks t ON t.id = e.task_id JOIN chat_visitors v ON v.id = t.owner_id AND v.project_id = t.project_id "
        f"WHERE e.finished_at IS NOT NULL GROUP BY v.project_id, {day} HAVING SUM(e.cost_usd) > 0"
    )


def downgrade() -> None:
    op.drop_table("public_chat_spend")
    with op.batch_alter_table("chat_turns") as batch:
        batch.drop_column("public")
