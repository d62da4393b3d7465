from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.budget_problem import BudgetProblem
from ...models.follow_up_create import FollowUpCreate
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.task_body import TaskBody
from ...models.waiting_limit_problem import WaitingLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    task_id: UUID,
    *,
    body: FollowUpCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tasks/{task_id}/follow-up".format(task_id=quote(str(task_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody | None:
    if response.status_code == 201:
        response_201 = TaskBody.from_dict(response.json())



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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = BudgetProblem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        def _parse_response_429(data: object) -> RateLimitProblem | WaitingLimitProblem:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_429_type_0 = RateLimitProblem.from_dict(data)



                return response_429_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_429_type_1 = WaitingLimitProblem.from_dict(data)



            return response_429_type_1

        response_429 = _parse_response_429(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody]:
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
    body: FollowUpCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody]:
    """ Submit a follow-up that resumes a finished task's agent session

     The new task runs in the same project, on the same runner, in the same working directory. A task
    that has not finished, or whose latest execution started no agent session: 409. Idempotency-Key and
    the monthly budget as for submitting.

    Args:
        task_id (UUID): The task's id
        idempotency_key (str | Unset):
        body (FollowUpCreate): A task that resumes a finished task's agent session; what is left
            out comes from that task
                (the title becomes "Follow-up: <its title>"; its options come without a script).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    body: FollowUpCreate,
    idempotency_key: str | Unset = UNSET,

) -> BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody | None:
    """ Submit a follow-up that resumes a finished task's agent session

     The new task runs in the same project, on the same runner, in the same working directory. A task
    that has not finished, or whose latest execution started no agent session: 409. Idempotency-Key and
    the monthly budget as for submitting.

    Args:
        task_id (UUID): The task's id
        idempotency_key (str | Unset):
        body (FollowUpCreate): A task that resumes a finished task's agent session; what is left
            out comes from that task
                (the title becomes "Follow-up: <its title>"; its options come without a script).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody
     """


    return sync_detailed(
        task_id=task_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    body: FollowUpCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody]:
    """ Submit a follow-up that resumes a finished task's agent session

     The new task runs in the same project, on the same runner, in the same working directory. A task
    that has not finished, or whose latest execution started no agent session: 409. Idempotency-Key and
    the monthly budget as for submitting.

    Args:
        task_id (UUID): The task's id
        idempotency_key (str | Unset):
        body (FollowUpCreate): A task that resumes a finished task's agent session; what is left
            out comes from that task
                (the title becomes "Follow-up: <its title>"; its options come without a script).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    task_id: UUID,
    *,
    client: AuthenticatedClient,
    body: FollowUpCreate,
    idempotency_key: str | Unset = UNSET,

) -> BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody | None:
    """ Submit a follow-up that resumes a finished task's agent session

     The new task runs in the same project, on the same runner, in the same working directory. A task
    that has not finished, or whose latest execution started no agent session: 409. Idempotency-Key and
    the monthly budget as for submitting.

    Args:
        task_id (UUID): The task's id
        idempotency_key (str | Unset):
        body (FollowUpCreate): A task that resumes a finished task's agent session; what is left
            out comes from that task
                (the title becomes "Follow-up: <its title>"; its options come without a script).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetProblem | Problem | RateLimitProblem | WaitingLimitProblem | TaskBody
     """


    return (await asyncio_detailed(
        task_id=task_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
