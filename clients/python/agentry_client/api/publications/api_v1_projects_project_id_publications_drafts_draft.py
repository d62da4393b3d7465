from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.budget_problem import BudgetProblem
from ...models.draft_create import DraftCreate
from ...models.drafting_body import DraftingBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.waiting_limit_problem import WaitingLimitProblem
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    *,
    body: DraftCreate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/projects/{project_id}/publications/drafts".format(project_id=quote(str(project_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem | None:
    if response.status_code == 202:
        response_202 = DraftingBody.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = BudgetProblem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        def _parse_response_429(data: object) -> RateLimitProblem | WaitingLimitProblem:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_429_type_0 = RateLimitProblem.from_dict(data)



                return response_429_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_429_type_1 = WaitingLimitProblem.from_dict(data)



            return response_429_type_1

        response_429 = _parse_response_429(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DraftCreate,

) -> Response[BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem]:
    """ Have an agent task draft a publication from the knowledge graph (members and above)

     An agent task (a task of the project, queued, budgeted and cancellable like any) is asked to
    summarise what the knowledge graph says about the entity: its prompt lists the facts of the entity's
    neighbourhood to `depth`, each with numbered sources (document title, chunk, quoted span), and asks
    for Markdown citing them as [n]. When the task succeeds its answer becomes a draft publication by
    the task's owner, linked to those entities, whose `citations` map each number used to its source; a
    number the task was not given is dropped and a note in the body says so. Find the draft with GET
    …/publications?task_id=<task id>.

    Args:
        project_id (UUID): The project's id
        body (DraftCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DraftCreate,

) -> BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem | None:
    """ Have an agent task draft a publication from the knowledge graph (members and above)

     An agent task (a task of the project, queued, budgeted and cancellable like any) is asked to
    summarise what the knowledge graph says about the entity: its prompt lists the facts of the entity's
    neighbourhood to `depth`, each with numbered sources (document title, chunk, quoted span), and asks
    for Markdown citing them as [n]. When the task succeeds its answer becomes a draft publication by
    the task's owner, linked to those entities, whose `citations` map each number used to its source; a
    number the task was not given is dropped and a note in the body says so. Find the draft with GET
    …/publications?task_id=<task id>.

    Args:
        project_id (UUID): The project's id
        body (DraftCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DraftCreate,

) -> Response[BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem]:
    """ Have an agent task draft a publication from the knowledge graph (members and above)

     An agent task (a task of the project, queued, budgeted and cancellable like any) is asked to
    summarise what the knowledge graph says about the entity: its prompt lists the facts of the entity's
    neighbourhood to `depth`, each with numbered sources (document title, chunk, quoted span), and asks
    for Markdown citing them as [n]. When the task succeeds its answer becomes a draft publication by
    the task's owner, linked to those entities, whose `citations` map each number used to its source; a
    number the task was not given is dropped and a note in the body says so. Find the draft with GET
    …/publications?task_id=<task id>.

    Args:
        project_id (UUID): The project's id
        body (DraftCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DraftCreate,

) -> BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem | None:
    """ Have an agent task draft a publication from the knowledge graph (members and above)

     An agent task (a task of the project, queued, budgeted and cancellable like any) is asked to
    summarise what the knowledge graph says about the entity: its prompt lists the facts of the entity's
    neighbourhood to `depth`, each with numbered sources (document title, chunk, quoted span), and asks
    for Markdown citing them as [n]. When the task succeeds its answer becomes a draft publication by
    the task's owner, linked to those entities, whose `citations` map each number used to its source; a
    number the task was not given is dropped and a note in the body says so. Find the draft with GET
    …/publications?task_id=<task id>.

    Args:
        project_id (UUID): The project's id
        body (DraftCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetProblem | DraftingBody | Problem | RateLimitProblem | WaitingLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,
body=body,

    )).parsed
