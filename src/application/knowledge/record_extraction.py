"""Merge a verified extraction of one document into its project's graph (the workers' link step).

Each extracted entity is resolved to an entity of the project by resolution.match_mention: its
normalised name (case, spacing, punctuation, a possessive and a leading article aside) or an alias of
either side, of a compatible type; failing both, by the similarity of its name's embedding to the
entities' (SimilarNames: the names neither resolved are embedded in one batch and looked up in the
project's name index, and compared with the entities this extraction creates), at or above the
configured threshold, and then its name becomes an alias of the entity. The best match (the oldest
among equals) takes this document's mentions and the new aliases, and when none matches the entity is
created (and its name's vector kept). Relationships are resolved by their
ends' names and their extracted type. Only the extracted part of a fact is written: people's
overrides stay (and the mentions people gave), and a fact a person deleted is not brought back. Each mention
records the kind of extractor that read it. A fact's status follows its
confidence against the project's threshold (under it: a candidate).

Idempotent per document: recording a document again replaces the mentions it gave before (a fact it no
longer mentions loses them), so no fact or mention is doubled. The caller has checked every evidence
span against the chunk's text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from agentry.application.access import require
from agentry.application.knowledge.ports.graph import EntityRepository, RelationshipRepository
from agentry.application.knowledge.similar_names import SimilarNames
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.search.ports import Vector
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.facts import Evidence, Extraction
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.resolution import KnownEntity, MatchedBy, fold, match_mention, normalise_name
from agentry.domain.knowledge.resolution import Mention as ResolvedMention
from agentry.domain.knowledge.values import ExtractorKind, Mention, status_for
from agentry.domain.principal import Principal


def _normal(name: str) -> str:
    return normalise_name(name)


@dataclass
class _Found:
    """One thing the extraction names, however many times it named it."""

    name: str
    type: str
    confidence: float
    mentions: set[Mention] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)
    description: str = ""


def _mentions(document_id: UUID, evidence: Iterable[Evidence], extractor: ExtractorKind) -> set[Mention]:
    return {Mention(document_id, e.chunk_id, e.start, e.end, extractor) for e in evidence}


def _known(entity: Entity, vector: Vector | None = None, similarity: float | None = None) -> list[KnownEntity]:
    """As resolution sees it: by the type it shows and the type it was extracted with (a person may have
    corrected it)."""
    names = (entity.name, *entity.aliases, *entity.extracted_aliases)
    return [
        KnownEntity(entity.id, entity.extracted_name, type_, names, vector, similarity)
        for type_ in dict.fromkeys((entity.type, entity.extracted_type))
    ]


@dataclass(frozen=True, slots=True)
class _Similar:
    """Entities found by the embedding of a name: from the index (similarity measured) or created by this
    extraction (vector known)."""

    entity: Entity
    vector: Vector | None = None
    similarity: float | None = None


def _resolve(
    thing: _Found,
    known: list[Entity],
    vector: Vector | None = None,
    similar: Iterable[_Similar] = (),
    threshold: float = 1.0,
) -> tuple[Entity, MatchedBy] | None:
    """The known entity the extracted thing stands for, and how: resolution's best match, the oldest among equals."""
    mention = ResolvedMention(thing.name, thing.type, tuple(thing.aliases.values()), vector)
    similar = list(similar)
    candidates = [k for one in known for k in _known(one)]
    candidates += [k for one in similar for k in _known(one.entity, one.vector, one.similarity)]
    matches = match_mention(mention, candidates, similarity_threshold=threshold)
    by_id = {one.id: one for one in known} | {one.entity.id: one.entity for one in similar}
    return (by_id[matches[0].entity_id], matches[0].by) if matches else None


@dataclass(frozen=True, slots=True)
class RecordedExtraction:
    created: int
    updated: int
    skipped: int  # facts a person deleted, or relationships whose ends are unknown


@dataclass(frozen=True, slots=True)
class RecordExtraction:
    """The use case: merge and commit (the ingestion's link step uses MergeExtraction inside its own
    transaction, with the step's done mark)."""

    merge: MergeExtraction
    policy: AccessPolicy
    uow: UnitOfWork

    async def __call__(
        self,
        actor: Principal,
        project_id: UUID,
        document_id: UUID,
        extraction: Extraction,
        extractor_name: str,
        threshold: float,
    ) -> RecordedExtraction:
        """`extractor_name`: the FactExtractor's, whose kind each mention records."""
        require(self.policy, actor, Action.RUN_EXECUTION)
        recorded = await self.merge(project_id, document_id, extraction, ExtractorKind.of(extractor_name), threshold)
        await self.uow.commit()
        return recorded


