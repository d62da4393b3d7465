from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_v1_tasks_task_id_events_events_response_200 import ApiV1TasksTaskIdEventsEventsResponse200
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    task_id: UUID,
    *,
    after: int | Unset = UNSET,
    last_event_id: int | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = str(last_event_id)




    

    params: dict[str, Any] = {}

    params["after"] = after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tasks/{task_id}/events".format(task_id=quote(str(task_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = ApiV1TasksTaskIdEventsEventsResponse200.from_dict(response.text)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem]:
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
    after: int | Unset = UNSET,
    last_event_id: int | Unset = UNSET,

) -> Response[ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem]:
    """ Follow a task live (server-sent events)

     Replays the latest execution's log after `Last-Event-ID` (or `after`), then follows live: `log`
    events (id: the line's sequence number), `status` and `result` events; ends after the final status.

    Args:
        task_id (UUID): The task's id
        after (int | Unset): Sequence number to replay after
        last_event_id (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
after=after,
last_event_id=last_event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    last_event_id: int | Unset = UNSET,

) -> ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    """ Follow a task live (server-sent events)

     Replays the latest execution's log after `Last-Event-ID` (or `after`), then follows live: `log`
    events (id: the line's sequence number), `status` and `result` events; ends after the final status.

    Args:
        task_id (UUID): The task's id
        after (int | Unset): Sequence number to replay after
        last_event_id (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem
     """


    return sync_detailed(
        task_id=task_id,
client=client,
after=after,
last_event_id=last_event_id,

    ).parsed

async def asyncio_detailed(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    last_event_id: int | Unset = UNSET,

) -> Response[ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem]:
    """ Follow a task live (server-sent events)

     Replays the latest execution's log after `Last-Event-ID` (or `after`), then follows live: `log`
    events (id: the line's sequence number), `status` and `result` events; ends after the final status.

    Args:
        task_id (UUID): The task's id
        after (int | Unset): Sequence number to replay after
        last_event_id (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
after=after,
last_event_id=last_event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    last_event_id: int | Unset = UNSET,

) -> ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    """ Follow a task live (server-sent events)

     Replays the latest execution's log after `Last-Event-ID` (or `after`), then follows live: `log`
    events (id: the line's sequence number), `status` and `result` events; ends after the final status.

    Args:
        task_id (UUID): The task's id
        after (int | Unset): Sequence number to replay after
        last_event_id (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiV1TasksTaskIdEventsEventsResponse200 | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        task_id=task_id,
client=client,
after=after,
last_event_id=last_event_id,

    )).parsed
