"""Chat on the fakes: a turn is a chat task in the session's chain; turns run one at a time, in order;
their ends go through the outbox; a session exists only for its owner."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentry.application.chat.history import ChatHistory, ReadTurns
from agentry.application.chat.send_message import SendMessage, SendMessageCommand, Sent
from agentry.application.chat.sessions import CancelTurn, ChangeSession, DeleteSession, ListSessions
from agentry.application.chat.visitors import AdoptVisitor, SendVisitorMessage, WelcomeVisitor
from agentry.application.errors import NotFound, TooManyWaitingTasks
from agentry.application.projects.delete_project import DeleteProject
from agentry.application.tasks.delete_task import DeleteTask
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.submit_task import SubmitTask, SubmitTaskCommand
from agentry.domain.chat.session import CHAT_TAG, TurnStatus
from agentry.domain.errors import IllegalTransition, InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.projects.public_chat import PublicChatSettings
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.spec import TaskSpec
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from tests.fakes.app import ADMIN, ALICE, BOB, OTHERS, TEAM, FakeApp

TOOL_TURN = {"script": [{"say": "Reading it. "}, {"tool": "Read", "input": {"file_path": "a.py"}, "output": "x = 1"}]}


@pytest.fixture
def app() -> FakeApp:
    return FakeApp()


async def send(
    app: FakeApp, message: str, session_id: UUID | None = None, actor: Principal = ALICE, **options: Any
) -> Sent:
    project = None if session_id else next(iter(actor.memberships), TEAM)
    command = SendMessageCommand(message, session_id, project, options or None)
    return await app.use(SendMessage)(actor, command)


async def answer(app: FakeApp) -> None:
    """The worker answers the turn whose order is next (the relay hands the order to the broker)."""
    await app.relay()
    await app.run_next()
    await app.settle()


def task_of(app: FakeApp, sent: Sent) -> AgentTask:
    turn = app.db.chat_turns[sent.turn.id]
    assert turn.task_id is not None
    return app.task(turn.task_id)


async def test_a_first_message_starts_a_session_whose_turn_is_a_queued_chat_task(app: FakeApp) -> None:
    sent = await send(app, "Why is the build red?\nIt was green yesterday.")

    session = app.db.chat_sessions[sent.session.id]
    assert (session.owner_id, session.project_id, session.title) == (ALICE.id, TEAM, "Why is the build red?")
    task = task_of(app, sent)
    assert task.status is TaskStatus.QUEUED and task.tags == (CHAT_TAG,) and task.prompt.startswith("Why")
    assert sent.turn.status is TurnStatus.RUNNING and session.current_turn_id == sent.turn.id


async def test_a_turns_job_is_asked_to_go_at_once_and_a_plain_tasks_is_left_to_the_relay(app: FakeApp) -> None:
    """Someone waits for a turn's first words: its job is sent straight after the commit."""
    sent = await send(app, "Hello")
    [row] = [r for r in app.db.jobs.values() if r.job.order.task_id == task_of(app, sent).id]
    assert row.at_once
    await app.use(SubmitTask)(ALICE, SubmitTaskCommand(TaskSpec("T", "A plain task."), None, TEAM))
    assert [r.at_once for r in app.db.jobs.values() if r.job.order.task_id != row.job.order.task_id] == [False]


