"""A publication of a project: a title, a Markdown body, categories, tags and the ids of the knowledge
graph's entities it is about, moved through its review and publication by people, each move kept in
its history (who, when, from and to).

    draft ─submit→ review ─publish→ published ─archive→ archived
    draft ←withdraw─ review            published, archived ─unpublish→ draft

Only a draft or a publication in review is edited (a published one goes back to draft first, so what
readers see never changes without passing review again). Deleting is allowed in any status.
Categories and tags are kept lower-cased, stripped and without repeats, in the order given. When a
person's account goes, the publication stays with its project but forgets them: no author, and the
moves they made name nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from agentry.domain.errors import DomainError, IllegalTransition, InvalidValue
from agentry.domain.events import Aggregate, DomainEvent
from agentry.domain.names import checked_title as checked_name_title
from agentry.domain.publishing.citations import Citation, checked_citations, still_cited

AGGREGATE = "publication"
TITLE_MAX = 300
BODY_MAX = 200_000  # characters of Markdown
LABELS_MAX = 20  # tags, and categories, per publication
LABEL_MAX = 50  # characters per tag or category
ENTITIES_MAX = 100


class PublicationStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


S = PublicationStatus
# (from, to) → the event the move records
TRANSITIONS: dict[tuple[PublicationStatus, PublicationStatus], str] = {
    (S.DRAFT, S.REVIEW): "publication.submitted",
    (S.REVIEW, S.DRAFT): "publication.withdrawn",
    (S.REVIEW, S.PUBLISHED): "publication.published",
    (S.PUBLISHED, S.ARCHIVED): "publication.archived",
    (S.PUBLISHED, S.DRAFT): "publication.unpublished",
    (S.ARCHIVED, S.DRAFT): "publication.unpublished",
}
EDITABLE = frozenset({S.DRAFT, S.REVIEW})


class NotEditable(DomainError):
    """Only a draft or a publication in review may be edited."""

    code = "not_editable"

    def __init__(self, publication_id: UUID, status: PublicationStatus) -> None:
        super().__init__(
            f"publication {publication_id} is {status}; only a draft or one in review is edited "
            "(unpublish it first to change it)"
        )


@dataclass(frozen=True, slots=True)
class Transition:
    """One move of a publication's status: from, to, by whom and when."""

    from_status: PublicationStatus | None  # None: the publication was created
    to_status: PublicationStatus
    by: UUID | None  # None once that person's account is gone
    at: datetime


def checked_title(title: str) -> str:
    return checked_name_title(title, TITLE_MAX)


def checked_body(body: str) -> str:
    if len(body) > BODY_MAX:
        raise InvalidValue("body", f"at most {BODY_MAX} characters")
    if "\x00" in body:
        raise InvalidValue("body", "must not contain NUL characters")
    return body


