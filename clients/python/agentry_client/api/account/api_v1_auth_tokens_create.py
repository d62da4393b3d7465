from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_token_create import ApiTokenCreate
from ...models.new_api_token_body import NewApiTokenBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from typing import cast



def _get_kwargs(
    *,
    body: ApiTokenCreate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/tokens",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NewApiTokenBody | Problem | RateLimitProblem | None:
    if response.status_code == 201:
        response_201 = NewApiTokenBody.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NewApiTokenBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ApiTokenCreate,

) -> Response[NewApiTokenBody | Problem | RateLimitProblem]:
    """ Create a personal API token

     The answer holds the secret (`token`), the only time it is shown. The token acts with your rights
    until it expires or is revoked. Needs a login session (an API token cannot create another); at most
    50 usable tokens at once (a 409 beyond).

    Args:
        body (ApiTokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NewApiTokenBody | Problem | RateLimitProblem]
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
    client: AuthenticatedClient,
    body: ApiTokenCreate,

) -> NewApiTokenBody | Problem | RateLimitProblem | None:
    """ Create a personal API token

     The answer holds the secret (`token`), the only time it is shown. The token acts with your rights
    until it expires or is revoked. Needs a login session (an API token cannot create another); at most
    50 usable tokens at once (a 409 beyond).

    Args:
        body (ApiTokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NewApiTokenBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ApiTokenCreate,

) -> Response[NewApiTokenBody | Problem | RateLimitProblem]:
    """ Create a personal API token

     The answer holds the secret (`token`), the only time it is shown. The token acts with your rights
    until it expires or is revoked. Needs a login session (an API token cannot create another); at most
    50 usable tokens at once (a 409 beyond).

    Args:
        body (ApiTokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NewApiTokenBody | Problem | RateLimitProblem]
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
    client: AuthenticatedClient,
    body: ApiTokenCreate,

) -> NewApiTokenBody | Problem | RateLimitProblem | None:
    """ Create a personal API token

     The answer holds the secret (`token`), the only time it is shown. The token acts with your rights
    until it expires or is revoked. Needs a login session (an API token cannot create another); at most
    50 usable tokens at once (a 409 beyond).

    Args:
        body (ApiTokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NewApiTokenBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
