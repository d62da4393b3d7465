"""A chat message as a client sends it, over HTTP (POST /agent/chat, a visitor's POST /public/…/chat) or a
WebSocket (chat.send): shared by the chat and live slices."""

from __future__ import annotations

from typing import Annotated, Any, Protocol
from uuid import UUID

from msgspec import Meta, Struct

from agentry.domain.chat.session import MESSAGE_MAX
from agentry.domain.errors import InvalidValue
from agentry.domain.tasks.spec import TaskOptions

Message = Annotated[str, Meta(min_length=1, max_length=MESSAGE_MAX)]


class TurnsSent(Protocol):
    """Tells a session's live followers that a turn was sent to it (the live slice's LiveChannels)."""

    def turn_sent(self, session_id: UUID) -> None: ...


class ChatSend(Struct, kw_only=True, forbid_unknown_fields=True):
    message: Message
    session_id: UUID | None = None
    project_id: UUID | None = None
    options: (
        Annotated[
            dict[str, Any],
            Meta(
                description="A task's options (runner, model, max_turns, allowed_tools, permission_mode, "
                "time_limit_s, inactivity_timeout_s, script, append_system_prompt, max_budget_usd), checked "
                "against the project's rules as a task's are; a later turn always runs on its session's runner"
            ),
        ]
        | None
    ) = None

    def options_raw(self) -> dict[str, Any] | None:
        """The options validated the way a task's are, as JSON values."""
        if self.options is None:
            return None
        known = set(TaskOptions().to_raw())
        unknown = sorted(set(self.options) - known)
        if unknown:
            raise InvalidValue("options", f"unknown option(s): {', '.join(unknown)}")
        try:
            return TaskOptions.from_raw(self.options).to_raw()
        except InvalidValue:
            raise
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            raise InvalidValue("options", f"not a task's options: {error}") from error


class PublicSend(Struct, kw_only=True, forbid_unknown_fields=True):
    """A visitor's message: a new session (no session_id) or the next turn of one of its own. It runs on
    the public chat's runner with its tools; a visitor chooses no options."""

    message: Message
    session_id: UUID | None = None
