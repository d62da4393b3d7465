"""The chat sessions one WebSocket follows, a user's (socket.py) or a visitor's (public_chat_socket.py):
each a ChatFollower whose events are pumped into the socket's backlog, behind the replies already there."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

import msgspec

from agentry.domain.chat.session import ChatTurn
from agentry.domain.principal import Principal
from agentry.entrypoints.http.live.channels import Backlog, LiveChannels
from agentry.entrypoints.http.live.chat_stream import ChatFollower
from agentry.entrypoints.http.live.scoped_reads import Scope


def accepted(turn: ChatTurn) -> dict[str, Any]:
    """What the socket tells its client of a turn it sent: the session's events from that turn follow."""
    return {
        "type": "chat.accepted",
        "session_id": str(turn.session_id),
        "turn_id": str(turn.id),
        "turn": turn.number,
        "status": turn.status.value,
        "task_id": str(turn.task_id) if turn.task_id else None,
    }


class FollowedChats:
    def __init__(self, scope: Scope, live: LiveChannels, backlog: Backlog) -> None:
        self._scope = scope
        self._live = live
        self._backlog = backlog
        self._chats: dict[UUID, tuple[ChatFollower, asyncio.Task[None]]] = {}

    def __len__(self) -> int:
        return len(self._chats)

    def __contains__(self, session_id: object) -> bool:
        return session_id in self._chats

    async def subscribe(self, actor: Principal, session_id: UUID) -> None:
        """Follow the session from the turn answered now (or the next); raises NotFound for a session the
        actor may not see."""
        if session_id in self._chats:
            return
        follower = ChatFollower(self._scope, self._live, actor, session_id)
        self._follow(session_id, await follower.start(), follower)

    def sent(self, actor: Principal, turn: ChatTurn) -> None:
        """The client sent `turn`: it is told so first, and the session's events follow from that turn."""
        self._backlog.put(msgspec.json.encode(accepted(turn)))
        self._live.turn_sent(turn.session_id)  # for the session's followers elsewhere
        if turn.session_id in self._chats:
            self._chats[turn.session_id][0].nudge()  # it may be waiting for the session's next turn
        else:
            self._follow(turn.session_id, turn.number, ChatFollower(self._scope, self._live, actor, turn.session_id))

    def stop(self, session_id: UUID) -> None:
        """Stopped as well as cancelled: a cancellation alone can be lost (see ChatFollower.stop)."""
        if (chat := self._chats.pop(session_id, None)) is not None:
            follower, pump = chat
            follower.stop()
            pump.cancel()

    def stop_all(self) -> None:
        for session_id in list(self._chats):
            self.stop(session_id)

    def _follow(self, session_id: UUID, turn: int, follower: ChatFollower) -> None:
        async def pump() -> None:
            async for event in follower.events(turn):
                self._backlog.put(msgspec.json.encode(event.body))

        self._chats[session_id] = (follower, asyncio.create_task(pump()))
