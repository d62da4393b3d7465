"""A project's public chat on the fakes: its settings' rules, a visitor's limits (the daily cost cap
counting visitors gone since), the clean-up of expired visitors (a turn being answered is cancelled
first) and adoption by a signed-in user."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

import pytest

from agentry.application.chat.purge_spend import PurgeOldChatSpend
from agentry.application.chat.purge_visitors import PurgeExpiredVisitors
from agentry.application.chat.send_message import SendMessage, SendMessageCommand, Sent
from agentry.application.chat.visitors import AdoptVisitor, IdentifyVisitor, SendVisitorMessage, WelcomeVisitor
from agentry.application.errors import Forbidden, NotFound, RateLimited, Unauthenticated
from agentry.application.ports.rate_limits import Quota
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.projects.project import ProjectSettings
from agentry.domain.projects.public_chat import PublicChatSettings
from agentry.domain.tasks.script import Say, Spend
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, OTHERS, SYSTEM, TEAM, FakeApp
from tests.fakes.memory_chat import MemoryPublicChatSpend


@pytest.fixture
def app() -> FakeApp:
    app = FakeApp()
    project = app.db.projects[TEAM]
    project.settings = replace(
        project.settings, public_chat=PublicChatSettings(messages_per_minute=2, messages_per_day=3)
    )
    return app


async def arrive(app: FakeApp, project_id: UUID = TEAM) -> Principal:
    return Principal.visitor((await app.use(WelcomeVisitor)(project_id, None)).visitor.id)


async def say(app: FakeApp, visitor: Principal, message: str = "hi", session_id: UUID | None = None) -> Sent:
    return await app.use(SendVisitorMessage)(visitor, TEAM, message, session_id)


@pytest.mark.parametrize(
    "settings",
    [
        {"messages_per_minute": 0},
        {"messages_per_day": 100_001},
        {"messages_per_minute": 10, "messages_per_day": 5},
        {"tokens_per_session": True},
        {"daily_cost_usd": float("nan")},
        {"daily_cost_usd": -1},
        {"runner": " "},
        {"allowed_tools": frozenset({""})},
    ],
)
def test_public_chat_settings_out_of_range_are_refused(settings: dict[str, object]) -> None:
    with pytest.raises(InvalidValue, match=r"settings\.public_chat"):
        PublicChatSettings(**settings)  # type: ignore[arg-type]


def test_public_chat_must_fit_the_projects_own_allow_lists() -> None:
    with pytest.raises(InvalidValue, match=r"public_chat\.runner"):
        ProjectSettings(allowed_runners=frozenset({"scripted"}), public_chat=PublicChatSettings())
    with pytest.raises(InvalidValue, match=r"public_chat\.allowed_tools"):
        ProjectSettings(
            allowed_tools=frozenset({"Read"}), public_chat=PublicChatSettings(allowed_tools=frozenset({"Bash"}))
        )
    fits = PublicChatSettings(runner="scripted", allowed_tools=frozenset({"Read"}))
    assert ProjectSettings(allowed_runners=frozenset({"scripted"}), allowed_tools=frozenset({"Read"}), public_chat=fits)


async def test_a_project_without_public_chat_does_not_exist_for_visitors(app: FakeApp) -> None:
    with pytest.raises(NotFound):
        await arrive(app, OTHERS)
    visitor = await arrive(app)
    with pytest.raises(NotFound):
        await app.use(IdentifyVisitor)(OTHERS, visitor.id)
    app.db.projects[TEAM].settings = ProjectSettings()  # the owner closes it
    with pytest.raises(NotFound):
        await say(app, visitor)


async def test_the_day_limit_holds_past_the_minute_and_refusals_keep_nothing(app: FakeApp) -> None:
    visitor = await arrive(app)
    first = await say(app, visitor)
    await say(app, visitor, session_id=first.session.id)
    with pytest.raises(RateLimited) as minute:
        await say(app, visitor, session_id=first.session.id)
    assert minute.value.policy == "chat-minute"
    app.clock.advance(seconds=61)
    await say(app, visitor, session_id=first.session.id)
    app.clock.advance(seconds=61)
    with pytest.raises(RateLimited) as day:
        await say(app, visitor)
    assert day.value.policy == "chat-day" and day.value.limit == 3
    minute_now = await app.limiter.peek(f"chat-minute:{visitor.id}", Quota(2, 60), app.clock.now().timestamp())
    assert minute_now.count == 0  # the refused message's minute hit was taken back
    assert len(app.db.chat_sessions) == 1 and len(app.db.chat_turns) == 3


async def test_an_expired_visitor_is_refused_then_deleted_with_its_tasks_and_workspace(app: FakeApp) -> None:
    visitor = await arrive(app)
    sent = await say(app, visitor)
    await app.relay()
    await app.run_next()
    await app.settle()
    app.clock.advance(days=2)
    with pytest.raises(Unauthenticated):
        await app.use(IdentifyVisitor)(TEAM, visitor.id)

    assert await app.use(PurgeExpiredVisitors)(SYSTEM) == 1

    assert not app.db.chat_visitors and not app.db.chat_sessions and not app.db.chat_turns
    assert sent.turn.task_id is not None and sent.turn.task_id not in app.db.tasks
    assert app.workspaces.removed == [sent.turn.task_id]


async def test_a_visitor_whose_agent_answers_has_its_turn_cancelled_and_goes_at_the_next_round(app: FakeApp) -> None:
    visitor = await arrive(app)
    sent = await say(app, visitor)
    assert sent.turn.task_id is not None
    await app.relay()
    app.clock.advance(days=2)

    assert await app.use(PurgeExpiredVisitors)(SYSTEM) == 0
    assert app.task(sent.turn.task_id).status in {TaskStatus.CANCELLED, TaskStatus.CANCELLING}
    assert app.db.chat_visitors

    await app.settle()  # the relay ends the cancelled turn
    assert await app.use(PurgeExpiredVisitors)(SYSTEM) == 1
    assert not app.db.chat_visitors and sent.turn.task_id not in app.db.tasks


async def test_only_a_signed_in_user_adopts_and_only_a_current_visitor(app: FakeApp) -> None:
    visitor = await arrive(app)
    sent = await say(app, visitor)
    for actor in (Principal.anonymous(), await arrive(app), SYSTEM):
        with pytest.raises(Unauthenticated):
            await app.use(AdoptVisitor)(actor, visitor.id)
    adopted = await app.use(AdoptVisitor)(ALICE, visitor.id)
    assert [s.id for s in adopted] == [sent.session.id]
    assert app.db.chat_sessions[sent.session.id].owner_id == ALICE.id
    assert sent.turn.task_id is not None and app.task(sent.turn.task_id).owner_id == ALICE.id
    with pytest.raises(NotFound):
        await say(app, visitor, session_id=sent.session.id)


async def answer_at_a_cost(app: FakeApp, sent: Sent, usd: float) -> None:
    """Run the turn's task as if its model had cost `usd` (a visitor's turn takes no script)."""
    assert sent.turn.task_id is not None
    task = app.task(sent.turn.task_id)
    task.options = replace(task.options, script=(Say("an answer"), Spend(usd)))
    await app.run_next()
    await app.settle()


async def spent_today(app: FakeApp) -> float:
    return await MemoryPublicChatSpend(app.db.session()).of_day(TEAM, app.clock.now().date())


async def test_the_daily_cost_cap_counts_what_visitors_cleaned_up_since_spent(app: FakeApp) -> None:
    project = app.db.projects[TEAM]
    assert project.settings.public_chat is not None
    project.settings = replace(project.settings, public_chat=replace(project.settings.public_chat, daily_cost_usd=1.0))
    app.clock.advance(seconds=60)  # a minute into the day: the clean-up below stays on it
    first = await arrive(app)
    sent = await say(app, first)
    await app.relay()
    await answer_at_a_cost(app, sent, 1.5)
    assert await spent_today(app) == 1.5
    app.db.chat_visitors[first.id].expires_at = app.clock.now()
    assert await app.use(PurgeExpiredVisitors)(SYSTEM) == 1
    assert not app.db.chat_visitors and not app.db.tasks

    with pytest.raises(RateLimited) as refused:
        await say(app, await arrive(app))
    assert refused.value.policy == "chat-daily-cost"
    assert len(app.db.chat_turns) == 0

    midnight = app.clock.now().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    app.clock.advance(seconds=(midnight - app.clock.now()).total_seconds())
    await say(app, await arrive(app))  # a new day, a new allowance


async def test_housekeeping_deletes_the_spend_of_days_before_yesterday_and_keeps_the_cap_of_today(
    app: FakeApp,
) -> None:
    today = app.clock.now().date()
    days = [today - timedelta(days=n) for n in (3, 2, 1, 0)]
    session = app.db.session()
    for day in days:
        await MemoryPublicChatSpend(session).add(TEAM, day, 1.0)
    await session.commit()

    assert await app.use(PurgeOldChatSpend)(SYSTEM) == 2
    assert await app.use(PurgeOldChatSpend)(SYSTEM) == 0

    kept: list[date] = sorted(day for _, day in app.db.public_chat_spend)
    assert kept == days[2:]
    with pytest.raises(Forbidden):
        await app.use(PurgeOldChatSpend)(ALICE)


async def test_a_turn_answering_when_its_visitor_is_adopted_still_counts_and_the_users_own_do_not(
    app: FakeApp,
) -> None:
    visitor = await arrive(app)
    sent = await say(app, visitor)
    await app.relay()
    await app.use(AdoptVisitor)(ALICE, visitor.id)
    await answer_at_a_cost(app, sent, 0.25)
    assert await spent_today(app) == 0.25

    mine = await app.use(SendMessage)(ALICE, SendMessageCommand("and now me", sent.session.id))
    assert not mine.turn.public
    await app.relay()
    await answer_at_a_cost(app, mine, 2.0)
    assert app.db.chat_turns[mine.turn.id].status.value == "completed"
    assert await spent_today(app) == 0.25
