"""knowledge export: who authored what in the knowledge capability, and who read each mention

- documents.submitted_by and publications.author_id may be null and reference users (ON DELETE SET
  NULL): a deleted account's documents and publications in projects that stay name nobody. Rows that
  already name an account that is gone are set to null here, and so are the moves in a publication's
  history that such an account made.
- kg_edits: who made which correction to a knowledge graph (the account export shows it; it goes with
  the account, ON DELETE CASCADE, and with the project).
- Each mention (kg_entities.sources, kg_relationships.sources) records the kind of extractor that read
  it: a fifth element `offline`, `anthropic` or `human`. Existing mentions get the kind of the extractor
  that last read their document (its stored extraction names it), or `human` where no extraction is
  stored (a person gave it, or the document's extraction is gone); a person's mention of a document an
  extractor read too cannot be told apart and takes the extractor's kind.
- On PostgreSQL, GIN indexes for the ingestion link step's and a document deletion's lookups, which
  scanned every fact of the project (EXPLAIN: an index scan on the project, then the LIKE filter on each
  row): entities by any of a list of names (`string_to_array(terms, E'\n') && ARRAY[...]`) and entities and
  relationships by a document they mention (`sources @> '[["<document id>"]]'`, jsonb_path_ops). SQLite
  keeps scanning the project's facts (no multi-valued index there).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIME = sa.DateTime(timezone=True)
BATCH = 500
AUTHORED = (("documents", "submitted_by"), ("publications", "author_id"))
FACTS = ("kg_entities", "kg_relationships")
TERM_LIST = "ix_kg_entities_term_list"


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade() -> None:
    with _rebuilt_safely():
        for table, column in AUTHORED:
            with op.batch_alter_table(table) as batch:
                batch.alter_column(column, existing_type=sa.Uuid(), nullable=True)
            op.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} NOT IN (SELECT id FROM users)")
            with op.batch_alter_table(table) as batch:
                batch.create_foreign_key(f"fk_{table}_{column}_users", "users", [column], ["id"], ondelete="SET NULL")
            op.create_index(f"ix_{table}_{column}", table, [column])
    _forget_gone_movers()
    op.create_table(
        "kg_edits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("editor_id", sa.Uuid(), nullable=False),
        sa.Column("fact", _enum("kg_edit_fact", "entity", "relationship"), nullable=False),
        sa.Column("fact_id", sa.Uuid(), nullable=False),
        sa.Column("action", _enum("kg_edit_action", "created", "edited", "merged", "split", "deleted"), nullable=False),
        sa.Column("changes", JSON, nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_kg_edits_project_id_projects", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["editor_id"], ["users.id"], name="fk_kg_edits_editor_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_kg_edits"),
    )
    op.create_index("ix_kg_edits_editor_id_at", "kg_edits", ["editor_id", "at"])
    op.create_index("ix_kg_edits_project_id", "kg_edits", ["project_id"])
    kinds = _extractor_kinds()
    for table in FACTS:
        _rewrite_mentions(table, lambda m: [*m[:4], kinds.get(m[0], "human")])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {TERM_LIST} ON kg_entities USING gin (string_to_array(terms, E'\\n'))")
        for table in FACTS:
            op.execute(f"CREATE INDEX ix_{table}_sources ON {table} USING gin (sources jsonb_path_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in FACTS:
            op.drop_index(f"ix_{table}_sources", table_name=table)
        op.drop_index(TERM_LIST, table_name="kg_entities")
    for table in FACTS:
        _rewrite_mentions(table, lambda m: m[:4])
    op.drop_table("kg_edits")
    for table, column in reversed(AUTHORED):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.execute(f"DELETE FROM {table} WHERE {column} IS NULL")  # nobody to name: NOT NULL again
        with _rebuilt_safely(), op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_{column}_users", type_="foreignkey")
            batch.alter_column(column, existing_type=sa.Uuid(), nullable=False)


@contextmanager
def _rebuilt_safely() -> Iterator[None]:
    """On SQLite, batch mode rebuilds a table (copy, DROP TABLE, rename); with foreign keys on, that DROP
    would cascade to the documents' contents, chunks and jobs and the publications' engagement. So
    foreign keys are off around the rebuild (as in 0006)."""
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
    yield
    broken = op.get_bind().execute(sa.text("PRAGMA foreign_key_check")).all()
    if broken:
        raise RuntimeError(f"rebuilding left rows whose foreign keys point nowhere: {broken[:5]}")
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=ON")


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _forget_gone_movers() -> None:
    """The moves in publications' histories made by accounts that are gone name nobody."""
    bind = op.get_bind()
    accounts = sa.table("users", sa.column("id", sa.Uuid()))
    users = {str(user_id) for user_id in bind.execute(sa.select(accounts.c.id)).scalars()}
    table = sa.table("publications", sa.column("id", sa.Uuid()), sa.column("history", JSON))
    changed = []
    for publication_id, raw in bind.execute(sa.select(table.c.id, table.c.history)):
        history = _loaded(raw)
        kept = [{**t, "by": t["by"] if t["by"] in users else None} for t in history]
        if kept != history:
            changed.append((publication_id, kept))
    for publication_id, history in changed:
        bind.execute(table.update().where(table.c.id == publication_id).values(history=history))


def _extractor_kinds() -> dict[str, str]:
    """document id → the kind of the extractor whose extraction of it is stored."""
    table = sa.table("document_contents", sa.column("document_id", sa.Uuid()), sa.column("extraction", JSON))
    kinds = {}
    query = sa.select(table.c.document_id, table.c.extraction).where(table.c.extraction.is_not(None))
    for document_id, raw in op.get_bind().execute(query):
        name = str(_loaded(raw).get("extractor", ""))
        kind = name.replace(":", "-").split("-", 1)[0]
        kinds[str(document_id)] = kind if kind in ("offline", "anthropic") else "human"
    return kinds


def _rewrite_mentions(name: str, rewrite: Any) -> None:
    bind = op.get_bind()
    table = sa.table(name, sa.column("id", sa.Uuid()), sa.column("sources", JSON))
    after = None
    while True:
        query = sa.select(table.c.id, table.c.sources).order_by(table.c.id).limit(BATCH)
        if after is not None:
            query = query.where(table.c.id > after)
        rows = bind.execute(query).all()
        for fact_id, raw in rows:
            sources = [rewrite(m) for m in _loaded(raw)]
            bind.execute(table.update().where(table.c.id == fact_id).values(sources=sources))
        if len(rows) < BATCH:
            return
        after = rows[-1][0]
