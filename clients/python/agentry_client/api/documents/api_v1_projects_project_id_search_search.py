from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...models.search_results_body import SearchResultsBody
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    *,
    q: str,
    limit: int | Unset = 10,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["q"] = q

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/projects/{project_id}/search".format(project_id=quote(str(project_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RateLimitProblem | SearchResultsBody | None:
    if response.status_code == 200:
        response_200 = SearchResultsBody.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RateLimitProblem | SearchResultsBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 10,

) -> Response[Problem | RateLimitProblem | SearchResultsBody]:
    """ Hybrid search over a project's documents

     The project's document chunks most relevant to `q`: the query's embedding against the chunks'
    vectors (cosine similarity) and a full-text match of its words (PostgreSQL: websearch_to_tsquery;
    SQLite: the words as substrings), merged by reciprocal rank fusion (1/(60 + rank) from each list).
    Each hit names its document, the chunk and its span in the document's text, a snippet, and the three
    scores (vector or text is null when only the other list found the chunk). Viewers and above; for
    anyone else the project does not exist (404). `q`: 1 to 500 characters, not only white space, no NUL
    (else 422); `limit`: 1 to 50 (else 400). `entities`: up to `limit` of the project's knowledge-graph
    entities (graph facts only: no candidate, no deleted entity) from two rankings: text (`score`: the
    whole query as the name 4 or an alias 3, a part of one 2, the type 1, plus the share of the query's
    words found in the description; 0 when only the vector found it) and the query's embedding against
    the entity names' (`vector_score`: cosine similarity, at least 0.5; null when the vector did not
    find it), fused by reciprocal rank fusion (`fused_score`: 1/(60 + rank) from each ranking, the chunk
    hits' `fused` scale, so a client may interleave the lists); each with its mentions' spans (chunk,
    start, end).

    Args:
        project_id (UUID): The project's id
        q (str): What to look for
        limit (int | Unset): How many hits at most Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | SearchResultsBody]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
q=q,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 10,

) -> Problem | RateLimitProblem | SearchResultsBody | None:
    """ Hybrid search over a project's documents

     The project's document chunks most relevant to `q`: the query's embedding against the chunks'
    vectors (cosine similarity) and a full-text match of its words (PostgreSQL: websearch_to_tsquery;
    SQLite: the words as substrings), merged by reciprocal rank fusion (1/(60 + rank) from each list).
    Each hit names its document, the chunk and its span in the document's text, a snippet, and the three
    scores (vector or text is null when only the other list found the chunk). Viewers and above; for
    anyone else the project does not exist (404). `q`: 1 to 500 characters, not only white space, no NUL
    (else 422); `limit`: 1 to 50 (else 400). `entities`: up to `limit` of the project's knowledge-graph
    entities (graph facts only: no candidate, no deleted entity) from two rankings: text (`score`: the
    whole query as the name 4 or an alias 3, a part of one 2, the type 1, plus the share of the query's
    words found in the description; 0 when only the vector found it) and the query's embedding against
    the entity names' (`vector_score`: cosine similarity, at least 0.5; null when the vector did not
    find it), fused by reciprocal rank fusion (`fused_score`: 1/(60 + rank) from each ranking, the chunk
    hits' `fused` scale, so a client may interleave the lists); each with its mentions' spans (chunk,
    start, end).

    Args:
        project_id (UUID): The project's id
        q (str): What to look for
        limit (int | Unset): How many hits at most Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | SearchResultsBody
     """


    return sync_detailed(
        project_id=project_id,
client=client,
q=q,
limit=limit,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 10,

) -> Response[Problem | RateLimitProblem | SearchResultsBody]:
    """ Hybrid search over a project's documents

     The project's document chunks most relevant to `q`: the query's embedding against the chunks'
    vectors (cosine similarity) and a full-text match of its words (PostgreSQL: websearch_to_tsquery;
    SQLite: the words as substrings), merged by reciprocal rank fusion (1/(60 + rank) from each list).
    Each hit names its document, the chunk and its span in the document's text, a snippet, and the three
    scores (vector or text is null when only the other list found the chunk). Viewers and above; for
    anyone else the project does not exist (404). `q`: 1 to 500 characters, not only white space, no NUL
    (else 422); `limit`: 1 to 50 (else 400). `entities`: up to `limit` of the project's knowledge-graph
    entities (graph facts only: no candidate, no deleted entity) from two rankings: text (`score`: the
    whole query as the name 4 or an alias 3, a part of one 2, the type 1, plus the share of the query's
    words found in the description; 0 when only the vector found it) and the query's embedding against
    the entity names' (`vector_score`: cosine similarity, at least 0.5; null when the vector did not
    find it), fused by reciprocal rank fusion (`fused_score`: 1/(60 + rank) from each ranking, the chunk
    hits' `fused` scale, so a client may interleave the lists); each with its mentions' spans (chunk,
    start, end).

    Args:
        project_id (UUID): The project's id
        q (str): What to look for
        limit (int | Unset): How many hits at most Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateLimitProblem | SearchResultsBody]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
q=q,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 10,

) -> Problem | RateLimitProblem | SearchResultsBody | None:
    """ Hybrid search over a project's documents

     The project's document chunks most relevant to `q`: the query's embedding against the chunks'
    vectors (cosine similarity) and a full-text match of its words (PostgreSQL: websearch_to_tsquery;
    SQLite: the words as substrings), merged by reciprocal rank fusion (1/(60 + rank) from each list).
    Each hit names its document, the chunk and its span in the document's text, a snippet, and the three
    scores (vector or text is null when only the other list found the chunk). Viewers and above; for
    anyone else the project does not exist (404). `q`: 1 to 500 characters, not only white space, no NUL
    (else 422); `limit`: 1 to 50 (else 400). `entities`: up to `limit` of the project's knowledge-graph
    entities (graph facts only: no candidate, no deleted entity) from two rankings: text (`score`: the
    whole query as the name 4 or an alias 3, a part of one 2, the type 1, plus the share of the query's
    words found in the description; 0 when only the vector found it) and the query's embedding against
    the entity names' (`vector_score`: cosine similarity, at least 0.5; null when the vector did not
    find it), fused by reciprocal rank fusion (`fused_score`: 1/(60 + rank) from each ranking, the chunk
    hits' `fused` scale, so a client may interleave the lists); each with its mentions' spans (chunk,
    start, end).

    Args:
        project_id (UUID): The project's id
        q (str): What to look for
        limit (int | Unset): How many hits at most Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateLimitProblem | SearchResultsBody
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,
q=q,
limit=limit,

    )).parsed
