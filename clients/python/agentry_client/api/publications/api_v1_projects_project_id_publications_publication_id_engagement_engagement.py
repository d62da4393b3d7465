from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.engagement_body import EngagementBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    project_id: UUID,
    publication_id: UUID,
    *,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

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
        "url": "/api/v1/projects/{project_id}/publications/{publication_id}/engagement".format(project_id=quote(str(project_id), safe=""),publication_id=quote(str(publication_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EngagementBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = EngagementBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EngagementBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    publication_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> Response[EngagementBody | Problem | RateLimitProblem]:
    """ Views and reactions per day and in total (members and above)

     `from` and `to`: days (UTC), both included, at most 366 days apart; by default the 30 days up to
    today.

    Args:
        project_id (UUID): The project's id
        publication_id (UUID): The publication's id
        from_ (datetime.date | Unset): First day (UTC)
        to (datetime.date | Unset): Last day (UTC)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EngagementBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
publication_id=publication_id,
from_=from_,
to=to,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    publication_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> EngagementBody | Problem | RateLimitProblem | None:
    """ Views and reactions per day and in total (members and above)

     `from` and `to`: days (UTC), both included, at most 366 days apart; by default the 30 days up to
    today.

    Args:
        project_id (UUID): The project's id
        publication_id (UUID): The publication's id
        from_ (datetime.date | Unset): First day (UTC)
        to (datetime.date | Unset): Last day (UTC)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EngagementBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
publication_id=publication_id,
client=client,
from_=from_,
to=to,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    publication_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> Response[EngagementBody | Problem | RateLimitProblem]:
    """ Views and reactions per day and in total (members and above)

     `from` and `to`: days (UTC), both included, at most 366 days apart; by default the 30 days up to
    today.

    Args:
        project_id (UUID): The project's id
        publication_id (UUID): The publication's id
        from_ (datetime.date | Unset): First day (UTC)
        to (datetime.date | Unset): Last day (UTC)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EngagementBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
publication_id=publication_id,
from_=from_,
to=to,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    publication_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,

) -> EngagementBody | Problem | RateLimitProblem | None:
    """ Views and reactions per day and in total (members and above)

     `from` and `to`: days (UTC), both included, at most 366 days apart; by default the 30 days up to
    today.

    Args:
        project_id (UUID): The project's id
        publication_id (UUID): The publication's id
        from_ (datetime.date | Unset): First day (UTC)
        to (datetime.date | Unset): Last day (UTC)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EngagementBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
publication_id=publication_id,
client=client,
from_=from_,
to=to,

    )).parsed
