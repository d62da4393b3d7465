"""How often the relay loop looks for lost work, and that a failing round does not stop it."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide

from agentry.application.tasks.dispatch.redispatch_lost_messages import RedispatchLostMessages
from agentry.application.tasks.run.recover_lost_executions import (
    RecoverLostExecutions,
    RecoveryReport,
    RecoverySettings,
)
from agentry.domain.principal import Principal
from agentry.entrypoints.relay.recovery import RecoveryRounds


class Counting:
    def __init__(self, answer: object) -> None:
        self.calls = 0
        self.answer = answer
        self.failing = False

    async def __call__(self, actor: Principal) -> object:
        self.calls += 1
        if self.failing:
            raise ConnectionError("database unreachable")
        return self.answer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def container(lost: Counting, resend: Counting) -> AsyncContainer:
    class Doubles(Provider):
        scope = Scope.REQUEST

        @provide
        def recover(self) -> RecoverLostExecutions:
            return lost  # type: ignore[return-value]

        @provide
        def redispatch(self) -> RedispatchLostMessages:
            return resend  # type: ignore[return-value]

    return make_async_container(Doubles())


async def test_lost_executions_are_looked_for_every_interval_and_lost_messages_less_often() -> None:
    lost, resend, clock = Counting(RecoveryReport(requeued=1)), Counting(2), Clock()
    rounds = RecoveryRounds(RecoverySettings(check_interval_s=0.5, redispatch_after_s=8.0), clock)
    app = container(lost, resend)
    assert rounds.due_in() == 0, "a first round at once"
    await rounds.run_due(app)
    assert (lost.calls, resend.calls, rounds.due_in()) == (1, 1, 0.5)
    for _ in range(7):
        clock.now += 0.5
        await rounds.run_due(app)
    assert (lost.calls, resend.calls) == (8, 2), "lost messages every quarter of the redispatch time"
    clock.now += 0.2
    await rounds.run_due(app)
    assert lost.calls == 8, "not due yet"


async def test_the_redispatch_check_is_at_most_a_minute_apart() -> None:
    clock = Clock()
    rounds = RecoveryRounds(RecoverySettings(check_interval_s=100.0, redispatch_after_s=3600.0), clock)
    await rounds.run_due(container(Counting(RecoveryReport()), Counting(0)))
    assert rounds.due_in() == 60.0


async def test_a_failing_round_is_tried_again_next_time() -> None:
    lost, resend, clock = Counting(RecoveryReport()), Counting(0), Clock()
    rounds = RecoveryRounds(RecoverySettings(check_interval_s=1.0), clock)
    app = container(lost, resend)
    lost.failing = True
    await rounds.run_due(app)  # logged, not raised
    lost.failing = False
    clock.now += 1.0
    await rounds.run_due(app)
    assert lost.calls == 2
