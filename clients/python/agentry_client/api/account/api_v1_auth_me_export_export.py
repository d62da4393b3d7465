from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.account_export_body import AccountExportBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/auth/me/export",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccountExportBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = AccountExportBody.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AccountExportBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[AccountExportBody | Problem | RateLimitProblem]:
    """ Everything kept about you, as one JSON document

     Your account, project memberships, login sessions, personal API tokens (never their secrets), the
    tasks you submitted in projects you can still read, each with its executions, log and result, your
    chat sessions, and what you authored there in the knowledge capability: the documents you uploaded
    (with their text), the publications you authored (with their status history) and your corrections of
    the knowledge graphs. Streamed as it is read; `format_version` says which shape it has.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountExportBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,

) -> AccountExportBody | Problem | RateLimitProblem | None:
    """ Everything kept about you, as one JSON document

     Your account, project memberships, login sessions, personal API tokens (never their secrets), the
    tasks you submitted in projects you can still read, each with its executions, log and result, your
    chat sessions, and what you authored there in the knowledge capability: the documents you uploaded
    (with their text), the publications you authored (with their status history) and your corrections of
    the knowledge graphs. Streamed as it is read; `format_version` says which shape it has.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountExportBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[AccountExportBody | Problem | RateLimitProblem]:
    """ Everything kept about you, as one JSON document

     Your account, project memberships, login sessions, personal API tokens (never their secrets), the
    tasks you submitted in projects you can still read, each with its executions, log and result, your
    chat sessions, and what you authored there in the knowledge capability: the documents you uploaded
    (with their text), the publications you authored (with their status history) and your corrections of
    the knowledge graphs. Streamed as it is read; `format_version` says which shape it has.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountExportBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        
    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,

) -> AccountExportBody | Problem | RateLimitProblem | None:
    """ Everything kept about you, as one JSON document

     Your account, project memberships, login sessions, personal API tokens (never their secrets), the
    tasks you submitted in projects you can still read, each with its executions, log and result, your
    chat sessions, and what you authored there in the knowledge capability: the documents you uploaded
    (with their text), the publications you authored (with their status history) and your corrections of
    the knowledge graphs. Streamed as it is read; `format_version` says which shape it has.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountExportBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
