from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.counted_body import CountedBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_slug: str,
    publication_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/public/{project_slug}/publications/{publication_id}/views".format(project_slug=quote(str(project_slug), safe=""),publication_id=quote(str(publication_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CountedBody | Problem | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = CountedBody.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        def _parse_response_429(data: object) -> Problem | RateLimitProblem:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_429_type_0 = RateLimitProblem.from_dict(data)



                return response_429_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_429_type_1 = Problem.from_dict(data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CountedBody | Problem | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_slug: str,
    publication_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[CountedBody | Problem | Problem | RateLimitProblem]:
    """ Record a view (once per visitor and day)

    Args:
        project_slug (str): The project's slug
        publication_id (UUID): The publication's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CountedBody | Problem | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_slug=project_slug,
publication_id=publication_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_slug: str,
    publication_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> CountedBody | Problem | Problem | RateLimitProblem | None:
    """ Record a view (once per visitor and day)

    Args:
        project_slug (str): The project's slug
        publication_id (UUID): The publication's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CountedBody | Problem | Problem | RateLimitProblem
     """


    return sync_detailed(
        project_slug=project_slug,
publication_id=publication_id,
client=client,

    ).parsed

async def asyncio_detailed(
    project_slug: str,
    publication_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[CountedBody | Problem | Problem | RateLimitProblem]:
    """ Record a view (once per visitor and day)

    Args:
        project_slug (str): The project's slug
        publication_id (UUID): The publication's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CountedBody | Problem | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_slug=project_slug,
publication_id=publication_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_slug: str,
    publication_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> CountedBody | Problem | Problem | RateLimitProblem | None:
    """ Record a view (once per visitor and day)

    Args:
        project_slug (str): The project's slug
        publication_id (UUID): The publication's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CountedBody | Problem | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_slug=project_slug,
publication_id=publication_id,
client=client,

    )).parsed