async def test_messages_sent_while_the_agent_answers_wait_and_are_answered_in_order_resuming_the_session(
    app: FakeApp,
) -> None:
    first = await send(app, "One")
    second = await send(app, "Two", first.session.id, **TOOL_TURN)
    third = await send(app, "Three", first.session.id)
    assert (second.turn.status, third.turn.status) == (TurnStatus.QUEUED, TurnStatus.QUEUED)
    assert len([t for t in app.db.tasks.values() if CHAT_TAG in t.tags]) == 1  # one turn at a time

    await answer(app)
    one = task_of(app, first)
    two = task_of(app, second)
    assert app.db.chat_turns[first.turn.id].status is TurnStatus.COMPLETED
    assert app.db.chat_turns[third.turn.id].status is TurnStatus.QUEUED
    assert two.follows_task_id == one.id and two.resume_session_id is not None
    await answer(app)
    await answer(app)
    three = task_of(app, third)
    assert three.follows_task_id == two.id and three.workspace_id == one.id  # one workspace for the chat

    page = await app.use(ChatHistory)(ALICE, first.session.id)
    assert [(m.turn, m.role) for m in page.items] == [(n, r) for n in (1, 2, 3) for r in ("user", "assistant")]
    assert [m.text for m in page.items if m.role == "user"] == ["One", "Two", "Three"]
    reply_two = page.items[3]
    assert reply_two.text == "Reading it. " and reply_two.usage is not None
    assert [(c.name, c.input, c.result) for c in reply_two.tool_calls] == [("Read", {"file_path": "a.py"}, "x = 1")]
    assert all(m.status is TurnStatus.COMPLETED for m in page.items)
    assert not app.db.chat_sessions[first.session.id].busy


async def test_the_end_of_each_turn_goes_through_the_outbox(app: FakeApp) -> None:
    first = await send(app, "One")
    await send(app, "Two", first.session.id, script=[{"fail": "the model is down"}])
    await answer(app)
    await answer(app)

    ends = [e.event for e in app.db.events if e.event.type.startswith("chat.")]
    assert [e.type for e in ends] == ["chat.turn_completed", "chat.turn_failed"]
    assert [e.data["turn"] for e in ends] == [1, 2]
    assert ends[1].data["error"] is not None and ends[0].data["owner_id"] == str(ALICE.id)


async def test_history_is_paged_by_turn(app: FakeApp) -> None:
    first = await send(app, "One")
    await send(app, "Two", first.session.id)
    await answer(app)
    await answer(app)

    page = await app.use(ChatHistory)(ALICE, first.session.id, limit=1)
    assert [m.turn for m in page.items] == [1, 1] and page.next_after == 1
    rest = await app.use(ChatHistory)(ALICE, first.session.id, after=1, limit=1)
    assert [m.turn for m in rest.items] == [2, 2] and rest.next_after is None


async def test_another_user_can_neither_read_nor_send_into_a_session(app: FakeApp) -> None:
    sent = await send(app, "Mine")
    for call in (
        send(app, "Let me in", sent.session.id, actor=BOB),
        app.use(ChatHistory)(BOB, sent.session.id),
        app.use(CancelTurn)(BOB, sent.session.id),
        app.use(DeleteSession)(BOB, sent.session.id),
        app.use(ChangeSession)(BOB, sent.session.id, title="Hijacked"),
    ):
        with pytest.raises(NotFound):
            await call
    assert (await app.use(ListSessions)(BOB)).items == []
    assert app.db.chat_sessions[sent.session.id].turn_count == 1


async def test_a_session_may_not_move_to_another_project(app: FakeApp) -> None:
    sent = await send(app, "Here")
    with pytest.raises(InvalidValue):
        await app.use(SendMessage)(ALICE, SendMessageCommand("There", sent.session.id, OTHERS))


async def test_cancelling_ends_the_current_turn_and_the_next_one_starts(app: FakeApp) -> None:
    first = await send(app, "Long one")
    second = await send(app, "Next", first.session.id)

    await app.use(CancelTurn)(ALICE, first.session.id)

    assert task_of(app, first).status is TaskStatus.CANCELLED
    assert app.db.chat_turns[first.turn.id].status is TurnStatus.CANCELLED
    assert app.db.chat_turns[second.turn.id].status is TurnStatus.RUNNING  # it never ran: a fresh start
    assert [e.event.type for e in app.db.events if e.event.type.startswith("chat.")] == ["chat.turn_failed"]


