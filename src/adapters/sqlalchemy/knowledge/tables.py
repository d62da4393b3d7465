"""The knowledge graph's tables: entities and relationships of a project, each row holding what
extraction found, what people overrode, and the columns the queries filter on (status, search terms);
and the log of who made which correction."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, String, Table, Text, Uuid, func, literal_column

from agentry.adapters.sqlalchemy.knowledge.types import (
    AliasesJSON,
    EntityOverridesJSON,
    MentionsJSON,
    RelationshipOverridesJSON,
)
from agentry.adapters.sqlalchemy.metadata import POSTGRESQL_ONLY, metadata, portable_enum
from agentry.adapters.sqlalchemy.types import PortableJSON, UTCDateTime
from agentry.domain.knowledge.edits import EditAction, FactKind
from agentry.domain.knowledge.values import FactStatus

kg_entities = Table(
    "kg_entities",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("extracted_name", String(300), nullable=False),
    Column("extracted_type", String(100), nullable=False),
    Column("extracted_aliases", AliasesJSON, nullable=False),
    Column("extracted_description", Text, nullable=False),
    Column("extracted_properties", PortableJSON, nullable=False),
    Column("extracted_status", portable_enum(FactStatus, "kg_entity_extracted_status"), nullable=False),
    Column("overrides", EntityOverridesJSON, nullable=False),
    Column("suppressed", Boolean, nullable=False),
    Column("status", portable_enum(FactStatus, "kg_entity_status"), nullable=False),
    Column("name", String(300), nullable=False),
    Column("type", String(100), nullable=False),
    Column("terms", Text, nullable=False),  # values.search_terms of the name and aliases shown
    Column("confidence", Float, nullable=False),
    Column("sources", MentionsJSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_kg_entities_project_id_created_at", "project_id", "created_at"),
    Index("ix_kg_entities_project_id_type", "project_id", "type"),
)

kg_relationships = Table(
    "kg_relationships",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("source_id", Uuid, ForeignKey("kg_entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("target_id", Uuid, ForeignKey("kg_entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("extracted_type", String(100), nullable=False),
    Column("extracted_status", portable_enum(FactStatus, "kg_relationship_extracted_status"), nullable=False),
    Column("overrides", RelationshipOverridesJSON, nullable=False),
    Column("suppressed", Boolean, nullable=False),
    Column("status", portable_enum(FactStatus, "kg_relationship_status"), nullable=False),
    Column("type", String(100), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("sources", MentionsJSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_kg_relationships_project_id_created_at", "project_id", "created_at"),
)

# PostgreSQL only (SQLite scans the project's facts, as before): the lookups the ingestion's link step and
# a document's deletion make. A GIN index over each entity's names (its `terms`, split into lines) finds
# the entities named by any of a list of names (`&&`); a GIN index (jsonb_path_ops) over the mentions finds
# the facts with a mention of a document (`sources @> '[["<document id>"]]'`: a mention is a JSON array
# whose first element is its document's id).
TERM_LIST = func.string_to_array(kg_entities.c.terms, literal_column("E'\\n'"))
Index("ix_kg_entities_term_list", TERM_LIST, postgresql_using="gin", info={POSTGRESQL_ONLY: True}).ddl_if(
    dialect="postgresql"
)
for _facts in (kg_entities, kg_relationships):
    Index(
        f"ix_{_facts.name}_sources",
        _facts.c.sources,
        postgresql_using="gin",
        postgresql_ops={"sources": "jsonb_path_ops"},
        info={POSTGRESQL_ONLY: True},
    ).ddl_if(dialect="postgresql")

kg_edits = Table(
    "kg_edits",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("editor_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("fact", portable_enum(FactKind, "kg_edit_fact"), nullable=False),
    Column("fact_id", Uuid, nullable=False),  # no foreign key: a merged entity is removed, its edits stay
    Column("action", portable_enum(EditAction, "kg_edit_action"), nullable=False),
    Column("changes", PortableJSON, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_kg_edits_editor_id_at", "editor_id", "at"),
    Index("ix_kg_edits_project_id", "project_id"),
)
