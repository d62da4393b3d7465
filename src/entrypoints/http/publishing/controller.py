"""/api/v1/projects/{project_id}/publications: draft (by hand, or by an agent task from the knowledge
graph), read, list (filters, cursor), edit, delete, the moves of a publication's status and its
engagement. Who may do what is decided in the use cases: viewers read; members draft, edit, submit and
withdraw, and read engagement; maintainers and owners publish, archive, unpublish and delete."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter, QueryParameter

from agentry.application.publishing.draft_from_graph import DraftFromGraph
from agentry.application.publishing.engagement import GetEngagement
from agentry.application.publishing.ports import PublicationQuery
from agentry.application.publishing.read import LIST_LIMIT_MAX, GetPublication, ListPublications
from agentry.application.publishing.write import (
    CreatePublication,
    DeletePublication,
    EditPublication,
    Move,
    MovePublication,
)
from agentry.domain.principal import Principal
from agentry.domain.publishing.engagement import RANGE_MAX_DAYS
from agentry.domain.publishing.publication import LABEL_MAX, PublicationStatus
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import OPAQUE_CURSOR, TASK_CURSOR_PATTERN, refuse_nul
from agentry.entrypoints.http.publishing.schemas import (
    DraftCreate,
    DraftingBody,
    EngagementBody,
    PublicationBody,
    PublicationCreate,
    PublicationPageBody,
    PublicationUpdate,
)

Actor = NamedDependency[Principal]
ProjectId = Annotated[UUID, PathParameter(description="The project's id")]
PublicationId = Annotated[UUID, PathParameter(description="The publication's id")]
Cursor = Annotated[str | None, QueryParameter(description=OPAQUE_CURSOR, pattern=TASK_CURSOR_PATTERN, max_length=1000)]
Label = Annotated[str | None, QueryParameter(min_length=1, max_length=LABEL_MAX)]
_READ = problem_responses(400, 401, 404)
_RULES = "the title is only white space, a text holds a NUL character, or a tag or category is only white space"
_WRITE = problem_responses(400, 401, 403, 404, 409, 422, when={422: _RULES})
_LIST = problem_responses(400, 401, 404, 422, when={422: "a query parameter holds a NUL character"})
_DRAFT = problem_responses(
    400,
    401,
    403,
    404,
    409,
    413,
    422,
    new_work=True,
    when={
        403: "the actor may not write the project's publications, or the task's options break the project's rules",
        404: "the project, or the entity named by id, does not exist for the actor",
        422: "`about` names no entity of the project or holds a NUL character, the title is only white space, or "
        "the options are not a task's options",
    },
)
_DRAFTING = (
    "An agent task (a task of the project, queued, budgeted and cancellable like any) is asked to summarise "
    "what the knowledge graph says about the entity: its prompt lists the facts of the entity's neighbourhood "
    "to `depth`, each with numbered sources (document title, chunk, quoted span), and asks for Markdown citing "
    "them as [n]. When the task succeeds its answer becomes a draft publication by the task's owner, linked to "
    "those entities, whose `citations` map each number used to its source; a number the task was not given is "
    "dropped and a note in the body says so. Find the draft with GET …/publications?task_id=<task id>."
)
_MOVES = (
    "Moves: draft → review (submit), review → draft (withdraw), review → published (publish), published → "
    "archived (archive), published or archived → draft (unpublish). Submit and withdraw: members and above; "
    "publish, archive and unpublish: maintainers and owners. Another move from the current status: 409."
)


def _move_route(which: Move, summary: str) -> HTTPRouteHandler:
    """`POST .../{publication_id}/{which}`: the moves' routes differ only in the move (`_MOVES`)."""

    async def route(
        self: Controller,
        project_id: ProjectId,
        publication_id: PublicationId,
        actor: Actor,
        move: FromDishka[MovePublication],
    ) -> PublicationBody:
        return PublicationBody.from_domain(await move(actor, project_id, publication_id, which))

    route.__name__ = route.__qualname__ = which.value  # the operation id ends with it
    path = f"/{{publication_id:uuid}}/{which.value}"
    return post(path, status_code=200, summary=summary, description=_MOVES, responses=_WRITE)(route)


