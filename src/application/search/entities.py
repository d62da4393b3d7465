"""The knowledge-graph entities a project search finds next to its chunks, from two rankings fused:
- **text**: matched by name, alias and type, and by the words of their description, scored here (so every
  store ranks alike) and ranked by score. The whole query is the name 4, an alias 3; a part of the name or
  an alias 2; the type 1; plus the share of the query's words the description holds (0 to 1). An entity
  scoring 0 is not in this ranking.
- **vector**: the query's embedding (the same Embedder as the chunk search; one embedding per request)
  against the entity names' index (EntityNameVectors), the nearest first, keeping the hits this embedder's
  model made whose cosine similarity is at least MIN_SIMILARITY (so a query always near nothing finds
  nothing by vector rather than the least far names).

Each entity's fused score is the sum of 1 / (60 + rank) over the rankings it is in (ranks from 1): the
chunk hits' `fused` scale, so a caller can interleave the two lists. Sorted by it, then by text score,
name and id. `score` stays the text score (0 when only the vector found it), `vector_score` the cosine
similarity (None when the vector did not find it). Without an embedder or a names index, or when the
index holds no vector of the project, only the text ranking counts; so too when the embedder fails
(logged): the text ranking still answers. Graph facts only: an entity the index
found is read back from the project's graph entities, so a candidate's or a deleted entity's vector (or
one of an entity that never committed) is never shown, nor another project's."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require_existing_project
from agentry.application.errors import NotFound
from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.projects.ports import ProjectRepository
from agentry.application.search.hybrid import RRF_K, checked_query, query_vector, query_words
from agentry.application.search.ports import (
    Embedder,
    EntitySpan,
    FoundEntity,
    SearchableEntities,
)
from agentry.domain.principal import Principal

# Measured with the local all-MiniLM-L6-v2: a query and a name of the same thing score 0.6 to 0.8
# ("automobile maker" and "Car manufacturer" 0.79, "why did the backup fail" and "Backup server" 0.59),
# unrelated ones below 0.45 ("kiwi" and "Apple" 0.29, "automobile maker" and "Acme Corp" 0.40).
MIN_SIMILARITY = 0.5


@dataclass(frozen=True, slots=True)
class EntityHit:
    entity_id: UUID
    name: str
    type: str
    aliases: tuple[str, ...]
    spans: tuple[EntitySpan, ...]
    score: float  # the text score; 0 when only the vector found it
    vector_score: float | None  # cosine similarity of the query and the name; None when the vector did not find it
    fused_score: float


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def entity_score(entity: FoundEntity, q: str) -> float:
    whole = _folded(q)
    names = [_folded(entity.name)]
    aliases = [_folded(a) for a in entity.aliases]
    if whole == names[0]:
        by_name = 4.0
    elif whole in aliases:
        by_name = 3.0
    elif any(whole in n for n in names + aliases):
        by_name = 2.0
    elif whole == _folded(entity.type):
        by_name = 1.0
    else:
        by_name = 0.0
    words = query_words(q)
    description = entity.description.casefold()
    by_description = sum(1 for w in words if w in description) / len(words) if words else 0.0
    return by_name + by_description


@dataclass(frozen=True, slots=True)
class SearchEntities:
    entities: SearchableEntities
    policy: AccessPolicy
    projects: ProjectRepository
    embedder: Embedder | None = None
    names: EntityNameVectors | None = None
    min_similarity: float = MIN_SIMILARITY

    async def __call__(self, actor: Principal, project_id: UUID, q: str, limit: int = 10) -> list[EntityHit]:
        q = checked_query(q, limit)
        if not self.policy.allows(actor, Action.READ_KNOWLEDGE, Resource.of_project(project_id)):
            raise NotFound("project", project_id)
        await require_existing_project(self.projects, project_id)
        words = [_folded(q), *query_words(q)]
        found = await self.entities.matching(project_id, list(dict.fromkeys(words)), max(50, limit * 5))
        known = {entity.id: entity for entity in found}
        text_scores = {entity.id: s for entity in found if (s := entity_score(entity, q)) > 0}
        by_text = sorted(text_scores, key=lambda i: (-text_scores[i], known[i].name, str(i)))

        near = await self._near(project_id, q, max(20, limit * 3))
        unknown = [i for i in near if i not in known]
        if unknown:  # read back: graph facts of this project only
            known.update((entity.id, entity) for entity in await self.entities.by_ids(project_id, unknown))
        vector_scores = {i: similarity for i, similarity in near.items() if i in known}

        fused: dict[UUID, float] = {}
        for ranking in (by_text, list(vector_scores)):
            for rank, i in enumerate(ranking, start=1):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
        ranked = sorted(fused, key=lambda i: (-fused[i], -text_scores.get(i, 0.0), known[i].name, str(i)))
        return [
            EntityHit(
                i,
                (e := known[i]).name,
                e.type,
                e.aliases,
                e.spans,
                text_scores.get(i, 0.0),
                vector_scores.get(i),
                fused[i],
            )
            for i in ranked[:limit]
        ]

    async def _near(self, project_id: UUID, q: str, k: int) -> dict[UUID, float]:
        """The entities whose name's vector (this model's) is at least `min_similarity` near the query's,
        the nearest first, with the similarity; none without an embedder and an index, or when it fails."""
        if self.embedder is None or self.names is None:
            return {}
        vector = await query_vector(self.embedder, q, "entity")
        if vector is None:
            return {}
        model = self.embedder.model
        hits = await self.names.search(project_id, vector, k)
        return {
            hit.id: hit.score for hit in hits if hit.metadata.get("model") == model and hit.score >= self.min_similarity
        }
