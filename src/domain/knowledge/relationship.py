"""A relationship of a project's knowledge graph: a typed, directed edge from one entity to another,
with a confidence and the mentions it was read from.

As with entities, what people set (`overrides`: the type, the status) is kept apart from what extraction
found, and a person's deletion suppresses it for good.

    extracted or created ─edit→ overrides changed              relationship.updated
                         ─an end merged into another entity→ points at the kept one
                                                               relationship.updated
                         ─delete (or either end deleted)→ suppressed
                                                               relationship.deleted
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.domain.errors import InvalidValue
from agentry.domain.events import Aggregate, DomainEvent
from agentry.domain.knowledge.values import (
    TYPE_MAX,
    ExtractorKind,
    FactStatus,
    Mention,
    checked_confidence,
    checked_text,
    merged_mentions,
)

AGGREGATE = "relationship"


@dataclass(frozen=True, slots=True)
class RelationshipOverrides:
    type: str | None = None
    status: FactStatus | None = None


@dataclass(eq=False)
class Relationship(Aggregate):
    id: UUID
    project_id: UUID
    source_id: UUID
    target_id: UUID
    extracted_type: str
    extracted_status: FactStatus
    confidence: float
    sources: tuple[Mention, ...]
    created_at: datetime
    updated_at: datetime
    overrides: RelationshipOverrides = field(default_factory=RelationshipOverrides)
    suppressed: bool = False
    status: FactStatus = FactStatus.GRAPH  # kept in step, for the queries
    type: str = ""  # kept in step: the override over the extracted type

    @classmethod
    def create(
        cls,
        relationship_id: UUID,
        project_id: UUID,
        source_id: UUID,
        target_id: UUID,
        type_: str,
        now: datetime,
        *,
        confidence: float = 1.0,
        status: FactStatus = FactStatus.GRAPH,
        sources: Iterable[Mention] = (),
        by_person: bool = True,
    ) -> Relationship:
        type_ = checked_text("type", type_, TYPE_MAX)
        if source_id == target_id:
            raise InvalidValue("target_id", "an entity cannot be related to itself")
        overrides = RelationshipOverrides(type_, status) if by_person else RelationshipOverrides()
        relationship = cls(
            relationship_id,
            project_id,
            source_id,
            target_id,
            type_,
            status,
            checked_confidence(confidence),
            merged_mentions(sources),
            now,
            now,
            overrides,
        )
        relationship._refresh()
        relationship._announce("relationship.created", now)
        return relationship

    def edit(self, type_: str | None, status: FactStatus | None, now: datetime) -> None:
        given = RelationshipOverrides(None if type_ is None else checked_text("type", type_, TYPE_MAX), status)
        changed = [name for name in ("type", "status") if getattr(given, name) is not None]
        if not changed:
            return
        self.overrides = replace(self.overrides, **{name: getattr(given, name) for name in changed})
        self._touch(now)
        self._announce("relationship.updated", now, changed=changed)

    def reextracted(
        self, document_id: UUID, sources: Iterable[Mention], confidence: float, status: FactStatus, now: datetime
    ) -> None:
        """Its mentions in the document are the new ones; those people gave stay."""
        kept = [m for m in self.sources if m.document_id != document_id or m.extractor is ExtractorKind.HUMAN]
        self.sources = merged_mentions(kept, sources)
        self.confidence = checked_confidence(confidence)
        self.extracted_status = status
        self._touch(now)
        self._announce("relationship.updated", now, changed=["extracted"])

    def forget_document(self, document_id: UUID, now: datetime) -> None:
        kept = tuple(m for m in self.sources if m.document_id != document_id)
        if kept != self.sources:
            self.sources = kept
            self._touch(now)
            self._announce("relationship.updated", now, changed=["sources"])

    def repoint(self, merged: Iterable[UUID], kept: UUID, now: datetime) -> None:
        """An end that was merged into `kept` is `kept` now."""
        merged = set(merged)
        if self.source_id not in merged and self.target_id not in merged:
            return
        self.source_id = kept if self.source_id in merged else self.source_id
        self.target_id = kept if self.target_id in merged else self.target_id
        self._touch(now)
        self._announce("relationship.updated", now, changed=["ends"])

    def absorb(self, twin: Relationship, now: datetime) -> None:
        """The same edge found twice (after a merge): its mentions join this one; the caller removes it."""
        if (twin.source_id, twin.target_id, twin.type) != (self.source_id, self.target_id, self.type):
            raise InvalidValue("relationship", "only the same edge can be absorbed")
        self.sources = merged_mentions(self.sources, twin.sources)
        self.confidence = max(self.confidence, twin.confidence)
        self._touch(now)
        self._announce("relationship.updated", now, changed=["sources"], absorbed=str(twin.id))

    @property
    def is_loop(self) -> bool:
        return self.source_id == self.target_id

    def delete(self, now: datetime) -> None:
        if self.suppressed:
            return
        self.suppressed = True
        self._touch(now)
        self._announce("relationship.deleted", now)

    def _touch(self, now: datetime) -> None:
        self.updated_at = now
        self._refresh()

    def _refresh(self) -> None:
        self.status = self.overrides.status or self.extracted_status
        self.type = self.overrides.type if self.overrides.type is not None else self.extracted_type

    def _announce(self, kind: str, now: datetime, **extra: Any) -> None:
        data: dict[str, Any] = {
            "relationship_id": str(self.id),
            "project_id": str(self.project_id),
            "source_id": str(self.source_id),
            "target_id": str(self.target_id),
            "type": self.type,
            "status": self.status.value,
            "confidence": self.confidence,
            **extra,
        }
        self.record(DomainEvent(kind, AGGREGATE, self.id, now, data))
