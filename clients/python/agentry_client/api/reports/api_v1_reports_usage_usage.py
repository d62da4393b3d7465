from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.usage_group import UsageGroup
from ...models.usage_report_body import UsageReportBody
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    group_by: UsageGroup | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_group_by: str | Unset = UNSET
    if not isinstance(group_by, Unset):
        json_group_by = group_by.value

    params["group_by"] = json_group_by

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/reports/usage",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateLimitProblem | UsageReportBody | None:
    if response.status_code == 200:
        response_200 = UsageReportBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RateLimitProblem | UsageReportBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    group_by: UsageGroup | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> Response[Problem | RateLimitProblem | UsageReportBody]:
    """ Executions, success rate, tokens and cost, grouped

     Sums of the executions that ended, by the day (UTC) they started on, from `from` to `to` (both
    included; by default this month up to today). Admins see all usage; owners and maintainers their
    projects'; everyone the usage of the tasks they submitted. `success_rate`: succeeded among the
    executions that succeeded, failed or timed out. A model `key` of null is the runner's default model.

    Args:
        group_by (UsageGroup | Unset): What a row sums over
        from_ (datetime.date | Unset): The first day (YYYY-MM-DD, UTC), included
        to (datetime.date | Unset): The last day (YYYY-MM-DD, UTC), included

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | UsageReportBody]
     """


    kwargs = _get_kwargs(
        group_by=group_by,
from_=from_,
to=to,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    group_by: UsageGroup | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> Problem | RateLimitProblem | UsageReportBody | None:
    """ Executions, success rate, tokens and cost, grouped

     Sums of the executions that ended, by the day (UTC) they started on, from `from` to `to` (both
    included; by default this month up to today). Admins see all usage; owners and maintainers their
    projects'; everyone the usage of the tasks they submitted. `success_rate`: succeeded among the
    executions that succeeded, failed or timed out. A model `key` of null is the runner's default model.

    Args:
        group_by (UsageGroup | Unset): What a row sums over
        from_ (datetime.date | Unset): The first day (YYYY-MM-DD, UTC), included
        to (datetime.date | Unset): The last day (YYYY-MM-DD, UTC), included

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | UsageReportBody
     """


    return sync_detailed(
        client=client,
group_by=group_by,
from_=from_,
to=to,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    group_by: UsageGroup | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> Response[Problem | RateLimitProblem | UsageReportBody]:
    """ Executions, success rate, tokens and cost, grouped

     Sums of the executions that ended, by the day (UTC) they started on, from `from` to `to` (both
    included; by default this month up to today). Admins see all usage; owners and maintainers their
    projects'; everyone the usage of the tasks they submitted. `success_rate`: succeeded among the
    executions that succeeded, failed or timed out. A model `key` of null is the runner's default model.

    Args:
        group_by (UsageGroup | Unset): What a row sums over
        from_ (datetime.date | Unset): The first day (YYYY-MM-DD, UTC), included
        to (datetime.date | Unset): The last day (YYYY-MM-DD, UTC), included

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | UsageReportBody]
     """


    kwargs = _get_kwargs(
        group_by=group_by,
from_=from_,
to=to,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    group_by: UsageGroup | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> Problem | RateLimitProblem | UsageReportBody | None:
    """ Executions, success rate, tokens and cost, grouped

     Sums of the executions that ended, by the day (UTC) they started on, from `from` to `to` (both
    included; by default this month up to today). Admins see all usage; owners and maintainers their
    projects'; everyone the usage of the tasks they submitted. `success_rate`: succeeded among the
    executions that succeeded, failed or timed out. A model `key` of null is the runner's default model.

    Args:
        group_by (UsageGroup | Unset): What a row sums over
        from_ (datetime.date | Unset): The first day (YYYY-MM-DD, UTC), included
        to (datetime.date | Unset): The last day (YYYY-MM-DD, UTC), included

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | UsageReportBody
     """


    return (await asyncio_detailed(
        client=client,
group_by=group_by,
from_=from_,
to=to,

    )).parsed
