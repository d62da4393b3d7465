from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.public_send import PublicSend
from ...models.rate_limit_problem import RateLimitProblem
from ...models.turn_accepted import TurnAccepted
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    *,
    body: PublicSend,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/public/projects/{project_id}/chat".format(project_id=quote(str(project_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateLimitProblem | TurnAccepted | None:
    if response.status_code == 202:
        response_202 = TurnAccepted.from_dict(response.json())



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
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RateLimitProblem | TurnAccepted]:
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
    body: PublicSend,

) -> Response[Problem | RateLimitProblem | TurnAccepted]:
    """ Send a message as a visitor: a new session (no session_id) or the next turn of one

     Needs the visitor's cookie and its X-CSRF-Token. Answers at once; the reply streams over the
    session's events. Turns run on the public chat's runner, with its tools only. A 429 /problems/rate-
    limited names the public chat limit reached in `limit` (chat-minute, chat-day, chat-tokens, chat-
    daily-cost), with the RateLimit headers and Retry-After. A browser may chat over the visitor's
    WebSocket instead: /api/v1/public/projects/{project_id}/chat/ws, with the cookie, its CSRF token as
    the first message (`{"type": "auth", "csrf_token": …}`) and this service's own Origin (README
    "Public chat").

    Args:
        project_id (UUID): The project whose public chat this is
        body (PublicSend): A visitor's message: a new session (no session_id) or the next turn of
            one of its own. It runs on
                the public chat's runner with its tools; a visitor chooses no options.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | TurnAccepted]
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
    client: AuthenticatedClient | Client,
    body: PublicSend,

) -> Problem | RateLimitProblem | TurnAccepted | None:
    """ Send a message as a visitor: a new session (no session_id) or the next turn of one

     Needs the visitor's cookie and its X-CSRF-Token. Answers at once; the reply streams over the
    session's events. Turns run on the public chat's runner, with its tools only. A 429 /problems/rate-
    limited names the public chat limit reached in `limit` (chat-minute, chat-day, chat-tokens, chat-
    daily-cost), with the RateLimit headers and Retry-After. A browser may chat over the visitor's
    WebSocket instead: /api/v1/public/projects/{project_id}/chat/ws, with the cookie, its CSRF token as
    the first message (`{"type": "auth", "csrf_token": …}`) and this service's own Origin (README
    "Public chat").

    Args:
        project_id (UUID): The project whose public chat this is
        body (PublicSend): A visitor's message: a new session (no session_id) or the next turn of
            one of its own. It runs on
                the public chat's runner with its tools; a visitor chooses no options.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | TurnAccepted
     """


    return sync_detailed(
        project_id=project_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: PublicSend,

) -> Response[Problem | RateLimitProblem | TurnAccepted]:
    """ Send a message as a visitor: a new session (no session_id) or the next turn of one

     Needs the visitor's cookie and its X-CSRF-Token. Answers at once; the reply streams over the
    session's events. Turns run on the public chat's runner, with its tools only. A 429 /problems/rate-
    limited names the public chat limit reached in `limit` (chat-minute, chat-day, chat-tokens, chat-
    daily-cost), with the RateLimit headers and Retry-After. A browser may chat over the visitor's
    WebSocket instead: /api/v1/public/projects/{project_id}/chat/ws, with the cookie, its CSRF token as
    the first message (`{"type": "auth", "csrf_token": …}`) and this service's own Origin (README
    "Public chat").

    Args:
        project_id (UUID): The project whose public chat this is
        body (PublicSend): A visitor's message: a new session (no session_id) or the next turn of
            one of its own. It runs on
                the public chat's runner with its tools; a visitor chooses no options.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | TurnAccepted]
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
    client: AuthenticatedClient | Client,
    body: PublicSend,

) -> Problem | RateLimitProblem | TurnAccepted | None:
    """ Send a message as a visitor: a new session (no session_id) or the next turn of one

     Needs the visitor's cookie and its X-CSRF-Token. Answers at once; the reply streams over the
    session's events. Turns run on the public chat's runner, with its tools only. A 429 /problems/rate-
    limited names the public chat limit reached in `limit` (chat-minute, chat-day, chat-tokens, chat-
    daily-cost), with the RateLimit headers and Retry-After. A browser may chat over the visitor's
    WebSocket instead: /api/v1/public/projects/{project_id}/chat/ws, with the cookie, its CSRF token as
    the first message (`{"type": "auth", "csrf_token": …}`) and this service's own Origin (README
    "Public chat").

    Args:
        project_id (UUID): The project whose public chat this is
        body (PublicSend): A visitor's message: a new session (no session_id) or the next turn of
            one of its own. It runs on
                the public chat's runner with its tools; a visitor chooses no options.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | TurnAccepted
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,
body=body,

    )).parsed
