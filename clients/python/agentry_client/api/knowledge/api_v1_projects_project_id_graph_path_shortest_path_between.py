from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.path_body import PathBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    *,
    from_: UUID,
    to: UUID,
    max_depth: int | Unset = 6,
    include_candidates: bool | Unset = False,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_from_ = str(from_)
    params["from"] = json_from_

    json_to = str(to)
    params["to"] = json_to

    params["max_depth"] = max_depth

    params["include_candidates"] = include_candidates


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/projects/{project_id}/graph/path".format(project_id=quote(str(project_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PathBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = PathBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PathBody | Problem | RateLimitProblem]:
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
    from_: UUID,
    to: UUID,
    max_depth: int | Unset = 6,
    include_candidates: bool | Unset = False,

) -> Response[PathBody | Problem | RateLimitProblem]:
    """ The shortest path between two entities

    Args:
        project_id (UUID): The project's id
        from_ (UUID): The entity to start from
        to (UUID): The entity to reach
        max_depth (int | Unset):  Default: 6.
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PathBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
from_=from_,
to=to,
max_depth=max_depth,
include_candidates=include_candidates,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: UUID,
    to: UUID,
    max_depth: int | Unset = 6,
    include_candidates: bool | Unset = False,

) -> PathBody | Problem | RateLimitProblem | None:
    """ The shortest path between two entities

    Args:
        project_id (UUID): The project's id
        from_ (UUID): The entity to start from
        to (UUID): The entity to reach
        max_depth (int | Unset):  Default: 6.
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PathBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
client=client,
from_=from_,
to=to,
max_depth=max_depth,
include_candidates=include_candidates,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: UUID,
    to: UUID,
    max_depth: int | Unset = 6,
    include_candidates: bool | Unset = False,

) -> Response[PathBody | Problem | RateLimitProblem]:
    """ The shortest path between two entities

    Args:
        project_id (UUID): The project's id
        from_ (UUID): The entity to start from
        to (UUID): The entity to reach
        max_depth (int | Unset):  Default: 6.
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PathBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
from_=from_,
to=to,
max_depth=max_depth,
include_candidates=include_candidates,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: UUID,
    to: UUID,
    max_depth: int | Unset = 6,
    include_candidates: bool | Unset = False,

) -> PathBody | Problem | RateLimitProblem | None:
    """ The shortest path between two entities

    Args:
        project_id (UUID): The project's id
        from_ (UUID): The entity to start from
        to (UUID): The entity to reach
        max_depth (int | Unset):  Default: 6.
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PathBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,
from_=from_,
to=to,
max_depth=max_depth,
include_candidates=include_candidates,

    )).parsed
