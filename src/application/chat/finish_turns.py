"""Subscriber: when a chat turn's task ends, the turn ends with it, and the next queued turn starts.

It runs in the event relay's transaction: the turn's end (its `chat.turn_completed` or
`chat.turn_failed` event) and the next turn's task are committed with the mark that the task's event
was handed out, or not at all (then the relay hands the event out again; a turn already finished is
left as it is). A next turn that cannot start (its runner is no longer allowed, the budget is spent)
fails at once with the reason, and the one after it is tried. The next message to the session may
have finished the turn first (finish_turn.py): then it is left as it is too.

A visitor's turn (asked in a project's public chat) adds what its task's executions cost to the public
chat's spend of the day it ended, in the same transaction: the daily cost cap counts it from then on,
whatever becomes of the visitor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from agentry.application.chat.finish_turn import ENDINGS, FinishTurn, TurnEnding
from agentry.application.chat.ports import ChatSessionRepository, ChatTurnRepository
from agentry.application.outbox.ports import StoredEvent
from agentry.domain.chat.session import CHAT_TAG


@dataclass(slots=True)
class FinishChatTurns:
    """Made for each relay pass: `prepare` reads which of the batch's ended tasks are chat turns' in one
    statement, and the endings of the others (nearly all, on a busy service) cost nothing. Only the tasks
    tagged as a turn's (CHAT_TAG, which a turn's task has from its start and keeps: it is queued at once,
    and only a pending task can be edited) are looked up; a pass with none of them reads nothing."""

    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    finish: FinishTurn
    _turn_tasks: set[UUID] | None = field(default=None, init=False)  # of the batch, once prepared

    @property
    def name(self) -> str:
        return "chat.turns"

    def wants(self, event_type: str) -> bool:
        return event_type in ENDINGS

    async def prepare(self, batch: Sequence[StoredEvent]) -> None:
        ended = {stored.event.aggregate_id for stored in batch if _may_be_a_turns(stored)}
        self._turn_tasks = await self.turns.tasks_with_turns(ended) if ended else set()

    async def handle(self, stored: StoredEvent) -> None:
        event = stored.event
        if self._turn_tasks is not None and event.aggregate_id not in self._turn_tasks:
            return  # not a turn's task: a turn made in this pass asks for a task whose events come later
        turn = await self.turns.by_task(event.aggregate_id)
        if turn is None or turn.status.is_final:
            return
        session = await self.sessions.get(turn.session_id, for_update=True)
        if session is None or session.current_turn_id != turn.id:
            return  # finished meanwhile, by a message sent to the session (its lock was what this waited for)
        await self.finish(session, turn, TurnEnding.of_event(event.type, event.data))


def _may_be_a_turns(stored: StoredEvent) -> bool:
    """An ending of a task tagged as a turn's, or of one whose event does not tell its tags."""
    tags = stored.event.data.get("tags")
    return stored.event.type in ENDINGS and (not isinstance(tags, list) or CHAT_TAG in tags)
