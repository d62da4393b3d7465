from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_v1_public_projects_project_id_chat_session_id_events_events_response_200 import ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    project_id: UUID,
    session_id: UUID,
    *,
    last_event_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/public/projects/{project_id}/chat/{session_id}/events".format(project_id=quote(str(project_id), safe=""),session_id=quote(str(session_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200.from_dict(response.text)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,

) -> Response[ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]:
    """ Follow a visitor's chat session's replies (server-sent events)

     The events of /agent/chat/{session_id}/events, for the visitor whose cookie this is.

    Args:
        project_id (UUID): The project whose public chat this is
        session_id (UUID): The chat session's id
        last_event_id (str | Unset): `<turn>:<sequence>`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
session_id=session_id,
last_event_id=last_event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: UUID,
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,

) -> ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    """ Follow a visitor's chat session's replies (server-sent events)

     The events of /agent/chat/{session_id}/events, for the visitor whose cookie this is.

    Args:
        project_id (UUID): The project whose public chat this is
        session_id (UUID): The chat session's id
        last_event_id (str | Unset): `<turn>:<sequence>`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem
     """


    return sync_detailed(
        project_id=project_id,
session_id=session_id,
client=client,
last_event_id=last_event_id,

    ).parsed

async def asyncio_detailed(
    project_id: UUID,
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,

) -> Response[ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]:
    """ Follow a visitor's chat session's replies (server-sent events)

     The events of /agent/chat/{session_id}/events, for the visitor whose cookie this is.

    Args:
        project_id (UUID): The project whose public chat this is
        session_id (UUID): The chat session's id
        last_event_id (str | Unset): `<turn>:<sequence>`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
session_id=session_id,
last_event_id=last_event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: UUID,
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,

) -> ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    """ Follow a visitor's chat session's replies (server-sent events)

     The events of /agent/chat/{session_id}/events, for the visitor whose cookie this is.

    Args:
        project_id (UUID): The project whose public chat this is
        session_id (UUID): The chat session's id
        last_event_id (str | Unset): `<turn>:<sequence>`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        project_id=project_id,
session_id=session_id,
client=client,
last_event_id=last_event_id,

    )).parsed
