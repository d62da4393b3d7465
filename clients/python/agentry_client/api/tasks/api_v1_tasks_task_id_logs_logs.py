from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.log_page_body import LogPageBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    task_id: UUID,
    *,
    execution: int | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["execution"] = execution

    params["after"] = after

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tasks/{task_id}/logs".format(task_id=quote(str(task_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | LogPageBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = LogPageBody.from_dict(response.json())



        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | LogPageBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    execution: int | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,

) -> Response[Any | LogPageBody | Problem | RateLimitProblem]:
    """ Log lines of an execution (the latest by default)

     An execution number the task does not have yet: 422.

    Args:
        task_id (UUID): The task's id
        execution (int | Unset): Execution number
        after (int | Unset): Sequence number to read after Default: 0.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | LogPageBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
execution=execution,
after=after,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    execution: int | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,

) -> Any | LogPageBody | Problem | RateLimitProblem | None:
    """ Log lines of an execution (the latest by default)

     An execution number the task does not have yet: 422.

    Args:
        task_id (UUID): The task's id
        execution (int | Unset): Execution number
        after (int | Unset): Sequence number to read after Default: 0.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | LogPageBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        task_id=task_id,
client=client,
execution=execution,
after=after,
limit=limit,

    ).parsed

async def asyncio_detailed(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    execution: int | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,

) -> Response[Any | LogPageBody | Problem | RateLimitProblem]:
    """ Log lines of an execution (the latest by default)

     An execution number the task does not have yet: 422.

    Args:
        task_id (UUID): The task's id
        execution (int | Unset): Execution number
        after (int | Unset): Sequence number to read after Default: 0.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | LogPageBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
execution=execution,
after=after,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    execution: int | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,

) -> Any | LogPageBody | Problem | RateLimitProblem | None:
    """ Log lines of an execution (the latest by default)

     An execution number the task does not have yet: 422.

    Args:
        task_id (UUID): The task's id
        execution (int | Unset): Execution number
        after (int | Unset): Sequence number to read after Default: 0.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | LogPageBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        task_id=task_id,
client=client,
execution=execution,
after=after,
limit=limit,

    )).parsed