@dataclass(frozen=True, slots=True)
class MergeExtraction:
    """Stage the extraction's facts in the graph; the caller commits."""

    entities: EntityRepository
    relationships: RelationshipRepository
    similar: SimilarNames
    clock: Clock
    ids: IdGenerator

    async def __call__(
        self, project_id: UUID, document_id: UUID, extraction: Extraction, extractor: ExtractorKind, threshold: float
    ) -> RecordedExtraction:
        """`extractor`: the kind that read the extraction, recorded on each of its mentions."""
        await self.entities.hold_graph(project_id)  # before reading: another document may be changing these facts
        now = self.clock.now()
        created = updated = skipped = 0

        found: dict[str, _Found] = {}
        for extracted in extraction.entities:
            key = _normal(extracted.name)
            if not key:
                continue
            thing = found.setdefault(key, _Found(extracted.name, extracted.type, extracted.confidence))
            thing.confidence = max(thing.confidence, extracted.confidence)
            thing.mentions |= _mentions(document_id, extracted.evidence, extractor)
            for alias in extracted.aliases:
                thing.aliases.setdefault(_normal(alias), alias)
            thing.description = thing.description or extracted.description

        terms = {
            form
            for thing in found.values()
            for term in (thing.name, *thing.aliases.values())
            for form in (fold(term), normalise_name(term))
        }
        known = sorted(await self.entities.named(project_id, terms), key=lambda e: (e.created_at, e.id))

        unresolved = [key for key, thing in found.items() if _resolve(thing, known) is None]
        vectors = dict(zip(unresolved, await self.similar.embed([found[key].name for key in unresolved]), strict=True))
        fresh: list[_Similar] = []  # the entities this extraction creates, with their names' vectors

        resolved: dict[str, Entity] = {}  # the extraction's names → the graph's entities
        for key, thing in found.items():
            vector = vectors.get(key)
            similar = [] if vector is None else [*await self._near(project_id, vector), *fresh]
            match = _resolve(thing, known, vector, similar, self.similar.threshold)
            entity = None if match is None else match[0]
            confidence = thing.confidence if entity is None else max(thing.confidence, entity.confidence)
            status = status_for(confidence, threshold)
            aliases = [a for k, a in thing.aliases.items() if k != key]
            if match is not None and match[1] is MatchedBy.EMBEDDING:
                aliases.append(thing.name)
            if entity is None:
                entity = Entity.extracted(
                    self.ids.new_id(), project_id, thing.name, thing.type, confidence, status, thing.mentions, now,
                    aliases=aliases, description=thing.description,
                )  # fmt: skip
                await self.entities.add(entity)
                known.append(entity)
                if vector is not None:
                    await self.similar.keep(project_id, entity.id, entity.name, vector)
                    fresh.append(_Similar(entity, vector=vector))
                created += 1
            elif entity.suppressed:
                skipped += 1
                continue
            else:
                entity.reextracted(document_id, thing.mentions, aliases, confidence, status, now, thing.description)
                updated += 1
            resolved[key] = entity
            for alias_key in thing.aliases:
                resolved.setdefault(alias_key, entity)

        touched = {entity.id for entity in resolved.values()}
        for earlier in await self.entities.mentioned_in(project_id, document_id):
            if earlier.id not in touched:
                earlier.forget_document(document_id, now)

        edges = await self.relationships.touching(project_id, touched)
        by_edge = {(r.source_id, r.target_id, r.extracted_type): r for r in sorted(edges, key=lambda r: r.created_at)}
        seen: set[UUID] = set()
        for extracted_rel in extraction.relationships:
            source, target = resolved.get(_normal(extracted_rel.source)), resolved.get(_normal(extracted_rel.target))
            if source is None or target is None or source.id == target.id or not extracted_rel.type.strip():
                skipped += 1
                continue
            key3 = (source.id, target.id, extracted_rel.type.strip())
            mentions = _mentions(document_id, extracted_rel.evidence, extractor)
            relationship = by_edge.get(key3)
            if relationship is None:
                confidence = extracted_rel.confidence
                relationship = Relationship.create(
                    self.ids.new_id(), project_id, source.id, target.id, key3[2], now,
                    confidence=confidence, status=status_for(confidence, threshold), sources=mentions, by_person=False,
                )  # fmt: skip
                await self.relationships.add(relationship)
                by_edge[key3] = relationship
                created += 1
            elif relationship.suppressed:
                skipped += 1
                continue
            else:
                confidence = max(relationship.confidence, extracted_rel.confidence)
                if relationship.id in seen:  # named twice in this extraction: the mentions add up
                    mentions |= {m for m in relationship.sources if m.document_id == document_id}
                relationship.reextracted(document_id, mentions, confidence, status_for(confidence, threshold), now)
                updated += 1
            seen.add(relationship.id)

        for relationship in await self.relationships.mentioned_in(project_id, document_id):
            if relationship.id not in seen:
                relationship.forget_document(document_id, now)

        return RecordedExtraction(created, updated, skipped)

    async def _near(self, project_id: UUID, vector: Vector) -> list[_Similar]:
        """The project's entities whose names the index finds similar enough (none gone, none of another project)."""
        found = []
        for entity_id, similarity in (await self.similar.near(project_id, vector)).items():
            entity = await self.entities.get(entity_id)
            if entity is not None and entity.project_id == project_id:
                found.append(_Similar(entity, similarity=similarity))
        return found
