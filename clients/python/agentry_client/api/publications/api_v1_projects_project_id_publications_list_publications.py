from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.publication_page_body import PublicationPageBody
from ...models.publication_status import PublicationStatus
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    *,
    status: PublicationStatus | Unset = UNSET,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    task_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["category"] = category

    params["tag"] = tag

    json_entity_id: str | Unset = UNSET
    if not isinstance(entity_id, Unset):
        json_entity_id = str(entity_id)
    params["entity_id"] = json_entity_id

    json_task_id: str | Unset = UNSET
    if not isinstance(task_id, Unset):
        json_task_id = str(task_id)
    params["task_id"] = json_task_id

    params["q"] = q

    params["cursor"] = cursor

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/projects/{project_id}/publications".format(project_id=quote(str(project_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PublicationPageBody | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = PublicationPageBody.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = RateLimitProblem.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | PublicationPageBody | RateLimitProblem]:
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
    status: PublicationStatus | Unset = UNSET,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    task_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Response[Problem | PublicationPageBody | RateLimitProblem]:
    """ List a project's publications, newest first (viewers and above)

    Args:
        project_id (UUID): The project's id
        status (PublicationStatus | Unset):
        category (str | Unset):
        tag (str | Unset):
        entity_id (UUID | Unset): Only those linked to this entity
        task_id (UUID | Unset): Only the draft this agent task wrote
        q (str | Unset): Each word in the title or body
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PublicationPageBody | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
status=status,
category=category,
tag=tag,
entity_id=entity_id,
task_id=task_id,
q=q,
cursor=cursor,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    status: PublicationStatus | Unset = UNSET,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    task_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Problem | PublicationPageBody | RateLimitProblem | None:
    """ List a project's publications, newest first (viewers and above)

    Args:
        project_id (UUID): The project's id
        status (PublicationStatus | Unset):
        category (str | Unset):
        tag (str | Unset):
        entity_id (UUID | Unset): Only those linked to this entity
        task_id (UUID | Unset): Only the draft this agent task wrote
        q (str | Unset): Each word in the title or body
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PublicationPageBody | RateLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
client=client,
status=status,
category=category,
tag=tag,
entity_id=entity_id,
task_id=task_id,
q=q,
cursor=cursor,
limit=limit,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    status: PublicationStatus | Unset = UNSET,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    task_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Response[Problem | PublicationPageBody | RateLimitProblem]:
    """ List a project's publications, newest first (viewers and above)

    Args:
        project_id (UUID): The project's id
        status (PublicationStatus | Unset):
        category (str | Unset):
        tag (str | Unset):
        entity_id (UUID | Unset): Only those linked to this entity
        task_id (UUID | Unset): Only the draft this agent task wrote
        q (str | Unset): Each word in the title or body
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PublicationPageBody | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
status=status,
category=category,
tag=tag,
entity_id=entity_id,
task_id=task_id,
q=q,
cursor=cursor,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    status: PublicationStatus | Unset = UNSET,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    task_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Problem | PublicationPageBody | RateLimitProblem | None:
    """ List a project's publications, newest first (viewers and above)

    Args:
        project_id (UUID): The project's id
        status (PublicationStatus | Unset):
        category (str | Unset):
        tag (str | Unset):
        entity_id (UUID | Unset): Only those linked to this entity
        task_id (UUID | Unset): Only the draft this agent task wrote
        q (str | Unset): Each word in the title or body
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PublicationPageBody | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,
status=status,
category=category,
tag=tag,
entity_id=entity_id,
task_id=task_id,
q=q,
cursor=cursor,
limit=limit,

    )).parsed
