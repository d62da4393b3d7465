"""The chat's imperative mapping."""

from __future__ import annotations

from sqlalchemy.orm import registry

from agentry.adapters.sqlalchemy.chat.tables import chat_sessions, chat_turns, chat_visitors
from agentry.domain.chat.session import ChatSession, ChatTurn
from agentry.domain.chat.visitor import ChatVisitor


def map_chat(mappers: registry) -> None:
    mappers.map_imperatively(ChatSession, chat_sessions)
    mappers.map_imperatively(ChatTurn, chat_turns)
    mappers.map_imperatively(ChatVisitor, chat_visitors)
