"""found or conflict: `agentry_found(written, expected, what)`, on PostgreSQL, returns `written` when it
is `expected` and otherwise raises a serialization failure (SQLSTATE 40001, which the unit of work reports as
ConcurrentUpdate).

A worker's start and ending write the task's row only at the version they read it at, in one statement
that counts what it wrote with this function: a stale version fails the statement itself, not a count
read back, so the statement can go out with its transaction's COMMIT (pipelined_begin.py), which it
then aborts. SQLite reads the row count back as before.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION agentry_found(written bigint, expected bigint, what text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        BEGIN
            IF written IS DISTINCT FROM expected THEN
                RAISE EXCEPTION 'the % changed since it was read', what USING ERRCODE = 'serialization_failure';
            END IF;
            RETURN written;
        END
        $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS agentry_found(bigint, bigint, text)")
