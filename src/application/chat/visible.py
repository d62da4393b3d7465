"""Who sees a chat session: its owner only, while they may still read its project (a session begun in
a project's public chat, by a visitor or adopted by a user since, needs no membership). To anyone else
it does not exist (404, not 403), so a session id tells nothing."""

from __future__ import annotations

from uuid import UUID

from agentry.application.chat.ports import ChatSessionRepository
from agentry.application.errors import NotFound
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.domain.chat.session import ChatSession
from agentry.domain.principal import Principal


def may_see(policy: AccessPolicy, actor: Principal, session: ChatSession) -> bool:
    return session.owner_id == actor.id and (
        session.public or policy.allows(actor, Action.READ_PROJECT, Resource.of_project(session.project_id))
    )


async def visible_session(
    sessions: ChatSessionRepository,
    policy: AccessPolicy,
    actor: Principal,
    session_id: UUID,
    *,
    for_update: bool = False,
) -> ChatSession:
    session = await sessions.get(session_id, for_update=for_update)
    if session is None or not may_see(policy, actor, session):
        raise NotFound("chat session", session_id)
    return session
