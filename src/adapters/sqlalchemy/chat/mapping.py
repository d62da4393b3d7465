"""The chat's imperative mapping."""

from __future__ import annotations

from sqlalchemy.orm import registry

from agentry.adapters.sqlalchemy.chat.tables import chat_sessions, chat_turns
from agentry.domain.chat.session import ChatSession, ChatTurn


def map_chat(mappers: registry) -> None:
    mappers.map_imperatively(ChatSession, chat_sessions)
    mappers.map_imperatively(ChatTurn, chat_turns)
