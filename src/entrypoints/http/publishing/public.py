"""/api/v1/public/{project_slug}/publications: a project's published publications for anyone, without
signing in, when the project's settings open them (`public_publications`); else, and for a project that
does not exist, the same 404. Views and reactions are recorded here too, counted once per visitor, kind
and day (application/publishing/engagement.py: nothing personal is stored). Anonymous callers are
rate-limited per client address (kit/rate_limits.py)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, get, post
from litestar.params import PathParameter, QueryParameter

from agentry.application.publishing.engagement import RecordEngagement, Visitor
from agentry.application.publishing.public import GetPublished, ListPublished, PublicQuery
from agentry.application.publishing.read import LIST_LIMIT_MAX
from agentry.domain.projects.project import SLUG_MAX
from agentry.domain.publishing.publication import LABEL_MAX
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import OPAQUE_CURSOR, TASK_CURSOR_PATTERN, refuse_nul
from agentry.entrypoints.http.publishing.schemas import (
    CountedBody,
    PublishedBody,
    PublishedPageBody,
    ReactionCreate,
)

Slug = Annotated[str, PathParameter(description="The project's slug", max_length=SLUG_MAX)]
PublicationId = Annotated[UUID, PathParameter(description="The publication's id")]
Label = Annotated[str | None, QueryParameter(min_length=1, max_length=LABEL_MAX)]
_READ = problem_responses(400, 404, 429)
_LIST = problem_responses(400, 404, 422, 429, when={422: "a query parameter holds a NUL character"})
_COUNT = problem_responses(400, 404, 422, 429)
_SEARCH = (
    "Published publications, newest published first. `q`: each of its words (up to 8) must be in the title "
    "or the body, matched as a case-insensitive substring (PostgreSQL ILIKE; SQLite LIKE, folding ASCII "
    "only). A project that does not publish publicly, or does not exist: 404."
)


def visitor(request: Request[Any, Any, Any]) -> Visitor:
    """The reader as the request tells (for the day's digest only; never stored)."""
    address: str = request.app.state.client_addresses.of(request.scope)
    return Visitor(address, request.headers.get("user-agent", ""))


class PublicPublicationController(Controller):
    path = "/public/{project_slug:str}/publications"
    tags = ("public",)

    @get("/", summary="List a project's published publications", description=_SEARCH, responses=_LIST)
    async def list_published(
        self,
        project_slug: Slug,
        list_published: FromDishka[ListPublished],
        category: Label = None,
        tag: Label = None,
        entity_id: Annotated[UUID | None, QueryParameter(description="Only those linked to this entity")] = None,
        q: Annotated[str | None, QueryParameter(description="Full-text search", max_length=200)] = None,
        cursor: Annotated[
            str | None, QueryParameter(description=OPAQUE_CURSOR, pattern=TASK_CURSOR_PATTERN, max_length=1000)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=LIST_LIMIT_MAX)] = 20,
    ) -> PublishedPageBody:
        refuse_nul({"q": q, "category": category, "tag": tag})
        query = PublicQuery(category=category, tag=tag, entity_id=entity_id, text=q, limit=limit)
        page = await list_published(project_slug, query, cursor)
        return PublishedPageBody(
            publications=[PublishedBody.from_domain(p) for p in page.publications], next_cursor=page.next_cursor
        )

    @get("/{publication_id:uuid}", summary="A published publication", responses=_READ)
    async def get_published(
        self, project_slug: Slug, publication_id: PublicationId, get_published: FromDishka[GetPublished]
    ) -> PublishedBody:
        return PublishedBody.from_domain(await get_published(project_slug, publication_id))

    @post(
        "/{publication_id:uuid}/views",
        status_code=200,
        summary="Record a view (once per visitor and day)",
        responses=_COUNT,
    )
    async def view(
        self,
        project_slug: Slug,
        publication_id: PublicationId,
        request: Request[Any, Any, Any],
        record: FromDishka[RecordEngagement],
    ) -> CountedBody:
        return CountedBody(counted=await record(project_slug, publication_id, visitor(request)))

    @post(
        "/{publication_id:uuid}/reactions",
        status_code=200,
        summary="Record a reaction (once per visitor, kind and day)",
        responses=_COUNT,
    )
    async def react(
        self,
        project_slug: Slug,
        publication_id: PublicationId,
        data: ReactionCreate,
        request: Request[Any, Any, Any],
        record: FromDishka[RecordEngagement],
    ) -> CountedBody:
        return CountedBody(counted=await record(project_slug, publication_id, visitor(request), data.kind))