async def test_deleting_a_waiting_turns_task_by_hand_ends_the_turn_and_the_session_goes_on(app: FakeApp) -> None:
    first = await send(app, "One")
    second = await send(app, "Two", first.session.id)

    await app.use(DeleteTask)(ADMIN, task_of(app, first).id)

    assert app.db.chat_turns[first.turn.id].status is TurnStatus.CANCELLED
    assert app.db.chat_turns[second.turn.id].status is TurnStatus.RUNNING
    await answer(app)
    assert app.db.chat_turns[second.turn.id].status is TurnStatus.COMPLETED


async def test_sessions_are_listed_newest_first_renamed_archived_and_deleted_with_their_tasks(app: FakeApp) -> None:
    older = await send(app, "Older")
    newer = await send(app, "Newer")
    await answer(app)
    await answer(app)
    listed = await app.use(ListSessions)(ALICE)
    assert [s.id for s in listed.items] == [newer.session.id, older.session.id]

    renamed = await app.use(ChangeSession)(ALICE, older.session.id, title="  Kept  ", archived=True)
    assert renamed.title == "Kept" and renamed.archived
    assert [s.id for s in (await app.use(ListSessions)(ALICE)).items] == [newer.session.id]
    with pytest.raises(IllegalTransition):
        await send(app, "More", older.session.id)

    task = task_of(app, newer)
    await app.use(DeleteSession)(ALICE, newer.session.id)
    assert newer.session.id not in app.db.chat_sessions and newer.turn.id not in app.db.chat_turns
    assert task.id not in app.db.tasks and app.workspaces.removed == [task.id]


async def test_a_session_whose_agent_answers_cannot_be_deleted(app: FakeApp) -> None:
    sent = await send(app, "Busy")
    with pytest.raises(IllegalTransition):
        await app.use(DeleteSession)(ALICE, sent.session.id)


async def test_messages_count_against_the_waiting_task_quota_with_their_queued_turns(app: FakeApp) -> None:
    app.quotas = replace(app.quotas, user_max_waiting=2)
    first = await send(app, "One")  # its task waits, queued for a worker
    second = await send(app, "Two", first.session.id)  # queued behind it
    before = (dict(app.db.chat_sessions), dict(app.db.chat_turns), dict(app.db.tasks))
    with pytest.raises(TooManyWaitingTasks) as refused:
        await send(app, "Three", first.session.id)
    assert (refused.value.limit, refused.value.waiting) == (2, 2)
    with pytest.raises(TooManyWaitingTasks):
        await send(app, "A new session")
    assert (dict(app.db.chat_sessions), dict(app.db.chat_turns), dict(app.db.tasks)) == before, "nothing kept"
    assert (await send(app, "Mine", actor=BOB)).turn.status is TurnStatus.RUNNING  # per user

    await answer(app)  # turn one answered: turn two's task is queued now, nothing else waits
    assert app.db.chat_turns[second.turn.id].status is TurnStatus.RUNNING
    assert (await send(app, "Three", first.session.id)).turn.status is TurnStatus.QUEUED


async def test_deleting_a_project_deletes_its_chat_sessions_and_their_turns(app: FakeApp) -> None:
    kept = await send(app, "Elsewhere", actor=BOB)
    sent = await send(app, "One")
    await answer(app)
    later = await send(app, "Two", sent.session.id)
    await answer(app)
    await app.use(DeleteProject)(ADMIN, TEAM)
    assert sent.session.id not in app.db.chat_sessions
    assert not {sent.turn.id, later.turn.id} & set(app.db.chat_turns)
    assert set(app.db.chat_sessions) == {kept.session.id} and set(app.db.chat_turns) == {kept.turn.id}


CAROL = Principal(UUID(int=0xCA201), "carol", memberships={TEAM: ProjectRole.MEMBER})
PEOPLE = (ALICE, BOB, CAROL)


VISITOR_SLOTS = 2  # anonymous cookies of TEAM's public chat


async def _open_public_chat(app: FakeApp) -> tuple[Principal, ...]:
    project = app.db.projects[TEAM]
    project.settings = replace(
        project.settings, public_chat=PublicChatSettings(messages_per_minute=100, messages_per_day=1000)
    )
    welcome = app.use(WelcomeVisitor)
    return tuple([Principal.visitor((await welcome(TEAM, None)).visitor.id) for _ in range(VISITOR_SLOTS)])


