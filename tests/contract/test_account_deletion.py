"""DeleteAccount over every storage adapter (the in-memory fake, SQLite, PostgreSQL): what goes with an account
and what stays, written in one transaction."""

from __future__ import annotations

from uuid import uuid4

from agentry.application.users.delete_account import DeleteAccount
from agentry.domain.chat.session import ChatSession
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project
from agentry.domain.roles import GlobalRole, ProjectRole
from tests.contract.builders import make_login_session, make_membership, make_project, make_task, make_user, moment
from tests.contract.storage import Storage
from tests.fakes.app import FAST_HASHER
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock

ADMIN = Principal(uuid4(), "admin", role=GlobalRole.ADMIN, session_id=uuid4())


async def test_an_account_goes_with_the_projects_it_alone_is_in_and_its_tasks_elsewhere_stay(
    empty_storage: Storage,
) -> None:
    user, other = make_user(), make_user()
    personal = Project.personal_for(uuid4(), user.id, user.display_name, moment(1))
    alone, shared = make_project(), make_project()
    goes = [make_task(owner_id=user.id, project_id=p.id) for p in (personal, alone)]
    stays = make_task(owner_id=user.id, project_id=shared.id)
    session = make_login_session(user)
    chats = [ChatSession.start(uuid4(), user.id, p.id, "Why?", moment(2)) for p in (shared, personal, shared)]
    others_chat = ChatSession.start(uuid4(), other.id, shared.id, "Mine", moment(2))
    async with empty_storage.scope() as p:
        for account in (user, other):
            await p.users.add(account)
        for project in (personal, alone, shared):
            await p.projects.add(project)
        for membership in (
            make_membership(personal, user, ProjectRole.OWNER),
            make_membership(alone, user, ProjectRole.OWNER),
            make_membership(shared, other, ProjectRole.OWNER),
            make_membership(shared, user, ProjectRole.MEMBER),
        ):
            await p.members.add(membership)
        for task in (*goes, stays):
            await p.tasks.add(task)
        await p.sessions.add(session)
        for chat in (*chats, others_chat):
            await p.chat_sessions.add(chat)
            await p.chat_turns.add(chat.ask(uuid4(), "Why?", moment(2)))
        chats[2].archive(True, moment(3))  # archived ones go too
        await p.uow.commit()

    async with empty_storage.scope() as p:
        delete = DeleteAccount(
            p.users,
            p.projects,
            p.members,
            p.invitations,
            p.chat_sessions,
            p.documents,
            p.publications,
            p.knowledge_edits,
            FAST_HASHER,
            TablePolicy(),
            p.uow,
            FakeClock(),
        )
        await delete(ADMIN, user.id)

    async with empty_storage.scope() as p:
        assert await p.users.get(user.id) is None
        assert await p.projects.get_many([personal.id, alone.id, shared.id]) == [await p.projects.get(shared.id)]
        assert [await p.tasks.get(t.id) for t in goes] == [None, None]
        assert (await p.tasks.get(stays.id)).owner_id == user.id
        assert [m.user_id for m in await p.members.of_project(shared.id)] == [other.id]
        assert await p.sessions.get(session.id) is None
        assert [await p.chat_sessions.get(c.id) for c in chats] == [None, None, None]
        assert [await p.chat_turns.of_session(c.id) for c in chats] == [[], [], []]
        assert (await p.chat_sessions.get(others_chat.id)).owner_id == other.id
        assert len(await p.chat_turns.of_session(others_chat.id)) == 1
