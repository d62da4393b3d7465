from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.entity_body import EntityBody
from ...models.merge_body import MergeBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    entity_id: UUID,
    *,
    body: MergeBody,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/projects/{project_id}/entities/{entity_id}/merge".format(project_id=quote(str(project_id), safe=""),entity_id=quote(str(entity_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EntityBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = EntityBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EntityBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MergeBody,

) -> Response[EntityBody | Problem | RateLimitProblem]:
    """ Merge other entities into this one: their mentions, aliases and relationships move to it

    Args:
        project_id (UUID): The project's id
        entity_id (UUID): The entity's id
        body (MergeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
entity_id=entity_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MergeBody,

) -> EntityBody | Problem | RateLimitProblem | None:
    """ Merge other entities into this one: their mentions, aliases and relationships move to it

    Args:
        project_id (UUID): The project's id
        entity_id (UUID): The entity's id
        body (MergeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
entity_id=entity_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MergeBody,

) -> Response[EntityBody | Problem | RateLimitProblem]:
    """ Merge other entities into this one: their mentions, aliases and relationships move to it

    Args:
        project_id (UUID): The project's id
        entity_id (UUID): The entity's id
        body (MergeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
entity_id=entity_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MergeBody,

) -> EntityBody | Problem | RateLimitProblem | None:
    """ Merge other entities into this one: their mentions, aliases and relationships move to it

    Args:
        project_id (UUID): The project's id
        entity_id (UUID): The entity's id
        body (MergeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
entity_id=entity_id,
client=client,
body=body,

    )).parsed
