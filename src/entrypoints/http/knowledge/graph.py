"""/api/v1/projects/{id}/graph: the shortest path between two entities and the subgraph around a text."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from agentry.application.knowledge.queries import DEPTH_MAX, PATH_DEPTH_MAX, ShortestPath, SubgraphAround
from agentry.domain.knowledge.values import NAME_MAX
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import refuse_nul
from agentry.entrypoints.http.knowledge.schemas import PathBody, SubgraphBody

Actor = NamedDependency[Principal]
ProjectId = Annotated[UUID, PathParameter(description="The project's id")]
Candidates = Annotated[bool, QueryParameter(description="Also facts under the project's confidence threshold")]
_READ = problem_responses(400, 401, 404, 422)


class GraphController(Controller):
    security = REQUIRES_BEARER
    path = "/projects"
    tags = ("knowledge",)

    @get("/{project_id:uuid}/graph/path", summary="The shortest path between two entities", responses=_READ)
    async def shortest_path_between(
        self,
        project_id: ProjectId,
        actor: Actor,
        shortest_path: FromDishka[ShortestPath],
        from_: Annotated[UUID, QueryParameter(query="from", description="The entity to start from")],
        to: Annotated[UUID, QueryParameter(description="The entity to reach")],
        max_depth: Annotated[int, QueryParameter(ge=1, le=PATH_DEPTH_MAX)] = PATH_DEPTH_MAX,
        include_candidates: Candidates = False,
    ) -> PathBody:
        return PathBody.from_domain(await shortest_path(actor, project_id, from_, to, max_depth, include_candidates))

    @get(
        "/{project_id:uuid}/graph/subgraph",
        summary="The entities whose name or alias holds a text, and their neighbourhood",
        responses=_READ,
    )
    async def subgraph(
        self,
        project_id: ProjectId,
        actor: Actor,
        around: FromDishka[SubgraphAround],
        q: Annotated[str, QueryParameter(description="A part of a name or alias", min_length=1, max_length=NAME_MAX)],
        depth: Annotated[int, QueryParameter(ge=1, le=DEPTH_MAX)] = 1,
        include_candidates: Candidates = False,
    ) -> SubgraphBody:
        refuse_nul({"q": q})
        return SubgraphBody.from_domain(await around(actor, project_id, q, depth, include_candidates))
