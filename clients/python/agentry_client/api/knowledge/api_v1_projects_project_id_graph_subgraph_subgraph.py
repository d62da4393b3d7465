from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.subgraph_body import SubgraphBody
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    *,
    q: str,
    depth: int | Unset = 1,
    include_candidates: bool | Unset = False,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["q"] = q

    params["depth"] = depth

    params["include_candidates"] = include_candidates


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/projects/{project_id}/graph/subgraph".format(project_id=quote(str(project_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateLimitProblem | SubgraphBody | None:
    if response.status_code == 200:
        response_200 = SubgraphBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RateLimitProblem | SubgraphBody]:
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
    q: str,
    depth: int | Unset = 1,
    include_candidates: bool | Unset = False,

) -> Response[Problem | RateLimitProblem | SubgraphBody]:
    """ The entities whose name or alias holds a text, and their neighbourhood

    Args:
        project_id (UUID): The project's id
        q (str): A part of a name or alias
        depth (int | Unset):  Default: 1.
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | SubgraphBody]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
q=q,
depth=depth,
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
    q: str,
    depth: int | Unset = 1,
    include_candidates: bool | Unset = False,

) -> Problem | RateLimitProblem | SubgraphBody | None:
    """ The entities whose name or alias holds a text, and their neighbourhood

    Args:
        project_id (UUID): The project's id
        q (str): A part of a name or alias
        depth (int | Unset):  Default: 1.
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | SubgraphBody
     """


    return sync_detailed(
        project_id=project_id,
client=client,
q=q,
depth=depth,
include_candidates=include_candidates,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    q: str,
    depth: int | Unset = 1,
    include_candidates: bool | Unset = False,

) -> Response[Problem | RateLimitProblem | SubgraphBody]:
    """ The entities whose name or alias holds a text, and their neighbourhood

    Args:
        project_id (UUID): The project's id
        q (str): A part of a name or alias
        depth (int | Unset):  Default: 1.
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | SubgraphBody]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
q=q,
depth=depth,
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
    q: str,
    depth: int | Unset = 1,
    include_candidates: bool | Unset = False,

) -> Problem | RateLimitProblem | SubgraphBody | None:
    """ The entities whose name or alias holds a text, and their neighbourhood

    Args:
        project_id (UUID): The project's id
        q (str): A part of a name or alias
        depth (int | Unset):  Default: 1.
        include_candidates (bool | Unset): Also facts under the project's confidence threshold
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | SubgraphBody
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,
q=q,
depth=depth,
include_candidates=include_candidates,

    )).parsed
