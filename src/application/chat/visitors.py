"""A project's public chat, for browsers without an account (README "Public chat").

A browser arrives (`WelcomeVisitor`) and becomes a visitor: a session of its own, named by a signed
cookie, bound to the project, expiring `ttl_s` after it arrived. The visitor acts as a principal of
its own kind (`Principal.visitor`), owns the chat sessions it starts and sees nothing else; a project
that has not opened its chat (or closed it since) does not exist for it (404).

Each message counts against the project's public chat limits before anything is kept: messages per
minute and per day (per visitor, through the RateLimiter), the tokens its turns have used, and what
the project's public chat spent today (UTC): every visitor's turns that ended today, those of visitors
cleaned up or adopted since among them (PublicChatSpend). Any of them reached is a 429 (RateLimited)
naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from agentry.application.chat.finish_turn import FinishTurn
from agentry.application.chat.ports import (
    ChatSessionRepository,
    ChatTurnRepository,
    ChatVisitorRepository,
    PublicChatSpend,
)
from agentry.application.chat.send_message import Sent
from agentry.application.chat.start_turn import StartTurn
from agentry.application.errors import NotFound, RateLimited, Unauthenticated
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.rate_limits import Quota, RateLimiter
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.chat.session import ChatSession
from agentry.domain.chat.visitor import ChatVisitor
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project
from agentry.domain.projects.public_chat import PublicChatSettings

MINUTE_S = 60.0
DAY_S = 86_400.0
TTL_S = 86_400  # AGENTRY_ANON_CHAT_TTL_S's default


async def public_project(projects: ProjectRepository, project_id: UUID) -> tuple[Project, PublicChatSettings]:
    """The project and its public chat settings; a project without public chat does not exist here."""
    project = await projects.get(project_id)
    if project is None or project.settings.public_chat is None:
        raise NotFound("project", project_id)
    return project, project.settings.public_chat


async def current_visitor(visitors: ChatVisitorRepository, visitor_id: UUID, now: datetime) -> ChatVisitor | None:
    visitor = await visitors.get(visitor_id)
    return None if visitor is None or visitor.expired(now) else visitor


@dataclass(frozen=True, slots=True)
class Welcome:
    visitor: ChatVisitor
    new: bool


@dataclass(frozen=True, slots=True)
class WelcomeVisitor:
    """A browser arriving at a project's public chat: the visitor its cookie names, if that is still
    current and of this project; otherwise a new one."""

    visitors: ChatVisitorRepository
    projects: ProjectRepository
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    ttl_s: int = TTL_S

    async def __call__(self, project_id: UUID, visitor_id: UUID | None) -> Welcome:
        project, _ = await public_project(self.projects, project_id)
        now = self.clock.now()
        if visitor_id is not None:
            known = await current_visitor(self.visitors, visitor_id, now)
            if known is not None and known.project_id == project.id:
                return Welcome(known, new=False)
        visitor = ChatVisitor.arrive(self.ids.new_id(), project.id, now, self.ttl_s)
        await self.visitors.add(visitor)
        await self.uow.commit()
        return Welcome(visitor, new=True)


@dataclass(frozen=True, slots=True)
class IdentifyVisitor:
    """The principal of the visitor a cookie names, in the project of the request: refused (401) when
    it has expired or is gone, a 404 when the project has no public chat (or the visitor is another's)."""

    visitors: ChatVisitorRepository
    projects: ProjectRepository
    clock: Clock

    async def __call__(self, project_id: UUID, visitor_id: UUID) -> Principal:
        project, _ = await public_project(self.projects, project_id)
        visitor = await current_visitor(self.visitors, visitor_id, self.clock.now())
        if visitor is None:
            raise Unauthenticated("the chat session has expired or is not known: start a new one")
        if visitor.project_id != project.id:
            raise NotFound("project", project_id)
        return Principal.visitor(visitor.id)


@dataclass(frozen=True, slots=True)
class SendVisitorMessage:
    """A visitor's message: a new session (no session id) or the next turn of one of its sessions, on
    the public chat's runner with its tools only."""

    visitors: ChatVisitorRepository
    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    projects: ProjectRepository
    spend: PublicChatSpend
    limiter: RateLimiter
    start: StartTurn
    finish: FinishTurn
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, actor: Principal, project_id: UUID, message: str, session_id: UUID | None) -> Sent:
        project, public = await public_project(self.projects, project_id)
        now = self.clock.now()
        visitor = await current_visitor(self.visitors, actor.id, now) if actor.is_visitor else None
        if visitor is None or visitor.project_id != project.id:
            raise NotFound("project", project_id)
        session = await self._session_of(visitor, session_id) if session_id is not None else None
        await self._require_limits(visitor, public, now)  # with the cost of a turn just finished there
        if session is None:
            session = ChatSession.start_public(self.ids.new_id(), visitor.id, project.id, message, now)
            await self.sessions.add(session)
        options = {"runner": public.runner, "allowed_tools": sorted(public.allowed_tools)}
        turn = session.ask(self.ids.new_id(), message, now, options, public=True)
        await self.turns.add(turn)
        if not session.busy:
            await self.start(session, turn, now)
        await self.uow.commit()
        return Sent(session, turn)

    async def _session_of(self, visitor: ChatVisitor, session_id: UUID) -> ChatSession:
        """The visitor's session, locked; its turn finished if its task has ended (as for a user's message)."""
        found = await self.sessions.get(session_id, for_update=True)
        if found is None or found.owner_id != visitor.id or found.project_id != visitor.project_id:
            raise NotFound("chat session", session_id)
        await self.finish.if_ended(found)
        return found

    async def _require_limits(self, visitor: ChatVisitor, public: PublicChatSettings, now: datetime) -> None:
        used = await self.visitors.tokens_used(visitor.id)
        if used >= public.tokens_per_session:
            lifetime = (visitor.expires_at - visitor.created_at).total_seconds()
            raise RateLimited(
                "chat-tokens",
                public.tokens_per_session,
                lifetime,
                (visitor.expires_at - now).total_seconds(),
                "this chat session has used its tokens",
            )
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if await self.spend.of_day(visitor.project_id, day.date()) >= public.daily_cost_usd:
            tomorrow = day + timedelta(days=1)
            raise RateLimited(
                "chat-daily-cost",
                1,
                DAY_S,
                (tomorrow - now).total_seconds(),
                "this project's public chat has spent what it may today",
            )
        at = now.timestamp()
        quotas = (
            ("chat-minute", Quota(public.messages_per_minute, MINUTE_S), "too many messages this minute"),
            ("chat-day", Quota(public.messages_per_day, DAY_S), "too many messages today"),
        )
        counted: list[str] = []
        for name, quota, what in quotas:  # each hit atomic; a refusal takes back the hits counted before it
            key = f"{name}:{visitor.id}"
            usage = await self.limiter.hit(key, quota, at)
            if not usage.allowed:
                for earlier in counted:
                    await self.limiter.take_back(earlier, at)
                raise RateLimited(name, quota.limit, quota.window_s, usage.reset_s(at), what)
            counted.append(key)


