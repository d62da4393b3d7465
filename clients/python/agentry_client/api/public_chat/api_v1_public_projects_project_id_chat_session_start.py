from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.visitor_body import VisitorBody
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/public/projects/{project_id}/chat/session".format(project_id=quote(str(project_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateLimitProblem | VisitorBody | None:
    if response.status_code == 201:
        response_201 = VisitorBody.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RateLimitProblem | VisitorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Problem | RateLimitProblem | VisitorBody]:
    """ Start (or resume) a visitor's chat session: sets its cookie, gives its CSRF token

     Sets the `agentry_chat` cookie (Secure, HttpOnly, SameSite=Strict, signed, expiring after
    AGENTRY_ANON_CHAT_TTL_S). A current cookie of this project is kept (the same visitor, its token
    again).

    Args:
        project_id (UUID): The project whose public chat this is

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | VisitorBody]
     """


    kwargs = _get_kwargs(
        project_id=project_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Problem | RateLimitProblem | VisitorBody | None:
    """ Start (or resume) a visitor's chat session: sets its cookie, gives its CSRF token

     Sets the `agentry_chat` cookie (Secure, HttpOnly, SameSite=Strict, signed, expiring after
    AGENTRY_ANON_CHAT_TTL_S). A current cookie of this project is kept (the same visitor, its token
    again).

    Args:
        project_id (UUID): The project whose public chat this is

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | VisitorBody
     """


    return sync_detailed(
        project_id=project_id,
client=client,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Problem | RateLimitProblem | VisitorBody]:
    """ Start (or resume) a visitor's chat session: sets its cookie, gives its CSRF token

     Sets the `agentry_chat` cookie (Secure, HttpOnly, SameSite=Strict, signed, expiring after
    AGENTRY_ANON_CHAT_TTL_S). A current cookie of this project is kept (the same visitor, its token
    again).

    Args:
        project_id (UUID): The project whose public chat this is

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | VisitorBody]
     """


    kwargs = _get_kwargs(
        project_id=project_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Problem | RateLimitProblem | VisitorBody | None:
    """ Start (or resume) a visitor's chat session: sets its cookie, gives its CSRF token

     Sets the `agentry_chat` cookie (Secure, HttpOnly, SameSite=Strict, signed, expiring after
    AGENTRY_ANON_CHAT_TTL_S). A current cookie of this project is kept (the same visitor, its token
    again).

    Args:
        project_id (UUID): The project whose public chat this is

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | VisitorBody
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,

    )).parsed
