"""An entity of a project's knowledge graph: a thing (a person, a system, a place...) with a name, a type,
aliases, a description, properties and the mentions it was read from.

Human edits are kept apart from extracted facts. An entity holds what extraction found (`extracted_*`,
rewritten only by extraction) and what people set (`overrides`, rewritten only by people); what it shows
is each override over its extracted value. A person who deletes an entity suppresses it: it is gone for
every reader, and a new extraction that finds the same name does not bring it back.

    extracted or created ─edit (a person)→ overrides changed      entity.updated
                         ─merge others into it→ their mentions, names and relationships are its own
                                                                  entity.merged
                         ─split→ named aliases and mentions move to a new entity
                                                                  entity.updated, entity.created
                         ─delete→ suppressed                      entity.deleted
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.domain.errors import InvalidValue
from agentry.domain.events import Aggregate, DomainEvent
from agentry.domain.knowledge.values import (
    DESCRIPTION_MAX,
    NAME_MAX,
    TYPE_MAX,
    ExtractorKind,
    FactStatus,
    Mention,
    checked_aliases,
    checked_confidence,
    checked_properties,
    checked_text,
    merged_mentions,
    search_terms,
)

AGGREGATE = "entity"
HUMAN_CONFIDENCE = 1.0


@dataclass(frozen=True, slots=True)
class EntityOverrides:
    """What people set; None: the extracted value shows."""

    name: str | None = None
    type: str | None = None
    aliases: tuple[str, ...] | None = None
    description: str | None = None
    properties: Mapping[str, Any] | None = None
    status: FactStatus | None = None

    def set_fields(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


@dataclass(frozen=True, slots=True)
class EntityEdit:
    """A person's change: each given value becomes an override (checked first)."""

    name: str | None = None
    type: str | None = None
    aliases: Sequence[str] | None = None
    description: str | None = None
    properties: Mapping[str, Any] | None = None
    status: FactStatus | None = None

    def checked(self) -> EntityOverrides:
        return EntityOverrides(
            name=None if self.name is None else checked_text("name", self.name, NAME_MAX),
            type=None if self.type is None else checked_text("type", self.type, TYPE_MAX),
            aliases=None if self.aliases is None else checked_aliases(self.aliases),
            description=None
            if self.description is None
            else checked_text("description", self.description, DESCRIPTION_MAX, required=False),
            properties=None if self.properties is None else checked_properties(self.properties),
            status=self.status,
        )


