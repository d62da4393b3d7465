from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.priority import Priority
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.task_page_body import TaskPageBody
from ...models.task_sort import TaskSort
from ...models.task_status import TaskStatus
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    *,
    project_id: list[UUID] | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
    status: list[TaskStatus] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_project_id: list[str] | Unset = UNSET
    if not isinstance(project_id, Unset):
        json_project_id = []
        for project_id_item_data in project_id:
            project_id_item = str(project_id_item_data)
            json_project_id.append(project_id_item)


    params["project_id"] = json_project_id

    json_owner_id: list[str] | Unset = UNSET
    if not isinstance(owner_id, Unset):
        json_owner_id = []
        for owner_id_item_data in owner_id:
            owner_id_item = str(owner_id_item_data)
            json_owner_id.append(owner_id_item)


    params["owner_id"] = json_owner_id

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)


    params["status"] = json_status

    json_priority: list[str] | Unset = UNSET
    if not isinstance(priority, Unset):
        json_priority = []
        for priority_item_data in priority:
            priority_item = priority_item_data.value
            json_priority.append(priority_item)


    params["priority"] = json_priority

    json_tag: list[str] | Unset = UNSET
    if not isinstance(tag, Unset):
        json_tag = tag


    params["tag"] = json_tag

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    params["q"] = q

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["cursor"] = cursor

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tasks",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | RateLimitProblem | TaskPageBody | None:
    if response.status_code == 200:
        response_200 = TaskPageBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | RateLimitProblem | TaskPageBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    project_id: list[UUID] | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
    status: list[TaskStatus] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> Response[Any | Problem | RateLimitProblem | TaskPageBody]:
    """ List tasks

    Args:
        project_id (list[UUID] | Unset): Any of these projects
        owner_id (list[UUID] | Unset): Submitted by any of these users
        status (list[TaskStatus] | Unset): Any of these statuses
        priority (list[Priority] | Unset): Any of these priorities
        tag (list[str] | Unset): All of these tags
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        q (str | Unset): Text in the title
        sort (TaskSort | Unset):
        cursor (str | Unset): next_cursor of the previous page. An opaque cursor: pass the
            previous page's value unchanged. A well-formed cursor that this service did not make (or
            made for another sort) is refused with 400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | RateLimitProblem | TaskPageBody]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
owner_id=owner_id,
status=status,
priority=priority,
tag=tag,
created_after=created_after,
created_before=created_before,
q=q,
sort=sort,
cursor=cursor,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    project_id: list[UUID] | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
    status: list[TaskStatus] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> Any | Problem | RateLimitProblem | TaskPageBody | None:
    """ List tasks

    Args:
        project_id (list[UUID] | Unset): Any of these projects
        owner_id (list[UUID] | Unset): Submitted by any of these users
        status (list[TaskStatus] | Unset): Any of these statuses
        priority (list[Priority] | Unset): Any of these priorities
        tag (list[str] | Unset): All of these tags
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        q (str | Unset): Text in the title
        sort (TaskSort | Unset):
        cursor (str | Unset): next_cursor of the previous page. An opaque cursor: pass the
            previous page's value unchanged. A well-formed cursor that this service did not make (or
            made for another sort) is refused with 400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | RateLimitProblem | TaskPageBody
     """


    return sync_detailed(
        client=client,
project_id=project_id,
owner_id=owner_id,
status=status,
priority=priority,
tag=tag,
created_after=created_after,
created_before=created_before,
q=q,
sort=sort,
cursor=cursor,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    project_id: list[UUID] | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
    status: list[TaskStatus] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> Response[Any | Problem | RateLimitProblem | TaskPageBody]:
    """ List tasks

    Args:
        project_id (list[UUID] | Unset): Any of these projects
        owner_id (list[UUID] | Unset): Submitted by any of these users
        status (list[TaskStatus] | Unset): Any of these statuses
        priority (list[Priority] | Unset): Any of these priorities
        tag (list[str] | Unset): All of these tags
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        q (str | Unset): Text in the title
        sort (TaskSort | Unset):
        cursor (str | Unset): next_cursor of the previous page. An opaque cursor: pass the
            previous page's value unchanged. A well-formed cursor that this service did not make (or
            made for another sort) is refused with 400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | RateLimitProblem | TaskPageBody]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
owner_id=owner_id,
status=status,
priority=priority,
tag=tag,
created_after=created_after,
created_before=created_before,
q=q,
sort=sort,
cursor=cursor,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    project_id: list[UUID] | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
    status: list[TaskStatus] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> Any | Problem | RateLimitProblem | TaskPageBody | None:
    """ List tasks

    Args:
        project_id (list[UUID] | Unset): Any of these projects
        owner_id (list[UUID] | Unset): Submitted by any of these users
        status (list[TaskStatus] | Unset): Any of these statuses
        priority (list[Priority] | Unset): Any of these priorities
        tag (list[str] | Unset): All of these tags
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        q (str | Unset): Text in the title
        sort (TaskSort | Unset):
        cursor (str | Unset): next_cursor of the previous page. An opaque cursor: pass the
            previous page's value unchanged. A well-formed cursor that this service did not make (or
            made for another sort) is refused with 400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | RateLimitProblem | TaskPageBody
     """


    return (await asyncio_detailed(
        client=client,
project_id=project_id,
owner_id=owner_id,
status=status,
priority=priority,
tag=tag,
created_after=created_after,
created_before=created_before,
q=q,
sort=sort,
cursor=cursor,
limit=limit,

    )).parsed