class PublicationController(Controller):
    security = REQUIRES_BEARER
    path = "/projects/{project_id:uuid}/publications"
    tags = ("publications",)

    @post("/", status_code=201, summary="Draft a publication (members and above)", responses=_WRITE)
    async def create(
        self, project_id: ProjectId, data: PublicationCreate, actor: Actor, create: FromDishka[CreatePublication]
    ) -> PublicationBody:
        return PublicationBody.from_domain(await create(actor, project_id, data.to_domain()))

    @post(
        "/drafts",
        status_code=202,
        summary="Have an agent task draft a publication from the knowledge graph (members and above)",
        description=_DRAFTING,
        responses=_DRAFT,
    )
    async def draft(
        self, project_id: ProjectId, data: DraftCreate, actor: Actor, draft: FromDishka[DraftFromGraph]
    ) -> DraftingBody:
        return DraftingBody.from_domain(await draft(actor, project_id, data.to_domain()))

    @get("/", summary="List a project's publications, newest first (viewers and above)", responses=_LIST)
    async def list_publications(
        self,
        project_id: ProjectId,
        actor: Actor,
        list_publications: FromDishka[ListPublications],
        status: Annotated[PublicationStatus | None, QueryParameter(description="Only in this status")] = None,
        category: Label = None,
        tag: Label = None,
        entity_id: Annotated[UUID | None, QueryParameter(description="Only those linked to this entity")] = None,
        task_id: Annotated[UUID | None, QueryParameter(description="Only the draft this agent task wrote")] = None,
        q: Annotated[str | None, QueryParameter(description="Each word in the title or body", max_length=200)] = None,
        cursor: Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=LIST_LIMIT_MAX)] = 50,
    ) -> PublicationPageBody:
        refuse_nul({"q": q, "category": category, "tag": tag})
        query = PublicationQuery(
            project_id,
            status=status,
            category=category and category.strip().lower(),
            tag=tag and tag.strip().lower(),
            entity_id=entity_id,
            task_id=task_id,
            text=q,
            limit=limit,
        )
        page = await list_publications(actor, query, cursor)
        return PublicationPageBody(
            publications=[PublicationBody.from_domain(p) for p in page.publications], next_cursor=page.next_cursor
        )

    @get("/{publication_id:uuid}", summary="A publication with its history", responses=_READ)
    async def get_publication(
        self, project_id: ProjectId, publication_id: PublicationId, actor: Actor, get_: FromDishka[GetPublication]
    ) -> PublicationBody:
        return PublicationBody.from_domain(await get_(actor, project_id, publication_id))

    @patch(
        "/{publication_id:uuid}",
        summary="Edit a draft or a publication in review (members and above); only what is sent changes",
        responses=_WRITE,
    )
    async def edit(
        self,
        project_id: ProjectId,
        publication_id: PublicationId,
        data: PublicationUpdate,
        actor: Actor,
        edit: FromDishka[EditPublication],
    ) -> PublicationBody:
        return PublicationBody.from_domain(await edit(actor, project_id, publication_id, data.to_domain()))

    @delete("/{publication_id:uuid}", summary="Delete a publication (maintainers and owners)", responses=_WRITE)
    async def destroy(
        self, project_id: ProjectId, publication_id: PublicationId, actor: Actor, delete_: FromDishka[DeletePublication]
    ) -> None:
        await delete_(actor, project_id, publication_id)

    submit = _move_route(Move.SUBMIT, "Submit for review")
    withdraw = _move_route(Move.WITHDRAW, "Back to draft from review")
    publish = _move_route(Move.PUBLISH, "Publish")
    archive = _move_route(Move.ARCHIVE, "Archive")
    unpublish = _move_route(Move.UNPUBLISH, "Back to draft from published or archived")

    @get(
        "/{publication_id:uuid}/engagement",
        summary="Views and reactions per day and in total (members and above)",
        description=f"`from` and `to`: days (UTC), both included, at most {RANGE_MAX_DAYS} days apart; by default "
        "the 30 days up to today.",
        responses=problem_responses(
            400, 401, 403, 404, 422, when={422: f"`to` is before `from` or more than {RANGE_MAX_DAYS} days after it"}
        ),
    )
    async def engagement(
        self,
        project_id: ProjectId,
        publication_id: PublicationId,
        actor: Actor,
        get_engagement: FromDishka[GetEngagement],
        from_: Annotated[date | None, QueryParameter(query="from", description="First day (UTC)")] = None,
        to: Annotated[date | None, QueryParameter(description="Last day (UTC)")] = None,
    ) -> EngagementBody:
        return EngagementBody.from_domain(await get_engagement(actor, project_id, publication_id, from_, to))
