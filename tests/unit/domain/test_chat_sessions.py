"""A chat session's public turns: only a session begun in a public chat takes a visitor's turn, and an
adopted session keeps its earlier turns' mark while the new owner's turns carry none."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from agentry.domain.chat.session import ChatSession
from agentry.domain.errors import IllegalTransition

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def test_a_users_session_takes_no_visitors_turn() -> None:
    session = ChatSession.start(uuid4(), uuid4(), uuid4(), "hello", NOW)
    with pytest.raises(IllegalTransition):
        session.ask(uuid4(), "as a visitor", NOW, public=True)
    assert session.turn_count == 0
    assert not session.ask(uuid4(), "as its owner", NOW).public


def test_an_adopted_sessions_turns_are_the_users_from_then_on() -> None:
    visitor, user = uuid4(), uuid4()
    session = ChatSession.start_public(uuid4(), visitor, uuid4(), "hello", NOW)
    asked = session.ask(uuid4(), "hello", NOW, public=True)
    session.adopt(user, NOW)
    later = session.ask(uuid4(), "mine now", NOW)
    assert (asked.public, later.public, session.owner_id, session.public) == (True, False, user, True)
    with pytest.raises(IllegalTransition):
        ChatSession.start(uuid4(), user, uuid4(), "hi", NOW).adopt(uuid4(), NOW)
