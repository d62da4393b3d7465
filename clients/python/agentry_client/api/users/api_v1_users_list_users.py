from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.global_role import GlobalRole
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.user_page_body import UserPageBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    after: str | Unset = UNSET,
    limit: int | Unset = 50,
    role: GlobalRole | Unset = UNSET,
    active: bool | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit

    json_role: str | Unset = UNSET
    if not isinstance(role, Unset):
        json_role = role.value

    params["role"] = json_role

    params["active"] = active


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/users",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateLimitProblem | UserPageBody | None:
    if response.status_code == 200:
        response_200 = UserPageBody.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RateLimitProblem | UserPageBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 50,
    role: GlobalRole | Unset = UNSET,
    active: bool | Unset = UNSET,

) -> Response[Problem | RateLimitProblem | UserPageBody]:
    """ Every account, in email order (admins)

    Args:
        after (str | Unset): next_after of the previous page
        limit (int | Unset):  Default: 50.
        role (GlobalRole | Unset):
        active (bool | Unset): Only active (or only deactivated) accounts

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | UserPageBody]
     """


    kwargs = _get_kwargs(
        after=after,
limit=limit,
role=role,
active=active,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 50,
    role: GlobalRole | Unset = UNSET,
    active: bool | Unset = UNSET,

) -> Problem | RateLimitProblem | UserPageBody | None:
    """ Every account, in email order (admins)

    Args:
        after (str | Unset): next_after of the previous page
        limit (int | Unset):  Default: 50.
        role (GlobalRole | Unset):
        active (bool | Unset): Only active (or only deactivated) accounts

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | UserPageBody
     """


    return sync_detailed(
        client=client,
after=after,
limit=limit,
role=role,
active=active,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 50,
    role: GlobalRole | Unset = UNSET,
    active: bool | Unset = UNSET,

) -> Response[Problem | RateLimitProblem | UserPageBody]:
    """ Every account, in email order (admins)

    Args:
        after (str | Unset): next_after of the previous page
        limit (int | Unset):  Default: 50.
        role (GlobalRole | Unset):
        active (bool | Unset): Only active (or only deactivated) accounts

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | UserPageBody]
     """


    kwargs = _get_kwargs(
        after=after,
limit=limit,
role=role,
active=active,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 50,
    role: GlobalRole | Unset = UNSET,
    active: bool | Unset = UNSET,

) -> Problem | RateLimitProblem | UserPageBody | None:
    """ Every account, in email order (admins)

    Args:
        after (str | Unset): next_after of the previous page
        limit (int | Unset):  Default: 50.
        role (GlobalRole | Unset):
        active (bool | Unset): Only active (or only deactivated) accounts

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | UserPageBody
     """


    return (await asyncio_detailed(
        client=client,
after=after,
limit=limit,
role=role,
active=active,

    )).parsed
