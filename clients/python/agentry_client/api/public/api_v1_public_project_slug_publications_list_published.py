from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.published_page_body import PublishedPageBody
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_slug: str,
    *,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["category"] = category

    params["tag"] = tag

    json_entity_id: str | Unset = UNSET
    if not isinstance(entity_id, Unset):
        json_entity_id = str(entity_id)
    params["entity_id"] = json_entity_id

    params["q"] = q

    params["cursor"] = cursor

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/public/{project_slug}/publications".format(project_slug=quote(str(project_slug), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Problem | RateLimitProblem | PublishedPageBody | None:
    if response.status_code == 200:
        response_200 = PublishedPageBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Problem | RateLimitProblem | PublishedPageBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_slug: str,
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> Response[Problem | Problem | RateLimitProblem | PublishedPageBody]:
    """ List a project's published publications

     Published publications, newest published first. `q`: each of its words (up to 8) must be in the
    title or the body, matched as a case-insensitive substring (PostgreSQL ILIKE; SQLite LIKE, folding
    ASCII only). A project that does not publish publicly, or does not exist: 404.

    Args:
        project_slug (str): The project's slug
        category (str | Unset):
        tag (str | Unset):
        entity_id (UUID | Unset): Only those linked to this entity
        q (str | Unset): Full-text search
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Problem | RateLimitProblem | PublishedPageBody]
     """


    kwargs = _get_kwargs(
        project_slug=project_slug,
category=category,
tag=tag,
entity_id=entity_id,
q=q,
cursor=cursor,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_slug: str,
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> Problem | Problem | RateLimitProblem | PublishedPageBody | None:
    """ List a project's published publications

     Published publications, newest published first. `q`: each of its words (up to 8) must be in the
    title or the body, matched as a case-insensitive substring (PostgreSQL ILIKE; SQLite LIKE, folding
    ASCII only). A project that does not publish publicly, or does not exist: 404.

    Args:
        project_slug (str): The project's slug
        category (str | Unset):
        tag (str | Unset):
        entity_id (UUID | Unset): Only those linked to this entity
        q (str | Unset): Full-text search
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Problem | RateLimitProblem | PublishedPageBody
     """


    return sync_detailed(
        project_slug=project_slug,
client=client,
category=category,
tag=tag,
entity_id=entity_id,
q=q,
cursor=cursor,
limit=limit,

    ).parsed

async def asyncio_detailed(
    project_slug: str,
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> Response[Problem | Problem | RateLimitProblem | PublishedPageBody]:
    """ List a project's published publications

     Published publications, newest published first. `q`: each of its words (up to 8) must be in the
    title or the body, matched as a case-insensitive substring (PostgreSQL ILIKE; SQLite LIKE, folding
    ASCII only). A project that does not publish publicly, or does not exist: 404.

    Args:
        project_slug (str): The project's slug
        category (str | Unset):
        tag (str | Unset):
        entity_id (UUID | Unset): Only those linked to this entity
        q (str | Unset): Full-text search
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Problem | RateLimitProblem | PublishedPageBody]
     """


    kwargs = _get_kwargs(
        project_slug=project_slug,
category=category,
tag=tag,
entity_id=entity_id,
q=q,
cursor=cursor,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_slug: str,
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    entity_id: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 20,

) -> Problem | Problem | RateLimitProblem | PublishedPageBody | None:
    """ List a project's published publications

     Published publications, newest published first. `q`: each of its words (up to 8) must be in the
    title or the body, matched as a case-insensitive substring (PostgreSQL ILIKE; SQLite LIKE, folding
    ASCII only). A project that does not publish publicly, or does not exist: 404.

    Args:
        project_slug (str): The project's slug
        category (str | Unset):
        tag (str | Unset):
        entity_id (UUID | Unset): Only those linked to this entity
        q (str | Unset): Full-text search
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Problem | RateLimitProblem | PublishedPageBody
     """


    return (await asyncio_detailed(
        project_slug=project_slug,
client=client,
category=category,
tag=tag,
entity_id=entity_id,
q=q,
cursor=cursor,
limit=limit,

    )).parsed
