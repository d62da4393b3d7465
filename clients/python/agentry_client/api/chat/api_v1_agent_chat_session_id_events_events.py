from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_v1_agent_chat_session_id_events_events_response_200 import ApiV1AgentChatSessionIdEventsEventsResponse200
from ...models.problem import Problem
from ...models.rate_limit_problem import RateLimitProblem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    session_id: UUID,
    *,
    last_event_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/agent/chat/{session_id}/events".format(session_id=quote(str(session_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    if response.status_code == 200:
        response_200 = ApiV1AgentChatSessionIdEventsEventsResponse200.from_dict(response.text)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session_id: UUID,
    *,
    client: AuthenticatedClient,
    last_event_id: str | Unset = UNSET,

) -> Response[ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]:
    """ Follow a chat session's replies (server-sent events)

     chat.turn_started, chat.delta, chat.tool_use, chat.tool_result, chat.completed and chat.failed, turn
    after turn; each event's id is `<turn>:<sequence>`: reconnect with `Last-Event-ID` to resume.
    Without it the stream starts at the turn being answered, or the next one sent.

    Args:
        session_id (UUID): The chat session's id
        last_event_id (str | Unset): `<turn>:<sequence>`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
last_event_id=last_event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    session_id: UUID,
    *,
    client: AuthenticatedClient,
    last_event_id: str | Unset = UNSET,

) -> ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    """ Follow a chat session's replies (server-sent events)

     chat.turn_started, chat.delta, chat.tool_use, chat.tool_result, chat.completed and chat.failed, turn
    after turn; each event's id is `<turn>:<sequence>`: reconnect with `Last-Event-ID` to resume.
    Without it the stream starts at the turn being answered, or the next one sent.

    Args:
        session_id (UUID): The chat session's id
        last_event_id (str | Unset): `<turn>:<sequence>`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem
     """


    return sync_detailed(
        session_id=session_id,
client=client,
last_event_id=last_event_id,

    ).parsed

async def asyncio_detailed(
    session_id: UUID,
    *,
    client: AuthenticatedClient,
    last_event_id: str | Unset = UNSET,

) -> Response[ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]:
    """ Follow a chat session's replies (server-sent events)

     chat.turn_started, chat.delta, chat.tool_use, chat.tool_result, chat.completed and chat.failed, turn
    after turn; each event's id is `<turn>:<sequence>`: reconnect with `Last-Event-ID` to resume.
    Without it the stream starts at the turn being answered, or the next one sent.

    Args:
        session_id (UUID): The chat session's id
        last_event_id (str | Unset): `<turn>:<sequence>`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
last_event_id=last_event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    session_id: UUID,
    *,
    client: AuthenticatedClient,
    last_event_id: str | Unset = UNSET,

) -> ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem | None:
    """ Follow a chat session's replies (server-sent events)

     chat.turn_started, chat.delta, chat.tool_use, chat.tool_result, chat.completed and chat.failed, turn
    after turn; each event's id is `<turn>:<sequence>`: reconnect with `Last-Event-ID` to resume.
    Without it the stream starts at the turn being answered, or the next one sent.

    Args:
        session_id (UUID): The chat session's id
        last_event_id (str | Unset): `<turn>:<sequence>`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiV1AgentChatSessionIdEventsEventsResponse200 | Problem | RateLimitProblem
     """


    return (await asyncio_detailed(
        session_id=session_id,
client=client,
last_event_id=last_event_id,

    )).parsed
