"""The knowledge-graph entities a project search finds next to its chunks: matched by name, alias and type,
and by the words of their description, scored here (so every store ranks alike), and ranked by score. Each
gets the reciprocal rank fusion score its rank gives (1 / (60 + rank), ranks from 1), on the same scale
as the chunks' fused score, so a caller can interleave the two lists. Graph facts only: a candidate or a
deleted entity never shows, nor another project's.

Scoring: the whole query is the name 4, an alias 3; a part of the name or an alias 2; the type 1; plus
the share of the query's words the description holds (0 to 1)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.errors import NotFound
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.search.hybrid import RRF_K, checked_query, query_words
from agentry.application.search.ports import EntitySpan, FoundEntity, SearchableEntities
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class EntityHit:
    entity_id: UUID
    name: str
    type: str
    aliases: tuple[str, ...]
    spans: tuple[EntitySpan, ...]
    score: float
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

    async def __call__(self, actor: Principal, project_id: UUID, q: str, limit: int = 10) -> list[EntityHit]:
        q = checked_query(q, limit)
        if not self.policy.allows(actor, Action.READ_KNOWLEDGE, Resource.of_project(project_id)):
            raise NotFound("project", project_id)
        words = [_folded(q), *query_words(q)]
        found = await self.entities.matching(project_id, list(dict.fromkeys(words)), max(50, limit * 5))
        scored = [(entity_score(entity, q), entity) for entity in found]
        ranked = sorted(((s, e) for s, e in scored if s > 0), key=lambda se: (-se[0], se[1].name, str(se[1].id)))
        return [
            EntityHit(e.id, e.name, e.type, e.aliases, e.spans, score, 1.0 / (RRF_K + rank))
            for rank, (score, e) in enumerate(ranked[:limit], start=1)
        ]