def checked_labels(field: str, labels: Iterable[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(label.strip().lower() for label in labels))
    if len(cleaned) > LABELS_MAX:
        raise InvalidValue(field, f"at most {LABELS_MAX}")
    for label in cleaned:
        if not label or len(label) > LABEL_MAX or "\x00" in label:
            raise InvalidValue(field, f"each from 1 to {LABEL_MAX} characters, without NUL")
    return cleaned


def checked_entities(entity_ids: Iterable[UUID]) -> tuple[UUID, ...]:
    cleaned = tuple(dict.fromkeys(entity_ids))
    if len(cleaned) > ENTITIES_MAX:
        raise InvalidValue("entity_ids", f"at most {ENTITIES_MAX}")
    return cleaned


@dataclass(eq=False)
class Publication(Aggregate):
    id: UUID
    project_id: UUID
    author_id: UUID | None  # None once the author's account is gone
    title: str
    body: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    entity_ids: tuple[UUID, ...]
    status: PublicationStatus
    history: tuple[Transition, ...]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None  # the last time it was published
    task_id: UUID | None = None  # the agent task that drafted it, if one did
    citations: tuple[Citation, ...] = ()  # the sources its body cites by number

    @classmethod
    def draft(
        cls,
        publication_id: UUID,
        project_id: UUID,
        author_id: UUID,
        title: str,
        body: str,
        now: datetime,
        *,
        categories: Iterable[str] = (),
        tags: Iterable[str] = (),
        entity_ids: Iterable[UUID] = (),
        task_id: UUID | None = None,
        citations: Iterable[Citation] = (),
    ) -> Publication:
        publication = cls(
            publication_id,
            project_id,
            author_id,
            checked_title(title),
            checked_body(body),
            checked_labels("categories", categories),
            checked_labels("tags", tags),
            checked_entities(entity_ids),
            S.DRAFT,
            (Transition(None, S.DRAFT, author_id, now),),
            now,
            now,
            task_id=task_id,
            citations=checked_citations(citations),
        )
        drafted_by = {} if task_id is None else {"task_id": str(task_id)}
        publication._announce("publication.created", author_id, now, **drafted_by)
        return publication

    def edit(
        self,
        by: UUID,
        now: datetime,
        *,
        title: str | None = None,
        body: str | None = None,
        categories: Iterable[str] | None = None,
        tags: Iterable[str] | None = None,
        entity_ids: Iterable[UUID] | None = None,
    ) -> None:
        """Change what is given; the rest stays. A new body keeps only the citations it still cites."""
        if self.status not in EDITABLE:
            raise NotEditable(self.id, self.status)
        changed = []
        if title is not None:
            self.title = checked_title(title)
            changed.append("title")
        if body is not None:
            self.body = checked_body(body)
            changed.append("body")
            kept = still_cited(self.body, self.citations)
            if kept != self.citations:
                self.citations = kept
                changed.append("citations")
        if categories is not None:
            self.categories = checked_labels("categories", categories)
            changed.append("categories")
        if tags is not None:
            self.tags = checked_labels("tags", tags)
            changed.append("tags")
        if entity_ids is not None:
            self.entity_ids = checked_entities(entity_ids)
            changed.append("entity_ids")
        self.updated_at = now
        self._announce("publication.updated", by, now, changed=changed)

    def submit(self, by: UUID, now: datetime) -> None:
        self._move(S.REVIEW, by, now)

    def withdraw(self, by: UUID, now: datetime) -> None:
        self._move(S.DRAFT, by, now, only_from=S.REVIEW)

    def publish(self, by: UUID, now: datetime) -> None:
        self._move(S.PUBLISHED, by, now)
        self.published_at = now

    def archive(self, by: UUID, now: datetime) -> None:
        self._move(S.ARCHIVED, by, now)

    def unpublish(self, by: UUID, now: datetime) -> None:
        if self.status not in (S.PUBLISHED, S.ARCHIVED):
            raise IllegalTransition(AGGREGATE, self.id, self.status.value, "unpublished")
        self._move(S.DRAFT, by, now)

    def forget(self, person_id: UUID) -> None:
        """The person's account is gone: nothing here names them any more (no event: nothing readers see
        changes but the names)."""
        if self.author_id == person_id:
            self.author_id = None
        self.history = tuple(replace(t, by=None) if t.by == person_id else t for t in self.history)

    def delete(self, by: UUID, now: datetime) -> None:
        self.updated_at = now
        self._announce("publication.deleted", by, now)

    def _move(self, to: PublicationStatus, by: UUID, now: datetime, only_from: PublicationStatus | None = None) -> None:
        kind = TRANSITIONS.get((self.status, to))
        if kind is None or (only_from is not None and self.status is not only_from):
            raise IllegalTransition(AGGREGATE, self.id, self.status.value, to.value)
        self.history = (*self.history, Transition(self.status, to, by, now))
        previous, self.status = self.status, to
        self.updated_at = now
        self._announce(kind, by, now, previous_status=previous.value)

    def _announce(self, kind: str, by: UUID, now: datetime, **extra: str | list[str]) -> None:
        data: dict[str, str | list[str]] = {
            "publication_id": str(self.id),
            "project_id": str(self.project_id),
            "title": self.title,
            "status": self.status.value,
            "by": str(by),
            **extra,
        }
        self.record(DomainEvent(kind, AGGREGATE, self.id, now, data))
