from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.login_body import LoginBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.token_pair_body import TokenPairBody
from typing import cast



def _get_kwargs(
    *,
    body: LoginBody,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/login",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateLimitProblem | TokenPairBody | None:
    if response.status_code == 200:
        response_200 = TokenPairBody.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RateLimitProblem | TokenPairBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginBody,

) -> Response[Problem | RateLimitProblem | TokenPairBody]:
    """ Log in with email and password

     After 5 failed logins to an account from one address, each further failure doubles the wait before
    the next attempt from there is looked at (1 s, 2 s, 4 s ... at most 15 min); a 429 with Retry-After
    says how long. A success clears the count.

    Args:
        body (LoginBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | TokenPairBody]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: LoginBody,

) -> Problem | RateLimitProblem | TokenPairBody | None:
    """ Log in with email and password

     After 5 failed logins to an account from one address, each further failure doubles the wait before
    the next attempt from there is looked at (1 s, 2 s, 4 s ... at most 15 min); a 429 with Retry-After
    says how long. A success clears the count.

    Args:
        body (LoginBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | TokenPairBody
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginBody,

) -> Response[Problem | RateLimitProblem | TokenPairBody]:
    """ Log in with email and password

     After 5 failed logins to an account from one address, each further failure doubles the wait before
    the next attempt from there is looked at (1 s, 2 s, 4 s ... at most 15 min); a 429 with Retry-After
    says how long. A success clears the count.

    Args:
        body (LoginBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | TokenPairBody]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginBody,

) -> Problem | RateLimitProblem | TokenPairBody | None:
    """ Log in with email and password

     After 5 failed logins to an account from one address, each further failure doubles the wait before
    the next attempt from there is looked at (1 s, 2 s, 4 s ... at most 15 min); a 429 with Retry-After
    says how long. A success clears the count.

    Args:
        body (LoginBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | TokenPairBody
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
