"""The dead-letter middleware on a real Dramatiq worker (stub broker): a run_execution message whose
actor raises on every delivery is handed, once Retries gives up, to the reconciliation use case."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import dramatiq
import pytest
from dishka import Provider, Scope, make_async_container, provide
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

from agentry.adapters.dramatiq.brokers import EXECUTIONS_QUEUE, RUN_EXECUTION_ACTOR
from agentry.application.tasks.run.reconcile_dead_letter import DeadLetter, ReconcileDeadLetter
from agentry.domain.principal import Principal, PrincipalKind
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.entrypoints.worker.dead_letters import DeadLetters, dead_letter
from agentry.entrypoints.worker.dishka_dramatiq import DishkaMiddleware


class RecordingReconciliation:
    def __init__(self) -> None:
        self.letters: list[tuple[Principal, DeadLetter]] = []
        self.called = threading.Event()

    async def __call__(self, actor: Principal, letter: DeadLetter) -> bool:
        self.letters.append((actor, letter))
        self.called.set()
        return True


@pytest.fixture
def reconciliation() -> RecordingReconciliation:
    return RecordingReconciliation()


@pytest.fixture
def broker(reconciliation: RecordingReconciliation) -> Iterator[StubBroker]:
    class Reconciling(Provider):
        scope = Scope.REQUEST

        @provide
        def reconcile(self) -> ReconcileDeadLetter:
            return reconciliation  # type: ignore[return-value]

    broker = StubBroker(middleware=[m() for m in dramatiq.middleware.default_middleware])
    broker.add_middleware(AsyncIO())
    dishka = DishkaMiddleware(lambda: make_async_container(Reconciling()))
    broker.add_middleware(dishka)
    broker.add_middleware(DeadLetters(dishka))
    broker.declare_queue(EXECUTIONS_QUEUE)
    broker.emit_after("process_boot")
    yield broker
    broker.emit_before("process_stop")
    broker.close()


def declare(broker: StubBroker, name: str, failure: Exception) -> dramatiq.Actor[Any, Any]:
    async def always_fails(task_id: str, number: int) -> None:
        raise failure

    declare_actor = dramatiq.actor(
        broker=broker, actor_name=name, queue_name=EXECUTIONS_QUEUE, max_retries=2, min_backoff=1, max_backoff=1
    )
    return declare_actor(always_fails)


def work(broker: StubBroker) -> None:
    worker = dramatiq.Worker(broker, worker_timeout=50, worker_threads=1)
    worker.start()
    try:
        broker.join(EXECUTIONS_QUEUE, fail_fast=False, timeout=10_000)
        worker.join()
    finally:
        worker.stop()


def test_a_message_that_failed_every_delivery_is_reconciled_as_the_system(
    broker: StubBroker, reconciliation: RecordingReconciliation
) -> None:
    actor = declare(broker, RUN_EXECUTION_ACTOR, RuntimeError("database unreachable"))
    task_id = uuid4()
    actor.send(str(task_id), 3)
    work(broker)
    assert reconciliation.called.wait(5)
    [(principal, letter)] = reconciliation.letters
    assert principal.kind is PrincipalKind.SYSTEM
    assert letter == DeadLetter(ExecutionOrder(task_id, 3), 3, "RuntimeError: database unreachable")


def test_other_actors_dead_letters_are_left_alone(broker: StubBroker, reconciliation: RecordingReconciliation) -> None:
    declare(broker, "something_else", RuntimeError("boom")).send(str(uuid4()), 1)
    work(broker)
    assert not reconciliation.called.wait(0.2)


def test_a_message_that_does_not_name_an_order_gives_no_letter() -> None:
    def message(*args: Any) -> dramatiq.Message[Any]:
        return dramatiq.Message(EXECUTIONS_QUEUE, RUN_EXECUTION_ACTOR, args, {}, {})

    assert dead_letter(message("not-a-uuid", 1)) is None
    assert dead_letter(message(str(UUID(int=1)))) is None
    assert dead_letter(message(str(UUID(int=1)), 2)) == DeadLetter(ExecutionOrder(UUID(int=1), 2), 1, None)
