from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.agent_tools_body import AgentToolsBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    project_id: UUID | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_project_id: str | Unset = UNSET
    if not isinstance(project_id, Unset):
        json_project_id = str(project_id)
    params["project_id"] = json_project_id


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/agent/tools",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AgentToolsBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = AgentToolsBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AgentToolsBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    project_id: UUID | Unset = UNSET,

) -> Response[AgentToolsBody | Problem | RateLimitProblem]:
    """ The tools each runner offers, and which of them a project allows

     Claude Code's tools are read from the system/init event its CLI prints at the start of a run, asked
    once per CLI version; the other runners have fixed lists.

    Args:
        project_id (UUID | Unset): A project you may read: also which tools it allows

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentToolsBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    project_id: UUID | Unset = UNSET,

) -> AgentToolsBody | Problem | RateLimitProblem | None:
    """ The tools each runner offers, and which of them a project allows

     Claude Code's tools are read from the system/init event its CLI prints at the start of a run, asked
    once per CLI version; the other runners have fixed lists.

    Args:
        project_id (UUID | Unset): A project you may read: also which tools it allows

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentToolsBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        client=client,
project_id=project_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    project_id: UUID | Unset = UNSET,

) -> Response[AgentToolsBody | Problem | RateLimitProblem]:
    """ The tools each runner offers, and which of them a project allows

     Claude Code's tools are read from the system/init event its CLI prints at the start of a run, asked
    once per CLI version; the other runners have fixed lists.

    Args:
        project_id (UUID | Unset): A project you may read: also which tools it allows

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentToolsBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    project_id: UUID | Unset = UNSET,

) -> AgentToolsBody | Problem | RateLimitProblem | None:
    """ The tools each runner offers, and which of them a project allows

     Claude Code's tools are read from the system/init event its CLI prints at the start of a run, asked
    once per CLI version; the other runners have fixed lists.

    Args:
        project_id (UUID | Unset): A project you may read: also which tools it allows

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentToolsBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        client=client,
project_id=project_id,

    )).parsed
