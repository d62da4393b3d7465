from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.publication_body import PublicationBody
from ...models.rate_limit_problem import RateLimitProblem
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    publication_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/projects/{project_id}/publications/{publication_id}/withdraw".format(project_id=quote(str(project_id), safe=""),publication_id=quote(str(publication_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PublicationBody | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = PublicationBody.from_dict(response.json())



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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | PublicationBody | RateLimitProblem]:
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

) -> Response[Problem | PublicationBody | RateLimitProblem]:
    """ Back to draft from review

     Moves: draft → review (submit), review → draft (withdraw), review → published (publish), published →
    archived (archive), published or archived → draft (unpublish). Submit and withdraw: members and
    above; publish, archive and unpublish: maintainers and owners. Another move from the current status:
    409.

    Args:
        project_id (UUID): The project's id
        publication_id (UUID): The publication's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PublicationBody | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
publication_id=publication_id,

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

) -> Problem | PublicationBody | RateLimitProblem | None:
    """ Back to draft from review

     Moves: draft → review (submit), review → draft (withdraw), review → published (publish), published →
    archived (archive), published or archived → draft (unpublish). Submit and withdraw: members and
    above; publish, archive and unpublish: maintainers and owners. Another move from the current status:
    409.

    Args:
        project_id (UUID): The project's id
        publication_id (UUID): The publication's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PublicationBody | RateLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
publication_id=publication_id,
client=client,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    publication_id: UUID,
    *,
    client: AuthenticatedClient,

) -> Response[Problem | PublicationBody | RateLimitProblem]:
    """ Back to draft from review

     Moves: draft → review (submit), review → draft (withdraw), review → published (publish), published →
    archived (archive), published or archived → draft (unpublish). Submit and withdraw: members and
    above; publish, archive and unpublish: maintainers and owners. Another move from the current status:
    409.

    Args:
        project_id (UUID): The project's id
        publication_id (UUID): The publication's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PublicationBody | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
publication_id=publication_id,

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

) -> Problem | PublicationBody | RateLimitProblem | None:
    """ Back to draft from review

     Moves: draft → review (submit), review → draft (withdraw), review → published (publish), published →
    archived (archive), published or archived → draft (unpublish). Submit and withdraw: members and
    above; publish, archive and unpublish: maintainers and owners. Another move from the current status:
    409.

    Args:
        project_id (UUID): The project's id
        publication_id (UUID): The publication's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PublicationBody | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
publication_id=publication_id,
client=client,

    )).parsed
