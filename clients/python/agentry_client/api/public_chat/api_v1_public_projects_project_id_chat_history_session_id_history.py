from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.history_body import HistoryBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    session_id: UUID,
    *,
    after: int | Unset = 0,
    limit: int | Unset = 50,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/public/projects/{project_id}/chat/history/{session_id}".format(project_id=quote(str(project_id), safe=""),session_id=quote(str(session_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> HistoryBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = HistoryBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[HistoryBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    after: int | Unset = 0,
    limit: int | Unset = 50,

) -> Response[HistoryBody | Problem | RateLimitProblem]:
    """ A visitor's session: its messages in order

    Args:
        project_id (UUID): The project whose public chat this is
        session_id (UUID): The chat session's id
        after (int | Unset): the next_after of the page before (a turn) Default: 0.
        limit (int | Unset): turns (two messages each) Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HistoryBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
session_id=session_id,
after=after,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    after: int | Unset = 0,
    limit: int | Unset = 50,

) -> HistoryBody | Problem | RateLimitProblem | None:
    """ A visitor's session: its messages in order

    Args:
        project_id (UUID): The project whose public chat this is
        session_id (UUID): The chat session's id
        after (int | Unset): the next_after of the page before (a turn) Default: 0.
        limit (int | Unset): turns (two messages each) Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HistoryBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
session_id=session_id,
client=client,
after=after,
limit=limit,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    after: int | Unset = 0,
    limit: int | Unset = 50,

) -> Response[HistoryBody | Problem | RateLimitProblem]:
    """ A visitor's session: its messages in order

    Args:
        project_id (UUID): The project whose public chat this is
        session_id (UUID): The chat session's id
        after (int | Unset): the next_after of the page before (a turn) Default: 0.
        limit (int | Unset): turns (two messages each) Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HistoryBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
session_id=session_id,
after=after,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    after: int | Unset = 0,
    limit: int | Unset = 50,

) -> HistoryBody | Problem | RateLimitProblem | None:
    """ A visitor's session: its messages in order

    Args:
        project_id (UUID): The project whose public chat this is
        session_id (UUID): The chat session's id
        after (int | Unset): the next_after of the page before (a turn) Default: 0.
        limit (int | Unset): turns (two messages each) Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HistoryBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
session_id=session_id,
client=client,
after=after,
limit=limit,

    )).parsed
