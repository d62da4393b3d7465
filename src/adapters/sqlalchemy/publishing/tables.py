"""The publishing tables: publications (categories, tags, linked entity ids and the history as JSON),
engagement counts per publication, day and kind, the visitor digests of the current day and the
day's secret salt."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, LargeBinary, String, Table, Text, Uuid

from agentry.adapters.sqlalchemy.metadata import metadata, portable_enum
from agentry.adapters.sqlalchemy.publishing.types import EntityIdList, HistoryList, LabelList
from agentry.adapters.sqlalchemy.types import UTCDateTime
from agentry.domain.publishing.publication import PublicationStatus

publications = Table(
    "publications",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Uuid, nullable=False),
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
    Index("ix_publications_project_id_created_at", "project_id", "created_at"),
    Index("ix_publications_project_id_published_at", "project_id", "published_at"),
)

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
