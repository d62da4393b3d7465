"""/api/v1/projects/{project_id}/search: hybrid search over the project's document chunks, and the
knowledge-graph entities matching the query, in their own list (`entities`), so the chunk hits keep
their shape."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from msgspec import Meta, Struct

from agentry.application.search.entities import EntityHit, SearchEntities
from agentry.application.search.hybrid import LIMIT_MAX, QUERY_MAX, SearchChunks, SearchHit
from agentry.domain.knowledge.values import ExtractorKind
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses

Actor = NamedDependency[Principal]
ProjectId = Annotated[UUID, PathParameter(description="The project's id")]

_DESCRIPTION = (
    "The project's document chunks most relevant to `q`: the query's embedding against the chunks' vectors "
    "(cosine similarity) and a full-text match of its words (PostgreSQL: websearch_to_tsquery; SQLite: the "
    "words as substrings), merged by reciprocal rank fusion (1/(60 + rank) from each list). Each hit names "
    "its document, the chunk and its span in the document's text, a snippet, and the three scores (vector "
    "or text is null when only the other list found the chunk). Viewers and above; for anyone else the "
    f"project does not exist (404). `q`: 1 to {QUERY_MAX} characters, not only white space, no NUL (else "
    f"422); `limit`: 1 to {LIMIT_MAX} (else 400). `entities`: up to `limit` of the project's knowledge-graph "
    "entities (graph facts only: no candidate, no deleted entity) from two rankings: text (`score`: the whole "
    "query as the name 4 or an alias 3, a part of one 2, the type 1, plus the share of the query's words found "
    "in the description; 0 when only the vector found it) and the query's embedding against the entity names' "
    "(`vector_score`: cosine similarity, at least 0.5; null when the vector did not find it), fused by "
    "reciprocal rank fusion (`fused_score`: 1/(60 + rank) from each ranking, the chunk hits' `fused` scale, so "
    "a client may interleave the lists); each with its mentions' spans (chunk, start, end)."
)


class EntitySpanBody(Struct, kw_only=True):
    document_id: UUID
    chunk_id: UUID
    start: int
    end: int
    extractor: Annotated[ExtractorKind, Meta(description="Who read it there: offline rules, a model, or a person")]


class EntityHitBody(Struct, kw_only=True):
    entity_id: UUID
    name: str
    type: str
    aliases: list[str]
    spans: list[EntitySpanBody]
    score: Annotated[float, Meta(description="The text score; 0 when only the vector found it")]
    vector_score: Annotated[
        float | None, Meta(description="Cosine similarity of the query and the name; null when not found by vector")
    ]
    fused_score: float

    @classmethod
    def from_hit(cls, hit: EntityHit) -> EntityHitBody:
        return cls(
            entity_id=hit.entity_id,
            name=hit.name,
            type=hit.type,
            aliases=list(hit.aliases),
            spans=[
                EntitySpanBody(
                    document_id=s.document_id, chunk_id=s.chunk_id, start=s.start, end=s.end, extractor=s.extractor
                )
                for s in hit.spans
            ],
            score=hit.score,
            vector_score=hit.vector_score,
            fused_score=hit.fused_score,
        )


class SearchScoresBody(Struct, kw_only=True):
    vector: float | None
    text: float | None
    fused: float


class SearchHitBody(Struct, kw_only=True):
    document_id: UUID
    title: str
    chunk_id: UUID
    ordinal: int
    start: int
    end: int
    snippet: str
    scores: SearchScoresBody

    @classmethod
    def from_hit(cls, hit: SearchHit) -> SearchHitBody:
        return cls(
            document_id=hit.document_id,
            title=hit.title,
            chunk_id=hit.chunk_id,
            ordinal=hit.ordinal,
            start=hit.start,
            end=hit.end,
            snippet=hit.snippet,
            scores=SearchScoresBody(vector=hit.vector_score, text=hit.text_score, fused=hit.fused_score),
        )


class SearchResultsBody(Struct, kw_only=True):
    query: str
    hits: list[SearchHitBody]
    entities: list[EntityHitBody]


class SearchController(Controller):
    security = REQUIRES_BEARER
    path = "/projects/{project_id:uuid}/search"
    tags = ("documents",)

    @get(
        "/",
        summary="Hybrid search over a project's documents",
        description=_DESCRIPTION,
        responses=problem_responses(400, 401, 404, 422, when={422: "q is only white space or holds a NUL character"}),
    )
    async def search(
        self,
        project_id: ProjectId,
        actor: Actor,
        search_chunks: FromDishka[SearchChunks],
        search_entities: FromDishka[SearchEntities],
        q: Annotated[str, QueryParameter(description="What to look for", min_length=1, max_length=QUERY_MAX)],
        limit: Annotated[int, QueryParameter(description="How many hits at most", ge=1, le=LIMIT_MAX)] = 10,
    ) -> SearchResultsBody:
        hits = await search_chunks(actor, project_id, q, limit)
        entities = await search_entities(actor, project_id, q, limit)
        return SearchResultsBody(
            query=q.strip(),
            hits=[SearchHitBody.from_hit(h) for h in hits],
            entities=[EntityHitBody.from_hit(e) for e in entities],
        )
