"""Bodies of the publications endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType, field

from agentry.application.publishing.engagement import Engagement
from agentry.application.publishing.write import NewPublication, PublicationChanges
from agentry.domain.publishing.engagement import EngagementTally
from agentry.domain.publishing.publication import (
    BODY_MAX,
    ENTITIES_MAX,
    LABEL_MAX,
    LABELS_MAX,
    TITLE_MAX,
    Publication,
    Transition,
)

Title = Annotated[str, Meta(min_length=1, max_length=TITLE_MAX)]
Body = Annotated[str, Meta(max_length=BODY_MAX, description="Markdown")]
Labels = Annotated[
    list[Annotated[str, Meta(min_length=1, max_length=LABEL_MAX)]],
    Meta(max_length=LABELS_MAX, description="Kept lower-cased, stripped, without repeats"),
]
EntityIds = Annotated[list[UUID], Meta(max_length=ENTITIES_MAX, description="The knowledge graph's entities")]
ReactionName = Literal["like", "insightful", "celebrate"]


class PublicationCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    title: Title
    body: Body = ""
    categories: Labels = []
    tags: Labels = []
    entity_ids: EntityIds = []

    def to_domain(self) -> NewPublication:
        return NewPublication(self.title, self.body, self.categories, self.tags, self.entity_ids)


class PublicationUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    """Only what is sent changes."""

    title: Title | UnsetType = UNSET
    body: Body | UnsetType = UNSET
    categories: Labels | UnsetType = UNSET
    tags: Labels | UnsetType = UNSET
    entity_ids: EntityIds | UnsetType = UNSET

    def to_domain(self) -> PublicationChanges:
        sent = {name: getattr(self, name) for name in self.__struct_fields__ if getattr(self, name) is not UNSET}
        return PublicationChanges(**sent)


class TransitionBody(Struct, kw_only=True):
    from_status: str | None
    to_status: str
    by: Annotated[UUID | None, Meta(description="Who moved it; null once their account is gone")]
    at: datetime

    @classmethod
    def from_domain(cls, t: Transition) -> TransitionBody:
        return cls(
            from_status=t.from_status.value if t.from_status else None, to_status=t.to_status.value, by=t.by, at=t.at
        )


class PublicationBody(Struct, kw_only=True):
    id: UUID
    project_id: UUID
    author_id: Annotated[UUID | None, Meta(description="null once the author's account is gone")]
    title: str
    body: str
    categories: list[str]
    tags: list[str]
    entity_ids: list[UUID]
    status: str
    history: list[TransitionBody]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None

    @classmethod
    def from_domain(cls, p: Publication) -> PublicationBody:
        return cls(
            id=p.id,
            project_id=p.project_id,
            author_id=p.author_id,
            title=p.title,
            body=p.body,
            categories=list(p.categories),
            tags=list(p.tags),
            entity_ids=list(p.entity_ids),
            status=p.status.value,
            history=[TransitionBody.from_domain(t) for t in p.history],
            created_at=p.created_at,
            updated_at=p.updated_at,
            published_at=p.published_at,
        )


class PublicationPageBody(Struct, kw_only=True):
    publications: list[PublicationBody]
    next_cursor: str | None


class PublishedBody(Struct, kw_only=True):
    """A publication as the public sees it: no author, no history."""

    id: UUID
    title: str
    body: str
    categories: list[str]
    tags: list[str]
    entity_ids: list[UUID]
    published_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, p: Publication) -> PublishedBody:
        return cls(
            id=p.id,
            title=p.title,
            body=p.body,
            categories=list(p.categories),
            tags=list(p.tags),
            entity_ids=list(p.entity_ids),
            published_at=p.published_at or p.updated_at,
            updated_at=p.updated_at,
        )


class PublishedPageBody(Struct, kw_only=True):
    publications: list[PublishedBody]
    next_cursor: str | None


class ReactionCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    kind: ReactionName


class CountedBody(Struct, kw_only=True):
    counted: bool  # false: this visitor was counted for it today already


class TallyBody(Struct, kw_only=True):
    views: int
    reactions: dict[str, int]

    @classmethod
    def from_domain(cls, tally: EngagementTally) -> TallyBody:
        return cls(views=tally.views, reactions={str(k): v for k, v in tally.reactions.items()})


class DayBody(TallyBody, kw_only=True):
    day: date


class EngagementBody(Struct, kw_only=True):
    publication_id: UUID
    from_: date = field(name="from")
    to: date
    days: list[DayBody]  # only the days with any view or reaction, oldest first
    totals: TallyBody

    @classmethod
    def from_domain(cls, e: Engagement) -> EngagementBody:
        days = [
            DayBody(day=day, views=t.views, reactions={str(k): v for k, v in t.reactions.items()})
            for day, t in sorted(e.days.items())
        ]
        return cls(
            publication_id=e.publication_id, from_=e.first, to=e.last, days=days, totals=TallyBody.from_domain(e.total)
        )