async def _send_as(app: FakeApp, actor: Principal, message: str, session_id: UUID | None) -> Sent:
    if actor.is_visitor:
        return await app.use(SendVisitorMessage)(actor, TEAM, message, session_id)
    return await send(app, message, session_id, actor=actor)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plan=st.lists(
        st.tuples(st.integers(0, len(PEOPLE) + VISITOR_SLOTS - 1), st.integers(0, 3), st.booleans()),
        min_size=1,
        max_size=8,
    ),
    adoption=st.none() | st.tuples(st.sampled_from(PEOPLE), st.integers(0, VISITOR_SLOTS - 1)),
)
async def test_history_and_events_never_cross_owners(
    plan: list[tuple[int, int, bool]], adoption: tuple[Principal, int] | None
) -> None:
    """Users and anonymous visitors (cookies of TEAM's public chat). Each step: someone sends into one of
    the sessions so far (or a new one), and maybe the worker answers; then maybe a user adopts one
    visitor's sessions. Every one of them then asks for every session's history and for what its event
    stream reads (its turns, their tasks), and users for their own list: only the owner sees a session."""
    app = FakeApp()
    visitors = await _open_public_chat(app)
    actors = (*PEOPLE, *visitors)
    sessions: list[tuple[UUID, Principal]] = []
    for index, pick, run in plan:
        actor = actors[index]
        target = sessions[pick % len(sessions)] if sessions and pick else None
        if target is not None and target[1] is not actor:
            with pytest.raises(NotFound):
                await _send_as(app, actor, "intrude", target[0])
        else:
            sent = await _send_as(app, actor, f"from {actor.name}", target[0] if target else None)
            if target is None:
                sessions.append((sent.session.id, actor))
        if run and app.broker.sent:
            await answer(app)
    if adoption is not None:
        adopter, slot = adoption
        while app.broker.sent:  # the visitor's turns end first, so the adopter gets a settled history
            await answer(app)
        adopted = await app.use(AdoptVisitor)(adopter, visitors[slot].id)
        assert {s.id for s in adopted} == {sid for sid, owner in sessions if owner is visitors[slot]}
        sessions = [(sid, adopter if owner is visitors[slot] else owner) for sid, owner in sessions]
        with pytest.raises(NotFound):  # the visitor is gone with its cookie
            await app.use(AdoptVisitor)(adopter, visitors[slot].id)
    for reader in actors:
        if not reader.is_visitor:
            mine = {s.id for s in (await app.use(ListSessions)(reader)).items}
            assert mine == {sid for sid, owner in sessions if owner is reader}
        for session_id, owner in sessions:
            if owner is reader:
                page = await app.use(ChatHistory)(reader, session_id)
                assert all(m.role == "assistant" or m.text.startswith("from ") for m in page.items)
                session, turns = await app.use(ReadTurns)(reader, session_id, first=1, limit=100)
                # An adopted session's tasks stay in the public chat's project: a user who is no member of it
                # reads the history, not the tasks (README "Public chat").
                reads_tasks = reader.is_visitor or reader.project_role(session.project_id) is not None
                for turn in turns if reads_tasks else ():
                    if turn.task_id is not None:
                        assert (await app.use(GetTask)(reader, turn.task_id)).owner_id == reader.id
            else:
                with pytest.raises(NotFound):
                    await app.use(ChatHistory)(reader, session_id)
                with pytest.raises(NotFound):
                    await app.use(ReadTurns)(reader, session_id, first=1, limit=1)
                if reader.is_visitor:  # nor the tasks behind it (a project's members may read its tasks)
                    for turn in app.db.chat_turns.values():
                        if turn.session_id == session_id and turn.task_id is not None:
                            with pytest.raises(NotFound):
                                await app.use(GetTask)(reader, turn.task_id)
