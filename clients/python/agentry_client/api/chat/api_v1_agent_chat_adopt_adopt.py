from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.adopted_body import AdoptedBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent/chat/adopt",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AdoptedBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = AdoptedBody.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AdoptedBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[AdoptedBody | Problem | RateLimitProblem]:
    """ Adopt the chats of the public chat visitor whose cookie I hold

     With the `agentry_chat` cookie and its X-CSRF-Token header (after signing up or logging in in the
    browser that chatted): the visitor's sessions, their turns and tasks become mine, and the visitor
    ends (the answer deletes the cookie; it reaches nothing any more). The sessions stay in the public
    chat's project, where their workspace is: I list, read, rename, archive and delete them; sending
    into one takes the right to submit tasks in that project (403 otherwise).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdoptedBody | Problem | RateLimitProblem]
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

) -> AdoptedBody | Problem | RateLimitProblem | None:
    """ Adopt the chats of the public chat visitor whose cookie I hold

     With the `agentry_chat` cookie and its X-CSRF-Token header (after signing up or logging in in the
    browser that chatted): the visitor's sessions, their turns and tasks become mine, and the visitor
    ends (the answer deletes the cookie; it reaches nothing any more). The sessions stay in the public
    chat's project, where their workspace is: I list, read, rename, archive and delete them; sending
    into one takes the right to submit tasks in that project (403 otherwise).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdoptedBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[AdoptedBody | Problem | RateLimitProblem]:
    """ Adopt the chats of the public chat visitor whose cookie I hold

     With the `agentry_chat` cookie and its X-CSRF-Token header (after signing up or logging in in the
    browser that chatted): the visitor's sessions, their turns and tasks become mine, and the visitor
    ends (the answer deletes the cookie; it reaches nothing any more). The sessions stay in the public
    chat's project, where their workspace is: I list, read, rename, archive and delete them; sending
    into one takes the right to submit tasks in that project (403 otherwise).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdoptedBody | Problem | RateLimitProblem]
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

) -> AdoptedBody | Problem | RateLimitProblem | None:
    """ Adopt the chats of the public chat visitor whose cookie I hold

     With the `agentry_chat` cookie and its X-CSRF-Token header (after signing up or logging in in the
    browser that chatted): the visitor's sessions, their turns and tasks become mine, and the visitor
    ends (the answer deletes the cookie; it reaches nothing any more). The sessions stay in the public
    chat's project, where their workspace is: I list, read, rename, archive and delete them; sending
    into one takes the right to submit tasks in that project (403 otherwise).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdoptedBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
