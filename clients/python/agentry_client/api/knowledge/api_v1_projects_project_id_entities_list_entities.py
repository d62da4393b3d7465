from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.entity_page_body import EntityPageBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    *,
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    include_candidates: bool | Unset = False,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["q"] = q

    params["type"] = type_

    params["include_candidates"] = include_candidates

    params["cursor"] = cursor

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/projects/{project_id}/entities".format(project_id=quote(str(project_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EntityPageBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = EntityPageBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EntityPageBody | Problem | RateLimitProblem]:
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
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    include_candidates: bool | Unset = False,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Response[EntityPageBody | Problem | RateLimitProblem]:
    """ Search a project's entities by name or alias and type, newest first

    Args:
        project_id (UUID): The project's id
        q (str | Unset): A part of a name or alias (case aside)
        type_ (str | Unset): Only of this type
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityPageBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
q=q,
type_=type_,
include_candidates=include_candidates,
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
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    include_candidates: bool | Unset = False,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> EntityPageBody | Problem | RateLimitProblem | None:
    """ Search a project's entities by name or alias and type, newest first

    Args:
        project_id (UUID): The project's id
        q (str | Unset): A part of a name or alias (case aside)
        type_ (str | Unset): Only of this type
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityPageBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
client=client,
q=q,
type_=type_,
include_candidates=include_candidates,
cursor=cursor,
limit=limit,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    include_candidates: bool | Unset = False,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Response[EntityPageBody | Problem | RateLimitProblem]:
    """ Search a project's entities by name or alias and type, newest first

    Args:
        project_id (UUID): The project's id
        q (str | Unset): A part of a name or alias (case aside)
        type_ (str | Unset): Only of this type
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityPageBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
q=q,
type_=type_,
include_candidates=include_candidates,
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
    q: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    include_candidates: bool | Unset = False,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> EntityPageBody | Problem | RateLimitProblem | None:
    """ Search a project's entities by name or alias and type, newest first

    Args:
        project_id (UUID): The project's id
        q (str | Unset): A part of a name or alias (case aside)
        type_ (str | Unset): Only of this type
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityPageBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,
q=q,
type_=type_,
include_candidates=include_candidates,
cursor=cursor,
limit=limit,

    )).parsed
