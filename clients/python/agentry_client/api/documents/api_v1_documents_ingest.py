from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_v1_documents_ingest_files_body import ApiV1DocumentsIngestFilesBody
from ...models.api_v1_documents_ingest_json_body import ApiV1DocumentsIngestJsonBody
from ...models.ingestion_body import IngestionBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from typing import cast



def _get_kwargs(
    *,
    body:    ApiV1DocumentsIngestJsonBody  |     ApiV1DocumentsIngestFilesBody  | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/documents",
    }

    if isinstance(body, ApiV1DocumentsIngestJsonBody):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, ApiV1DocumentsIngestFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> IngestionBody | Problem | RateLimitProblem | None:
    if response.status_code == 202:
        response_202 = IngestionBody.from_dict(response.json())



        return response_202

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
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())



        return response_415

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[IngestionBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body:    ApiV1DocumentsIngestJsonBody  |     ApiV1DocumentsIngestFilesBody  | Unset = UNSET,

) -> Response[IngestionBody | Problem | RateLimitProblem]:
    """ Ingest a document

     Send application/json {title, text, media_type?, project_id?} or multipart/form-data with a `file`
    part (and optional `title`, `media_type`, `project_id`). Plain text, Markdown, HTML and PDF; at most
    AGENTRY_DOCUMENT_MAX_BYTES (413 above). The same content again in the project gives back the
    document it made and its job (replayed: true). An empty file, text that is not UTF-8, an unsupported
    type or a PDF over the page cap: 422; a corrupt PDF: a failed job with its reason.

    Args:
        body (ApiV1DocumentsIngestJsonBody):
        body (ApiV1DocumentsIngestFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IngestionBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body:    ApiV1DocumentsIngestJsonBody  |     ApiV1DocumentsIngestFilesBody  | Unset = UNSET,

) -> IngestionBody | Problem | RateLimitProblem | None:
    """ Ingest a document

     Send application/json {title, text, media_type?, project_id?} or multipart/form-data with a `file`
    part (and optional `title`, `media_type`, `project_id`). Plain text, Markdown, HTML and PDF; at most
    AGENTRY_DOCUMENT_MAX_BYTES (413 above). The same content again in the project gives back the
    document it made and its job (replayed: true). An empty file, text that is not UTF-8, an unsupported
    type or a PDF over the page cap: 422; a corrupt PDF: a failed job with its reason.

    Args:
        body (ApiV1DocumentsIngestJsonBody):
        body (ApiV1DocumentsIngestFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IngestionBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body:    ApiV1DocumentsIngestJsonBody  |     ApiV1DocumentsIngestFilesBody  | Unset = UNSET,

) -> Response[IngestionBody | Problem | RateLimitProblem]:
    """ Ingest a document

     Send application/json {title, text, media_type?, project_id?} or multipart/form-data with a `file`
    part (and optional `title`, `media_type`, `project_id`). Plain text, Markdown, HTML and PDF; at most
    AGENTRY_DOCUMENT_MAX_BYTES (413 above). The same content again in the project gives back the
    document it made and its job (replayed: true). An empty file, text that is not UTF-8, an unsupported
    type or a PDF over the page cap: 422; a corrupt PDF: a failed job with its reason.

    Args:
        body (ApiV1DocumentsIngestJsonBody):
        body (ApiV1DocumentsIngestFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IngestionBody | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body:    ApiV1DocumentsIngestJsonBody  |     ApiV1DocumentsIngestFilesBody  | Unset = UNSET,

) -> IngestionBody | Problem | RateLimitProblem | None:
    """ Ingest a document

     Send application/json {title, text, media_type?, project_id?} or multipart/form-data with a `file`
    part (and optional `title`, `media_type`, `project_id`). Plain text, Markdown, HTML and PDF; at most
    AGENTRY_DOCUMENT_MAX_BYTES (413 above). The same content again in the project gives back the
    document it made and its job (replayed: true). An empty file, text that is not UTF-8, an unsupported
    type or a PDF over the page cap: 422; a corrupt PDF: a failed job with its reason.

    Args:
        body (ApiV1DocumentsIngestJsonBody):
        body (ApiV1DocumentsIngestFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IngestionBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