@dataclass(frozen=True, slots=True)
class AdoptVisitor:
    """A user who signed up (or logged in) holding a visitor's cookie takes its chat sessions, with
    their turns' tasks: the history becomes theirs and the visitor ends, so its cookie reaches nothing.

    A session stays in the public chat's project, where its workspace is, and stays `public`: its new
    owner lists it, reads it, follows it, renames, archives and deletes it without being a member there
    (visible.py). Sending into it is a user's message like any other (SendMessage): it takes the right
    to submit tasks in that project, as the public chat's limits no longer apply to it. What its
    visitor's turns cost stays counted in the public chat's day (a turn answering now counts as it ends)."""

    visitors: ChatVisitorRepository
    sessions: ChatSessionRepository
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, visitor_id: UUID) -> list[ChatSession]:
        if actor.is_anonymous or actor.is_visitor or actor.is_system:
            raise Unauthenticated("adopting a chat takes a signed-in user")
        now = self.clock.now()
        visitor = await current_visitor(self.visitors, visitor_id, now)
        if visitor is None:
            raise NotFound("chat visitor", visitor_id)
        adopted = await self.sessions.of_owner(visitor.id, archived=None, before=None, limit=1_000_000)
        for session in adopted:
            session.adopt(actor.id, now)
        await self.visitors.hand_over_tasks(visitor.id, actor.id)
        await self.visitors.remove(visitor)
        await self.uow.commit()
        return adopted
