from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_v1_documents_batch_ingest_batch_files_body import ApiV1DocumentsBatchIngestBatchFilesBody
from ...models.api_v1_documents_batch_ingest_batch_json_body import ApiV1DocumentsBatchIngestBatchJsonBody
from ...models.batch_body import BatchBody
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from typing import cast



def _get_kwargs(
    *,
    body:    ApiV1DocumentsBatchIngestBatchJsonBody  |     ApiV1DocumentsBatchIngestBatchFilesBody  | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/documents/batch",
    }

    if isinstance(body, ApiV1DocumentsBatchIngestBatchJsonBody):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, ApiV1DocumentsBatchIngestBatchFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BatchBody | Problem | RateLimitProblem | None:
    if response.status_code == 202:
        response_202 = BatchBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BatchBody | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body:    ApiV1DocumentsBatchIngestBatchJsonBody  |     ApiV1DocumentsBatchIngestBatchFilesBody  | Unset = UNSET,

) -> Response[BatchBody | Problem | RateLimitProblem]:
    """ Ingest many documents: one job each, and a batch id for their status

     Send application/json {project_id?, documents: [{title, text, media_type?}, ...]} (the whole body
    within AGENTRY_DOCUMENT_MAX_BYTES) or multipart/form-data with one `file` part per document (and an
    optional `project_id`): each file is a document titled by its file name, of the part's type (or, for
    a generic one, its name's extension: .txt, .md, .html, .pdf), each at most
    AGENTRY_DOCUMENT_MAX_BYTES and the whole body at most AGENTRY_DOCUMENT_MAX_BATCH_BYTES. At most 100
    documents. Every item is checked as a single upload is before anything is written: one wrong item
    refuses the batch (413 or 422, naming it documents[n] and its file name) and nothing of it is
    stored. Answers with one job each and the batch id.

    Args:
        body (ApiV1DocumentsBatchIngestBatchJsonBody):
        body (ApiV1DocumentsBatchIngestBatchFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchBody | Problem | RateLimitProblem]
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
    body:    ApiV1DocumentsBatchIngestBatchJsonBody  |     ApiV1DocumentsBatchIngestBatchFilesBody  | Unset = UNSET,

) -> BatchBody | Problem | RateLimitProblem | None:
    """ Ingest many documents: one job each, and a batch id for their status

     Send application/json {project_id?, documents: [{title, text, media_type?}, ...]} (the whole body
    within AGENTRY_DOCUMENT_MAX_BYTES) or multipart/form-data with one `file` part per document (and an
    optional `project_id`): each file is a document titled by its file name, of the part's type (or, for
    a generic one, its name's extension: .txt, .md, .html, .pdf), each at most
    AGENTRY_DOCUMENT_MAX_BYTES and the whole body at most AGENTRY_DOCUMENT_MAX_BATCH_BYTES. At most 100
    documents. Every item is checked as a single upload is before anything is written: one wrong item
    refuses the batch (413 or 422, naming it documents[n] and its file name) and nothing of it is
    stored. Answers with one job each and the batch id.

    Args:
        body (ApiV1DocumentsBatchIngestBatchJsonBody):
        body (ApiV1DocumentsBatchIngestBatchFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchBody | Problem | RateLimitProblem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body:    ApiV1DocumentsBatchIngestBatchJsonBody  |     ApiV1DocumentsBatchIngestBatchFilesBody  | Unset = UNSET,

) -> Response[BatchBody | Problem | RateLimitProblem]:
    """ Ingest many documents: one job each, and a batch id for their status

     Send application/json {project_id?, documents: [{title, text, media_type?}, ...]} (the whole body
    within AGENTRY_DOCUMENT_MAX_BYTES) or multipart/form-data with one `file` part per document (and an
    optional `project_id`): each file is a document titled by its file name, of the part's type (or, for
    a generic one, its name's extension: .txt, .md, .html, .pdf), each at most
    AGENTRY_DOCUMENT_MAX_BYTES and the whole body at most AGENTRY_DOCUMENT_MAX_BATCH_BYTES. At most 100
    documents. Every item is checked as a single upload is before anything is written: one wrong item
    refuses the batch (413 or 422, naming it documents[n] and its file name) and nothing of it is
    stored. Answers with one job each and the batch id.

    Args:
        body (ApiV1DocumentsBatchIngestBatchJsonBody):
        body (ApiV1DocumentsBatchIngestBatchFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchBody | Problem | RateLimitProblem]
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
    body:    ApiV1DocumentsBatchIngestBatchJsonBody  |     ApiV1DocumentsBatchIngestBatchFilesBody  | Unset = UNSET,

) -> BatchBody | Problem | RateLimitProblem | None:
    """ Ingest many documents: one job each, and a batch id for their status

     Send application/json {project_id?, documents: [{title, text, media_type?}, ...]} (the whole body
    within AGENTRY_DOCUMENT_MAX_BYTES) or multipart/form-data with one `file` part per document (and an
    optional `project_id`): each file is a document titled by its file name, of the part's type (or, for
    a generic one, its name's extension: .txt, .md, .html, .pdf), each at most
    AGENTRY_DOCUMENT_MAX_BYTES and the whole body at most AGENTRY_DOCUMENT_MAX_BATCH_BYTES. At most 100
    documents. Every item is checked as a single upload is before anything is written: one wrong item
    refuses the batch (413 or 422, naming it documents[n] and its file name) and nothing of it is
    stored. Answers with one job each and the batch id.

    Args:
        body (ApiV1DocumentsBatchIngestBatchJsonBody):
        body (ApiV1DocumentsBatchIngestBatchFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchBody | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
