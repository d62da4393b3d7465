from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.document_page_body import DocumentPageBody
from ...models.document_status import DocumentStatus
from ...models.media_type import MediaType
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    project_id: UUID | Unset = UNSET,
    status: DocumentStatus | Unset = UNSET,
    media_type: MediaType | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_project_id: str | Unset = UNSET
    if not isinstance(project_id, Unset):
        json_project_id = str(project_id)
    params["project_id"] = json_project_id

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_media_type: str | Unset = UNSET
    if not isinstance(media_type, Unset):
        json_media_type = media_type.value

    params["media_type"] = json_media_type

    params["q"] = q

    params["cursor"] = cursor

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/documents",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DocumentPageBody | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = DocumentPageBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DocumentPageBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    project_id: UUID | Unset = UNSET,
    status: DocumentStatus | Unset = UNSET,
    media_type: MediaType | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Response[DocumentPageBody | Problem | RateLimitProblem]:
    """ List documents, newest first

    Args:
        project_id (UUID | Unset): Only this project's
        status (DocumentStatus | Unset):
        media_type (MediaType | Unset):
        q (str | Unset): Title contains
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentPageBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
status=status,
media_type=media_type,
q=q,
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
    project_id: UUID | Unset = UNSET,
    status: DocumentStatus | Unset = UNSET,
    media_type: MediaType | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> DocumentPageBody | Problem | RateLimitProblem | None:
    """ List documents, newest first

    Args:
        project_id (UUID | Unset): Only this project's
        status (DocumentStatus | Unset):
        media_type (MediaType | Unset):
        q (str | Unset): Title contains
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentPageBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        client=client,
project_id=project_id,
status=status,
media_type=media_type,
q=q,
cursor=cursor,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    project_id: UUID | Unset = UNSET,
    status: DocumentStatus | Unset = UNSET,
    media_type: MediaType | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Response[DocumentPageBody | Problem | RateLimitProblem]:
    """ List documents, newest first

    Args:
        project_id (UUID | Unset): Only this project's
        status (DocumentStatus | Unset):
        media_type (MediaType | Unset):
        q (str | Unset): Title contains
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentPageBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
status=status,
media_type=media_type,
q=q,
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
    project_id: UUID | Unset = UNSET,
    status: DocumentStatus | Unset = UNSET,
    media_type: MediaType | Unset = UNSET,
    q: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,

) -> DocumentPageBody | Problem | RateLimitProblem | None:
    """ List documents, newest first

    Args:
        project_id (UUID | Unset): Only this project's
        status (DocumentStatus | Unset):
        media_type (MediaType | Unset):
        q (str | Unset): Title contains
        cursor (str | Unset): An opaque cursor: pass the previous page's value unchanged. A well-
            formed cursor that this service did not make (or made for another sort) is refused with
            400 /problems/invalid-cursor.
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentPageBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        client=client,
project_id=project_id,
status=status,
media_type=media_type,
q=q,
cursor=cursor,
limit=limit,

    )).parsed
