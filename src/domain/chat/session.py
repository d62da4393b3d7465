"""A chat: a conversation with an agent in one workspace, one turn per user message.

A turn is answered by a task (of kind `chat`, tagged so) in the session's chain: the first turn's task
starts the agent session, each later one is a follow-up that resumes it, in the same workspace. One
turn runs at a time; a message sent while the agent answers waits, queued, and turns start in the
order their messages came.

    (send) → queued ─begin (its task submitted)→ running ─finish→ completed | failed | cancelled
    queued ─cancel→ cancelled (a session being deleted, or a turn that could not start)

Finishing a turn records `chat.turn_completed` or `chat.turn_failed` on the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from agentry.domain.errors import IllegalTransition, InvalidValue
from agentry.domain.events import Aggregate, DomainEvent

AGGREGATE = "chat_session"
TITLE_MAX = 200
MESSAGE_MAX = 100_000
CHAT_TAG = "chat"


class TurnStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in {TurnStatus.COMPLETED, TurnStatus.FAILED, TurnStatus.CANCELLED}


def message_text(message: str) -> str:
    if not message.strip():
        raise InvalidValue("message", "must not be blank")
    if len(message) > MESSAGE_MAX:
        raise InvalidValue("message", f"must be at most {MESSAGE_MAX} characters")
    return message


def title_text(title: str) -> str:
    cleaned = title.strip()
    if not 1 <= len(cleaned) <= TITLE_MAX:
        raise InvalidValue("title", f"must be 1 to {TITLE_MAX} characters, not blank")
    return cleaned


def title_from(message: str) -> str:
    """A new session is named after its first message (its first line, shortened)."""
    line = message.strip().splitlines()[0].strip()
    return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 1] + "…"


@dataclass(eq=False)
class ChatTurn:
    id: UUID
    session_id: UUID
    number: int
    message: str
    created_at: datetime
    options: dict[str, Any] = field(default_factory=dict)  # the task options asked for, as JSON values
    status: TurnStatus = TurnStatus.QUEUED
    task_id: UUID | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error_code: str | None = None
    error_message: str | None = None
    public: bool = False  # asked by a visitor in the project's public chat: its cost counts towards the chat's day


@dataclass(eq=False)
class ChatSession(Aggregate):
    id: UUID
    owner_id: UUID
    project_id: UUID
    title: str
    created_at: datetime
    updated_at: datetime
    archived: bool = False
    turn_count: int = 0
    current_turn_id: UUID | None = None  # the turn the agent is answering now
    resume_task_id: UUID | None = None  # the latest turn's task that left an agent session to resume
    public: bool = False  # started by a visitor (visitor.py) in a project's public chat

    @classmethod
    def start_public(
        cls, session_id: UUID, visitor_id: UUID, project_id: UUID, first_message: str, now: datetime
    ) -> ChatSession:
        session = cls.start(session_id, visitor_id, project_id, first_message, now)
        session.public = True
        return session

    def adopt(self, user_id: UUID, now: datetime) -> None:
        """A visitor's session becomes the user's (who signed up holding the visitor's cookie)."""
        if not self.public:
            raise IllegalTransition("chat session", self.id, "a user's", "adopted")
        self.owner_id = user_id
        self._touch(now)

    @classmethod
    def start(
        cls, session_id: UUID, owner_id: UUID, project_id: UUID, first_message: str, now: datetime
    ) -> ChatSession:
        return cls(session_id, owner_id, project_id, title_from(message_text(first_message)), now, now)

    def ask(
        self,
        turn_id: UUID,
        message: str,
        now: datetime,
        options: dict[str, Any] | None = None,
        *,
        public: bool = False,
    ) -> ChatTurn:
        """A new turn, queued; an archived session takes no messages. `public`: a visitor asks, in the
        project's public chat (only a session begun there takes such a turn)."""
        if self.archived:
            raise IllegalTransition("chat session", self.id, "archived", "sent to")
        if public and not self.public:
            raise IllegalTransition("chat session", self.id, "a user's", "sent to by a visitor")
        text = message_text(message)
        self.turn_count += 1
        self._touch(now)
        return ChatTurn(turn_id, self.id, self.turn_count, text, now, dict(options or {}), public=public)

    @property
    def busy(self) -> bool:
        return self.current_turn_id is not None

    def begin(self, turn: ChatTurn, task_id: UUID, now: datetime) -> None:
        if self.busy or turn.status is not TurnStatus.QUEUED:
            raise IllegalTransition("chat turn", turn.id, turn.status.value, TurnStatus.RUNNING.value)
        turn.status, turn.task_id, turn.started_at = TurnStatus.RUNNING, task_id, now
        self.current_turn_id = turn.id
        self._touch(now)

    def finish(
        self,
        turn: ChatTurn,
        outcome: TurnStatus,
        now: datetime,
        *,
        resumable: bool = False,
        error: tuple[str, str] | None = None,
        usage: dict[str, Any] | None = None,
    ) -> None:
        """The turn's answer ended; the session is free for the next queued turn. `resumable`: the
        turn's task left an agent session the next turn may resume."""
        if not outcome.is_final or turn.status.is_final:
            raise IllegalTransition("chat turn", turn.id, turn.status.value, outcome.value)
        turn.status, turn.finished_at = outcome, max(now, turn.started_at or turn.created_at)
        turn.error_code, turn.error_message = error if error else (None, None)
        if self.current_turn_id == turn.id:
            self.current_turn_id = None
        if resumable and turn.task_id is not None:
            self.resume_task_id = turn.task_id
        self._touch(now)
        kind = "chat.turn_completed" if outcome is TurnStatus.COMPLETED else "chat.turn_failed"
        self.record(
            DomainEvent(
                kind,
                AGGREGATE,
                self.id,
                now,
                {
                    "session_id": str(self.id),
                    "project_id": str(self.project_id),
                    "owner_id": str(self.owner_id),
                    "turn_id": str(turn.id),
                    "turn": turn.number,
                    "task_id": str(turn.task_id) if turn.task_id else None,
                    "status": outcome.value,
                    "error": {"code": turn.error_code, "message": turn.error_message} if turn.error_code else None,
                    "usage": usage,
                },
            )
        )

    def rename(self, title: str, now: datetime) -> None:
        self.title = title_text(title)
        self._touch(now)

    def archive(self, archived: bool, now: datetime) -> None:
        self.archived = archived
        self._touch(now)

    def _touch(self, now: datetime) -> None:
        self.updated_at = max(now, self.updated_at)
