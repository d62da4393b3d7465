"""The knowledge graph: a project's entities (a page, one, with its relationships and neighbours), the
shortest path between two, and the edits (create, update, delete, merge, split), through the use cases of
/api/v1/projects/{id}/entities, /relationships and /graph, as the same principal. Every field takes the
project's id, as REST's paths do; what the caller may not read does not exist for them (not_found), a
write they may not make is forbidden.

The relationships of a page of entities are read in one batch per page (the context's loader)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self
from uuid import UUID

import msgspec
import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from agentry.application.knowledge.curate import DeleteEntity, DeleteRelationship, MergeEntities, SplitEntity
from agentry.application.knowledge.edit import (
    CreateEntity,
    CreateRelationship,
    EditEntity,
    EditRelationship,
    NewRelationship,
)
from agentry.application.knowledge.ports.graph import EntityQuery
from agentry.application.knowledge.queries import Neighbours, ShortestPath, Subgraph, WalkFilter
from agentry.application.knowledge.read import GetEntity, ListEntities
from agentry.application.search.entities import EntityHit, SearchEntities
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import ExtractorKind, FactStatus
from agentry.entrypoints.graphql.context import context_of
from agentry.entrypoints.graphql.rest_bodies import body_fields
from agentry.entrypoints.http.kit.validators import refuse_nul
from agentry.entrypoints.http.knowledge.schemas import (
    EntityBody,
    EntityCreate,
    EntityUpdate,
    MentionBody,
    RelationshipBody,
    RelationshipCreate,
    RelationshipUpdate,
    SplitBody,
)

strawberry.enum(FactStatus)
strawberry.enum(ExtractorKind)


@strawberry.type(name="Mention")
class MentionType:
    document_id: UUID
    chunk_id: UUID
    start: int
    end: int
    extractor: ExtractorKind = strawberry.field(description="Who read it: offline rules, a model, or a person")

    @classmethod
    def of_body(cls, body: MentionBody) -> MentionType:
        return cls(**body_fields(body))


@strawberry.type(name="Relationship")
class RelationshipType:
    id: UUID
    project_id: UUID
    source_id: UUID
    target_id: UUID
    type: str
    confidence: float
    status: FactStatus
    sources: list[MentionType]
    overridden: list[str] = strawberry.field(description="The fields people corrected")
    extracted_type: str = strawberry.field(description="The type as the extractor read it")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, r: Relationship) -> RelationshipType:
        body = RelationshipBody.from_domain(r)
        return cls(**body_fields(body, status=FactStatus(body.status), sources=mentions(body.sources)))


@strawberry.type(name="Extracted", description="An entity as the extractor read it, before people corrected it")
class ExtractedType:
    name: str
    type: str
    aliases: list[str]
    description: str
    properties: JSON
    status: FactStatus


@strawberry.type(name="Entity")
class EntityType:
    id: UUID
    project_id: UUID
    name: str
    type: str
    aliases: list[str]
    description: str
    properties: JSON
    confidence: float
    status: FactStatus
    sources: list[MentionType]
    overridden: list[str] = strawberry.field(description="The fields people corrected")
    extracted: ExtractedType
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, e: Entity) -> Self:
        body = EntityBody.from_domain(e)
        read = body.extracted
        extracted = ExtractedType(**body_fields(read, status=FactStatus(read.status)))
        return cls(
            **body_fields(body, status=FactStatus(body.status), sources=mentions(body.sources), extracted=extracted)
        )

    @strawberry.field(description="Its graph relationships, either end, newest first (batched over a page)")
    async def relationships(self, info: Info[Any, Any]) -> list[RelationshipType]:
        found = await context_of(info).relationships_of.load((self.project_id, self.id))
        return [RelationshipType.of(r) for r in found]

    @strawberry.field(description="The entities and relationships within `depth` steps of it (1 to 3)")
    async def neighbours(
        self,
        info: Info[Any, Any],
        depth: int = 1,
        relationship_types: list[str] | None = None,
        entity_types: list[str] | None = None,
        min_confidence: float = 0.0,
    ) -> SubgraphType:
        refuse_nul({"relationship_types": relationship_types, "entity_types": entity_types})
        where = WalkFilter(frozenset(relationship_types or ()), frozenset(entity_types or ()), min_confidence)
        project_id, entity_id = self.project_id, self.id
        found = await context_of(info).call(
            Neighbours, lambda use, actor: use(actor, project_id, entity_id, depth, where)
        )
        return SubgraphType.of(found)


@strawberry.type(name="Subgraph")
class SubgraphType:
    entities: list[EntityType]
    relationships: list[RelationshipType]
    truncated: bool

    @classmethod
    def of(cls, found: Subgraph) -> SubgraphType:
        return cls(
            entities=[EntityType.of(e) for e in found.entities],
            relationships=[RelationshipType.of(r) for r in found.relationships],
            truncated=found.truncated,
        )


@strawberry.type(name="GraphPath")
class GraphPathType:
    found: bool
    entities: list[EntityType]
    relationships: list[RelationshipType] = strawberry.field(
        description="relationships[i] joins entities[i] and entities[i + 1]"
    )


@strawberry.type(name="SplitResult")
class SplitResultType:
    entity: EntityType = strawberry.field(description="The entity split, as it is now")
    split_off: EntityType = strawberry.field(description="The new entity")


@strawberry.type(name="EntityPage")
class EntityPageType:
    items: list[EntityType]
    next_cursor: str | None


@strawberry.type(name="EntityHit")
class EntityHitType:
    entity_id: UUID
    name: str
    type: str
    aliases: list[str]
    spans: list[MentionType] = strawberry.field(description="Its mentions: chunk, start, end")
    score: float = strawberry.field(description="The text score; 0 when only the vector found it")
    vector_score: float | None = strawberry.field(
        description="Cosine similarity of the query and the name; null when the vector did not find it"
    )
    fused_score: float = strawberry.field(
        description="The sum of 1/(60 + rank) over the text and vector rankings, on the chunk hits' fused scale"
    )

    @classmethod
    def of(cls, hit: EntityHit) -> EntityHitType:
        return cls(
            entity_id=hit.entity_id,
            name=hit.name,
            type=hit.type,
            aliases=list(hit.aliases),
            spans=[
                MentionType(
                    document_id=s.document_id, chunk_id=s.chunk_id, start=s.start, end=s.end, extractor=s.extractor
                )
                for s in hit.spans
            ],
            score=hit.score,
            vector_score=hit.vector_score,
            fused_score=hit.fused_score,
        )


@strawberry.input
class EntityInput:
    name: str | None = None
    type: str | None = None
    aliases: list[str] | None = None
    description: str | None = None
    properties: JSON | None = None
    status: FactStatus | None = strawberry.field(default=None, description="On update only")


@strawberry.input
class MentionInput:
    document_id: UUID
    chunk_id: UUID
    start: int
    end: int


@strawberry.input
class SplitInput:
    name: str = strawberry.field(description="The new entity's name")
    type: str = strawberry.field(description="The new entity's type")
    aliases: list[str] | None = strawberry.field(default=None, description="The aliases that move to it")
    sources: list[MentionInput] | None = strawberry.field(default=None, description="The mentions that move to it")


def _given(data: EntityInput) -> dict[str, Any]:
    raw = {name: value for name, value in vars(data).items() if value is not None}
    if "status" in raw:
        raw["status"] = raw["status"].value
    return raw


@strawberry.type
class KnowledgeQuery:
    @strawberry.field(description="A project's graph entities, newest first: a part of a name or alias, a type")
    async def entities(
        self,
        info: Info[Any, Any],
        project_id: UUID,
        q: str | None = None,
        type: str | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> EntityPageType:
        refuse_nul({"q": q, "type": type, "after": after})
        query = EntityQuery(project_id, q=q, type=type, limit=first)
        page = await context_of(info).call(ListEntities, lambda use, actor: use(actor, query, after))
        return EntityPageType(items=[EntityType.of(e) for e in page.entities], next_cursor=page.next_cursor)

    @strawberry.field(description="The entities `GET /projects/{id}/search` answers next to the chunk hits")
    async def search_entities(
        self, info: Info[Any, Any], project_id: UUID, q: str, limit: int = 10
    ) -> list[EntityHitType]:
        hits = await context_of(info).call(SearchEntities, lambda use, actor: use(actor, project_id, q, limit))
        return [EntityHitType.of(h) for h in hits]

    @strawberry.field(description="One entity of a project (not found when you may not read it)")
    async def entity(self, info: Info[Any, Any], project_id: UUID, id: UUID) -> EntityType:
        return EntityType.of(await context_of(info).call(GetEntity, lambda use, actor: use(actor, project_id, id)))

    @strawberry.field(name="graphPath", description="The shortest path between two entities (found: false if none)")
    async def graph_path(
        self, info: Info[Any, Any], project_id: UUID, from_: Annotated[UUID, strawberry.argument(name="from")], to: UUID
    ) -> GraphPathType:
        path = await context_of(info).call(ShortestPath, lambda use, actor: use(actor, project_id, from_, to))
        return GraphPathType(
            found=path.found,
            entities=[EntityType.of(e) for e in path.entities],
            relationships=[RelationshipType.of(r) for r in path.relationships],
        )


@strawberry.type
class KnowledgeMutation:
    @strawberry.mutation(description="Create an entity (members and above)")
    async def create_entity(self, info: Info[Any, Any], project_id: UUID, input: EntityInput) -> EntityType:
        edit = msgspec.convert(_given(input), EntityCreate, strict=False).to_domain()
        made = await context_of(info).call(CreateEntity, lambda use, actor: use(actor, project_id, edit))
        return EntityType.of(made)

    @strawberry.mutation(description="Correct an entity: each given field becomes an override (members and above)")
    async def update_entity(self, info: Info[Any, Any], project_id: UUID, id: UUID, input: EntityInput) -> EntityType:
        edit = msgspec.convert(_given(input), EntityUpdate, strict=False).to_domain()
        edited = await context_of(info).call(EditEntity, lambda use, actor: use(actor, project_id, id, edit))
        return EntityType.of(edited)

    @strawberry.mutation(description="Delete an entity (maintainers); answers its id")
    async def delete_entity(self, info: Info[Any, Any], project_id: UUID, id: UUID) -> UUID:
        await context_of(info).call(DeleteEntity, lambda use, actor: use(actor, project_id, id))
        return id

    @strawberry.mutation(description="Merge other entities into one (maintainers)")
    async def merge_entities(self, info: Info[Any, Any], project_id: UUID, id: UUID, others: list[UUID]) -> EntityType:
        kept = await context_of(info).call(MergeEntities, lambda use, actor: use(actor, project_id, id, others))
        return EntityType.of(kept)

    @strawberry.mutation(description="Move some of an entity's aliases and mentions to a new entity (maintainers)")
    async def split_entity(
        self, info: Info[Any, Any], project_id: UUID, id: UUID, input: SplitInput
    ) -> SplitResultType:
        moving = {"aliases": input.aliases or [], "sources": [vars(m) for m in input.sources or ()]}
        body = msgspec.convert(vars(input) | moving, SplitBody)
        new, moved = EntityEdit(name=body.name, type=body.type), [m.to_domain() for m in body.sources]
        kept, split_off = await context_of(info).call(
            SplitEntity, lambda use, actor: use(actor, project_id, id, new, body.aliases, moved)
        )
        return SplitResultType(entity=EntityType.of(kept), split_off=EntityType.of(split_off))

    @strawberry.mutation(description="Relate two entities of the project (members and above)")
    async def create_relationship(
        self, info: Info[Any, Any], project_id: UUID, source_id: UUID, target_id: UUID, type: str
    ) -> RelationshipType:
        body = msgspec.convert({"source_id": source_id, "target_id": target_id, "type": type}, RelationshipCreate)
        new = NewRelationship(body.source_id, body.target_id, body.type)
        made = await context_of(info).call(CreateRelationship, lambda use, actor: use(actor, project_id, new))
        return RelationshipType.of(made)

    @strawberry.mutation(description="Correct a relationship's type or status (members and above)")
    async def update_relationship(
        self,
        info: Info[Any, Any],
        project_id: UUID,
        id: UUID,
        type: str | None = None,
        status: FactStatus | None = None,
    ) -> RelationshipType:
        raw = {k: v for k, v in {"type": type, "status": status.value if status else None}.items() if v is not None}
        body = msgspec.convert(raw, RelationshipUpdate)
        type_ = None if isinstance(body.type, msgspec.UnsetType) else body.type
        edited = await context_of(info).call(
            EditRelationship, lambda use, actor: use(actor, project_id, id, type_, status)
        )
        return RelationshipType.of(edited)

    @strawberry.mutation(description="Delete a relationship (maintainers); answers its id")
    async def delete_relationship(self, info: Info[Any, Any], project_id: UUID, id: UUID) -> UUID:
        await context_of(info).call(DeleteRelationship, lambda use, actor: use(actor, project_id, id))
        return id


def mentions(bodies: list[MentionBody]) -> list[MentionType]:
    return [MentionType.of_body(m) for m in bodies]
