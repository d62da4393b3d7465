"""Bodies of the knowledge graph endpoints. An entity shows each value people set over the value extraction
found; `extracted` holds what extraction found and `overridden` names the fields people set."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from agentry.application.knowledge.curate import MERGE_MAX
from agentry.application.knowledge.queries import Path, Subgraph
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import (
    ALIASES_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    TYPE_MAX,
    ExtractorKind,
    FactStatus,
    Mention,
)

Name = Annotated[str, Meta(min_length=1, max_length=NAME_MAX)]
TypeName = Annotated[str, Meta(min_length=1, max_length=TYPE_MAX)]
Aliases = Annotated[list[Annotated[str, Meta(max_length=NAME_MAX)]], Meta(max_length=ALIASES_MAX)]
Description = Annotated[str, Meta(max_length=DESCRIPTION_MAX)]
Status = Literal["graph", "candidate"]
Offset = Annotated[int, Meta(ge=0)]


class MentionRef(Struct, kw_only=True, forbid_unknown_fields=True):
    """`text[start:end]` of the chunk `chunk_id` of the document `document_id`."""

    document_id: UUID
    chunk_id: UUID
    start: Offset
    end: Offset

    def to_domain(self) -> Mention:
        return Mention(self.document_id, self.chunk_id, self.start, self.end)


class MentionBody(Struct, kw_only=True):
    """`text[start:end]` of the chunk `chunk_id` of the document `document_id`, and who read it there."""

    document_id: UUID
    chunk_id: UUID
    start: Offset
    end: Offset
    extractor: Annotated[
        ExtractorKind,
        Meta(
            description="`offline`: the offline rules; `anthropic`: a model through the Anthropic API; "
            "`human`: a person gave it"
        ),
    ]

    @classmethod
    def from_domain(cls, mention: Mention) -> MentionBody:
        return cls(
            document_id=mention.document_id,
            chunk_id=mention.chunk_id,
            start=mention.start,
            end=mention.end,
            extractor=mention.extractor,
        )


class EntityCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    type: TypeName
    aliases: Aliases = []
    description: Description = ""
    properties: dict[str, Any] = {}

    def to_domain(self) -> EntityEdit:
        return EntityEdit(self.name, self.type, self.aliases, self.description, self.properties)


class EntityUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    """Each field given becomes a correction kept over what extraction finds."""

    name: Name | UnsetType = UNSET
    type: TypeName | UnsetType = UNSET
    aliases: Aliases | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    properties: dict[str, Any] | UnsetType = UNSET
    status: Status | UnsetType = UNSET  # graph confirms a candidate; candidate takes a fact out of the graph

    def to_domain(self) -> EntityEdit:
        def given(value: Any) -> Any:
            return None if value is UNSET else value

        status = given(self.status)
        return EntityEdit(
            name=given(self.name),
            type=given(self.type),
            aliases=given(self.aliases),
            description=given(self.description),
            properties=given(self.properties),
            status=None if status is None else FactStatus(status),
        )


class ExtractedBody(Struct, kw_only=True):
    name: str
    type: str
    aliases: list[str]
    description: str
    properties: dict[str, Any]
    status: str


class EntityBody(Struct, kw_only=True):
    id: UUID
    project_id: UUID
    name: str
    type: str
    aliases: list[str]
    description: str
    properties: dict[str, Any]
    confidence: float
    status: str
    sources: list[MentionBody]
    overridden: list[str]
    extracted: ExtractedBody
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, entity: Entity) -> EntityBody:
        return cls(
            id=entity.id,
            project_id=entity.project_id,
            name=entity.name,
            type=entity.type,
            aliases=list(entity.aliases),
            description=entity.description,
            properties=dict(entity.properties),
            confidence=entity.confidence,
            status=entity.status.value,
            sources=[MentionBody.from_domain(m) for m in entity.sources],
            overridden=entity.overrides.set_fields(),
            extracted=ExtractedBody(
                name=entity.extracted_name,
                type=entity.extracted_type,
                aliases=list(entity.extracted_aliases),
                description=entity.extracted_description,
                properties=dict(entity.extracted_properties),
                status=entity.extracted_status.value,
            ),
            created_at=entity.created_at,
            updated_at=entity.updated_at,
        )


class EntityPageBody(Struct, kw_only=True):
    entities: list[EntityBody]
    next_cursor: str | None


class MergeBody(Struct, kw_only=True, forbid_unknown_fields=True):
    others: Annotated[list[UUID], Meta(min_length=1, max_length=MERGE_MAX)]


class SplitBody(Struct, kw_only=True, forbid_unknown_fields=True):
    """The new entity's name and type, and which of the entity's aliases and mentions move to it."""

    name: Name
    type: TypeName
    aliases: Aliases = []
    sources: Annotated[list[MentionRef], Meta(max_length=1_000)] = []


class SplitResultBody(Struct, kw_only=True):
    entity: EntityBody
    split_off: EntityBody


class RelationshipCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    source_id: UUID
    target_id: UUID
    type: TypeName


class RelationshipUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    type: TypeName | UnsetType = UNSET
    status: Status | UnsetType = UNSET


class RelationshipBody(Struct, kw_only=True):
    id: UUID
    project_id: UUID
    source_id: UUID
    target_id: UUID
    type: str
    confidence: float
    status: str
    sources: list[MentionBody]
    overridden: list[str]
    extracted_type: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, relationship: Relationship) -> RelationshipBody:
        overrides = relationship.overrides
        return cls(
            id=relationship.id,
            project_id=relationship.project_id,
            source_id=relationship.source_id,
            target_id=relationship.target_id,
            type=relationship.type,
            confidence=relationship.confidence,
            status=relationship.status.value,
            sources=[MentionBody.from_domain(m) for m in relationship.sources],
            overridden=[name for name in ("type", "status") if getattr(overrides, name) is not None],
            extracted_type=relationship.extracted_type,
            created_at=relationship.created_at,
            updated_at=relationship.updated_at,
        )


class RelationshipPageBody(Struct, kw_only=True):
    relationships: list[RelationshipBody]
    next_cursor: str | None


class SubgraphBody(Struct, kw_only=True):
    entities: list[EntityBody]
    relationships: list[RelationshipBody]
    truncated: bool

    @classmethod
    def from_domain(cls, subgraph: Subgraph) -> SubgraphBody:
        return cls(
            entities=[EntityBody.from_domain(e) for e in subgraph.entities],
            relationships=[RelationshipBody.from_domain(r) for r in subgraph.relationships],
            truncated=subgraph.truncated,
        )


class PathBody(Struct, kw_only=True):
    """`relationships[i]` joins `entities[i]` and `entities[i + 1]`; none found: both empty."""

    found: bool
    entities: list[EntityBody]
    relationships: list[RelationshipBody]

    @classmethod
    def from_domain(cls, path: Path) -> PathBody:
        return cls(
            found=path.found,
            entities=[EntityBody.from_domain(e) for e in path.entities],
            relationships=[RelationshipBody.from_domain(r) for r in path.relationships],
        )
