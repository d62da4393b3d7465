"""Chat: sessions and turns on SQLAlchemy, the workspaces on this machine's disk, the runners' tool
lists, and the use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.runners.workspaces import LocalWorkspaces
from agentry.adapters.sqlalchemy.chat.repository import SqlAlchemyChatSessions, SqlAlchemyChatTurns
from agentry.adapters.sqlalchemy.chat.spend import SqlAlchemyPublicChatSpend
from agentry.adapters.sqlalchemy.chat.visitors import SqlAlchemyChatVisitors
from agentry.application.chat.finish_turn import FinishTurn
from agentry.application.chat.finish_turns import FinishChatTurns
from agentry.application.chat.history import ChatHistory, ReadTurns
from agentry.application.chat.ports import (
    ChatSessionRepository,
    ChatTurnRepository,
    ChatVisitorRepository,
    PublicChatSpend,
    RunnerTools,
    Workspaces,
)
from agentry.application.chat.purge_spend import PurgeOldChatSpend
from agentry.application.chat.purge_visitors import PurgeExpiredVisitors
from agentry.application.chat.send_message import SendMessage
from agentry.application.chat.sessions import CancelTurn, ChangeSession, DeleteSession, GetSession, ListSessions
from agentry.application.chat.start_turn import StartTurn
from agentry.application.chat.tools import ListAgentTools
from agentry.application.chat.visitors import AdoptVisitor, IdentifyVisitor, SendVisitorMessage, WelcomeVisitor
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.entrypoints.config import Settings
from agentry.entrypoints.http.kit.visitor_cookie import VisitorCookies
from agentry.entrypoints.runners import runner_tool_lists
from agentry.entrypoints.secret_key import load_secret


class ChatProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def workspaces(self, settings: Settings) -> Workspaces:
        return LocalWorkspaces(settings.work_directory)

    @provide(scope=Scope.APP)
    def runner_tools(self, runners: RunnerCatalog) -> RunnerTools:
        """One per process: Claude Code's list is asked once per CLI version."""
        return runner_tool_lists(runners)

    @provide(scope=Scope.APP)
    def visitor_cookies(self, settings: Settings) -> VisitorCookies:
        """Keyed by the service's secret, read when first needed."""
        return VisitorCookies(load_secret(settings))

    sessions = provide(SqlAlchemyChatSessions, provides=ChatSessionRepository)
    turns = provide(SqlAlchemyChatTurns, provides=ChatTurnRepository)
    visitors = provide(SqlAlchemyChatVisitors, provides=ChatVisitorRepository)
    spend = provide(SqlAlchemyPublicChatSpend, provides=PublicChatSpend)

    @provide
    def welcome_visitor(
        self,
        visitors: ChatVisitorRepository,
        projects: ProjectRepository,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
        settings: Settings,
    ) -> WelcomeVisitor:
        return WelcomeVisitor(visitors, projects, uow, clock, ids, settings.anon_chat_ttl_s)

    use_cases = provide_all(
        StartTurn,
        FinishTurn,
        SendMessage,
        ChatHistory,
        ReadTurns,
        ListSessions,
        GetSession,
        ChangeSession,
        DeleteSession,
        CancelTurn,
        FinishChatTurns,
        ListAgentTools,
        IdentifyVisitor,
        SendVisitorMessage,
        AdoptVisitor,
        PurgeExpiredVisitors,
        PurgeOldChatSpend,
    )