@dataclass(eq=False)
class Entity(Aggregate):
    id: UUID
    project_id: UUID
    extracted_name: str
    extracted_type: str
    extracted_aliases: tuple[str, ...]
    extracted_description: str
    extracted_properties: dict[str, Any]
    extracted_status: FactStatus
    confidence: float
    sources: tuple[Mention, ...]
    created_at: datetime
    updated_at: datetime
    overrides: EntityOverrides = field(default_factory=EntityOverrides)
    suppressed: bool = False
    # What shows, kept in step with the above (and stored, for the queries that filter on them):
    name: str = ""
    type: str = ""
    status: FactStatus = FactStatus.GRAPH
    terms: str = ""

    @classmethod
    def create(
        cls,
        entity_id: UUID,
        project_id: UUID,
        edit: EntityEdit,
        now: datetime,
        sources: Iterable[Mention] = (),
    ) -> Entity:
        """A person's entity: everything it shows is an override, so no extraction rewrites it."""
        overrides = replace(edit.checked(), status=edit.status or FactStatus.GRAPH)
        name, type_ = overrides.name, overrides.type
        if name is None or type_ is None:
            raise InvalidValue("name" if name is None else "type", "is required")
        overrides = replace(overrides, aliases=_without(overrides.aliases or (), name))
        entity = cls(
            entity_id,
            project_id,
            name,
            type_,
            (),
            "",
            {},
            FactStatus.GRAPH,
            HUMAN_CONFIDENCE,
            merged_mentions(sources),
            now,
            now,
            overrides,
        )
        entity._refresh()
        entity._announce("entity.created", now)
        return entity

    @classmethod
    def extracted(
        cls,
        entity_id: UUID,
        project_id: UUID,
        name: str,
        type_: str,
        confidence: float,
        status: FactStatus,
        sources: Iterable[Mention],
        now: datetime,
        *,
        aliases: Iterable[str] = (),
        description: str = "",
    ) -> Entity:
        name = checked_text("name", name, NAME_MAX)
        entity = cls(
            entity_id,
            project_id,
            name,
            checked_text("type", type_, TYPE_MAX),
            _without(checked_aliases(aliases), name),
            checked_text("description", description, DESCRIPTION_MAX, required=False),
            {},
            status,
            checked_confidence(confidence),
            merged_mentions(sources),
            now,
            now,
        )
        entity._refresh()
        entity._announce("entity.created", now)
        return entity

    # What it shows: each override over its extracted value.
    @property
    def aliases(self) -> tuple[str, ...]:
        return self.overrides.aliases if self.overrides.aliases is not None else self.extracted_aliases

    @property
    def description(self) -> str:
        return self.overrides.description if self.overrides.description is not None else self.extracted_description

    @property
    def properties(self) -> Mapping[str, Any]:
        return self.overrides.properties if self.overrides.properties is not None else self.extracted_properties

    def edit(self, edit: EntityEdit, now: datetime) -> None:
        given = edit.checked()
        changed = given.set_fields()
        if not changed:
            return
        self.overrides = replace(self.overrides, **{name: getattr(given, name) for name in changed})
        self._touch(now)
        self._announce("entity.updated", now, changed=changed)

    def reextracted(
        self,
        document_id: UUID,
        sources: Iterable[Mention],
        aliases: Iterable[str],
        confidence: float,
        status: FactStatus,
        now: datetime,
        description: str = "",
    ) -> None:
        """A (new) reading of one document: its mentions replace that document's earlier extracted ones (the
        ones people gave stay), its aliases join the extracted ones, and the extracted confidence and status
        are the new ones. Overrides stay."""
        kept = [m for m in self.sources if m.document_id != document_id or m.extractor is ExtractorKind.HUMAN]
        self.sources = merged_mentions(kept, sources)
        self.extracted_aliases = _without(checked_aliases((*self.extracted_aliases, *aliases)), self.extracted_name)
        if description and not self.extracted_description:
            self.extracted_description = checked_text("description", description, DESCRIPTION_MAX, required=False)
        self.confidence = checked_confidence(confidence)
        self.extracted_status = status
        self._touch(now)
        self._announce("entity.updated", now, changed=["extracted"])

    def forget_document(self, document_id: UUID, now: datetime) -> None:
        """Its mentions in a document go (a re-extraction no longer finds it there)."""
        kept = tuple(m for m in self.sources if m.document_id != document_id)
        if kept != self.sources:
            self.sources = kept
            self._touch(now)
            self._announce("entity.updated", now, changed=["sources"])

    def merge(self, others: Sequence[Entity], now: datetime) -> None:
        """The others' mentions and names are this entity's now (their relationships move with the
        repository's help); the caller removes them."""
        if not others:
            raise InvalidValue("others", "name at least one entity to merge into this one")
        for other in others:
            if other.id == self.id:
                raise InvalidValue("others", "an entity cannot be merged into itself")
            if other.project_id != self.project_id:
                raise InvalidValue("others", f"entity {other.id} is of another project")
        names = [name for other in others for name in (other.name, *other.aliases)]
        self.extracted_aliases = _without(checked_aliases((*self.extracted_aliases, *names)), self.extracted_name)
        if self.overrides.aliases is not None:
            self.overrides = replace(
                self.overrides, aliases=_without(checked_aliases((*self.overrides.aliases, *names)), self.name)
            )
        self.sources = merged_mentions(self.sources, *(other.sources for other in others))
        self.confidence = max([self.confidence, *(other.confidence for other in others)])
        self._touch(now)
        self._announce("entity.merged", now, merged=[str(other.id) for other in others])

    def split(
        self,
        new_id: UUID,
        edit: EntityEdit,
        aliases: Sequence[str],
        sources: Sequence[Mention],
        now: datetime,
    ) -> Entity:
        """Move the named aliases and mentions to a new entity (a person's, named by `edit`)."""
        unknown_aliases = {a.casefold() for a in aliases} - {a.casefold() for a in self.aliases}
        if unknown_aliases:
            raise InvalidValue("aliases", f"not aliases of this entity: {', '.join(sorted(unknown_aliases))}")
        unknown_sources = set(sources) - set(self.sources)
        if unknown_sources:
            raise InvalidValue("sources", f"{len(unknown_sources)} of them are not mentions of this entity")
        if not aliases and not sources:
            raise InvalidValue("aliases", "name aliases or mentions to move")
        moving = {a.casefold() for a in aliases}
        moved = tuple(a for a in self.aliases if a.casefold() in moving)
        self.extracted_aliases = tuple(a for a in self.extracted_aliases if a.casefold() not in moving)
        if self.overrides.aliases is not None:
            kept = tuple(a for a in self.overrides.aliases if a.casefold() not in moving)
            self.overrides = replace(self.overrides, aliases=kept)
        leaving = set(sources)
        moved_sources = [m for m in self.sources if m in leaving]  # as read (by whom), not as named
        self.sources = tuple(m for m in self.sources if m not in leaving)
        self._touch(now)
        self._announce("entity.updated", now, changed=["aliases", "sources"], split_into=str(new_id))
        named = replace(edit, aliases=(*(edit.aliases or ()), *moved))
        return Entity.create(new_id, self.project_id, named, now, moved_sources)

    def delete(self, now: datetime) -> None:
        self.suppressed = True
        self._touch(now)
        self._announce("entity.deleted", now)

    def _touch(self, now: datetime) -> None:
        self.updated_at = now
        self._refresh()

    def _refresh(self) -> None:
        self.name = self.overrides.name if self.overrides.name is not None else self.extracted_name
        self.type = self.overrides.type if self.overrides.type is not None else self.extracted_type
        self.status = self.overrides.status or self.extracted_status
        self.terms = search_terms(self.name, self.aliases)

    def _announce(self, kind: str, now: datetime, **extra: Any) -> None:
        data: dict[str, Any] = {
            "entity_id": str(self.id),
            "project_id": str(self.project_id),
            "name": self.name,
            "type": self.type,
            "status": self.status.value,
            "confidence": self.confidence,
            **extra,
        }
        self.record(DomainEvent(kind, AGGREGATE, self.id, now, data))


def _without(aliases: tuple[str, ...], name: str) -> tuple[str, ...]:
    return tuple(a for a in aliases if a.casefold() != name.casefold())
