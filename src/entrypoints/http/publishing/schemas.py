"""Bodies of the publications endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType, field

from agentry.application.publishing.draft_from_graph import DEPTH_MAX, DraftCommand, Drafting
from agentry.application.publishing.engagement import Engagement
from agentry.application.publishing.write import NewPublication, PublicationChanges
from agentry.domain.errors import InvalidValue
from agentry.domain.publishing.citations import Citation
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
from agentry.domain.tasks.spec import TaskOptions

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


class CitationBody(Struct, kw_only=True):
    """Source `number` of the body (`[number]`): the text `quote` at `start:end` of a document's chunk."""

    number: int
    document_id: UUID
    chunk_id: UUID
    start: int
    end: int
    quote: str
    document_title: Annotated[
        str | None,
        Meta(description="The document's title when the source was given (null: cited before titles were kept)"),
    ]

    @classmethod
    def from_domain(cls, c: Citation) -> CitationBody:
        return cls(
            number=c.number,
            document_id=c.document_id,
            chunk_id=c.chunk_id,
            start=c.start,
            end=c.end,
            quote=c.quote,
            document_title=c.document_title,
        )


class PublicCitationBody(Struct, kw_only=True):
    """Source `number` of a published body (`[number]`) as the public sees it: the document's title and
    the quoted text at `start:end` of its chunk, as they read when the source was given; not the ids of
    the project's documents and chunks, which only its members may read."""

    number: int
    document_title: str | None
    start: int
    end: int
    quote: str

    @classmethod
    def from_domain(cls, c: Citation) -> PublicCitationBody:
        return cls(number=c.number, document_title=c.document_title, start=c.start, end=c.end, quote=c.quote)


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
    task_id: UUID | None  # the agent task that drafted it, if one did
    citations: list[CitationBody]  # the sources its body cites, in the order first cited

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
            task_id=p.task_id,
            citations=[CitationBody.from_domain(c) for c in p.citations],
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
    citations: list[PublicCitationBody]  # the sources its body cites, in the order first cited

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
            citations=[PublicCitationBody.from_domain(c) for c in p.citations],
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


class DraftCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    about: Annotated[
        str, Meta(min_length=1, max_length=300, description="The entity's id, or its name (or alias, or a part of one)")
    ]
    depth: Annotated[int, Meta(ge=1, le=DEPTH_MAX, description="How far from the entity the facts reach")] = 1
    title: Annotated[Title | None, Meta(description='Default: "What we know about <the entity>"')] = None
    options: (
        Annotated[
            dict[str, Any],
            Meta(
                description="The drafting task's options (runner, model, max_turns, allowed_tools, permission_mode, "
                "time_limit_s, inactivity_timeout_s, script, append_system_prompt, max_budget_usd), checked "
                "against the project's rules as a task's are"
            ),
        ]
        | None
    ) = None

    def to_domain(self) -> DraftCommand:
        return DraftCommand(self.about, self.depth, self.title, self._options())

    def _options(self) -> TaskOptions:
        if self.options is None:
            return TaskOptions()
        unknown = sorted(set(self.options) - set(TaskOptions().to_raw()))
        if unknown:
            raise InvalidValue("options", f"unknown option(s): {', '.join(unknown)}")
        try:
            return TaskOptions.from_raw(self.options)
        except InvalidValue:
            raise
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            raise InvalidValue("options", f"not a task's options: {error}") from error


class DraftTaskBody(Struct, kw_only=True):
    """The drafting task (GET /api/v1/tasks/{id} shows all of it)."""

    id: UUID
    project_id: UUID
    title: str
    status: str
    tags: list[str]
    created_at: datetime


class DraftingBody(Struct, kw_only=True):
    """A draft being written: its task and what the task was given. When the task succeeds, the draft is
    the publication GET …/publications?task_id=<task id> lists."""

    task: DraftTaskBody
    title: str  # the draft's
    entity_ids: list[UUID]  # the entities the draft will link: the one asked about first
    sources: list[CitationBody]  # the numbered sources the task's prompt lists

    @classmethod
    def from_domain(cls, d: Drafting) -> DraftingBody:
        t = d.task
        return cls(
            task=DraftTaskBody(
                id=t.id,
                project_id=t.project_id,
                title=t.title,
                status=t.status.value,
                tags=list(t.tags),
                created_at=t.created_at,
            ),
            title=d.request.title,
            entity_ids=list(d.request.entity_ids),
            sources=[CitationBody.from_domain(c) for c in d.request.sources],
        )
