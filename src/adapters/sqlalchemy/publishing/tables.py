"""The publishing tables: publications (categories, tags, linked entity ids, the history and the
citations as JSON; the agent task that drafted one, if one did), engagement counts per publication, day
and kind, the visitor digests of the current day and the day's secret salt, and what each drafting task
was given (its numbered sources as JSON). On PostgreSQL, a trigram index on the title and body serves
the text filter."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Uuid,
    literal_column,
    text,
)

from agentry.adapters.sqlalchemy.metadata import POSTGRESQL_ONLY, metadata, portable_enum
from agentry.adapters.sqlalchemy.publishing.types import CitationList, EntityIdList, HistoryList, LabelList
from agentry.adapters.sqlalchemy.types import UTCDateTime
from agentry.domain.publishing.publication import PublicationStatus

publications = Table(
    "publications",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True),  # None: account gone
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("categories", LabelList, nullable=False),
    Column("tags", LabelList, nullable=False),
    Column("entity_ids", EntityIdList, nullable=False),  # the knowledge graph's entities (no foreign key)
    Column("status", portable_enum(PublicationStatus, "publication_status"), nullable=False),
    Column("history", HistoryList, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("published_at", UTCDateTime),
    Column("task_id", Uuid, unique=True),  # the agent task that drafted it: one publication per task
    Column("citations", CitationList, nullable=False, server_default=text("'[]'")),
    Index("ix_publications_project_id_created_at", "project_id", "created_at"),
    Index("ix_publications_project_id_published_at", "project_id", "published_at"),
)

# What the text filter searches on PostgreSQL: the title and the body as one text, indexed by trigrams
# (pg_trgm GIN), which serve `ILIKE '%word%'`. A word has no space, so it is in this text exactly when it
# is in the title or in the body: the index finds what scanning both columns found.
SEARCHED_TEXT = publications.c.title + literal_column("' '") + publications.c.body
Index(
    "ix_publications_text_trgm",
    SEARCHED_TEXT.label("searched_text"),
    postgresql_using="gin",
    postgresql_ops={"searched_text": "gin_trgm_ops"},
    postgresql_with={"fastupdate": "off"},  # no pending list: it slowed searches and misled the planner
    info={POSTGRESQL_ONLY: True},
).ddl_if(dialect="postgresql")

publication_engagement = Table(
    "publication_engagement",
    metadata,
    Column("publication_id", Uuid, ForeignKey("publications.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("kind", String(20), primary_key=True),  # view, or a reaction kind
    Column("count", Integer, nullable=False),
)

publication_visitors = Table(
    "publication_visitors",
    metadata,
    Column("publication_id", Uuid, ForeignKey("publications.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True, index=True),
    Column("kind", String(20), primary_key=True),
    Column("digest", LargeBinary(32), primary_key=True),  # HMAC-SHA256 under the day's salt; nothing else
)

engagement_salts = Table(
    "engagement_salts",
    metadata,
    Column("day", Date, primary_key=True),
    Column("salt", LargeBinary(32), nullable=False),
)

publication_drafts = Table(
    "publication_drafts",
    metadata,
    Column("task_id", Uuid, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("author_id", Uuid, nullable=False),
    Column("title", String(300), nullable=False),
    Column("entity_ids", EntityIdList, nullable=False),
    Column("sources", CitationList, nullable=False),  # the numbered sources the task's prompt listed
    Column("created_at", UTCDateTime, nullable=False),
    Column("publication_id", Uuid),  # the draft made of the task's answer (no foreign key: it may be deleted)
)
