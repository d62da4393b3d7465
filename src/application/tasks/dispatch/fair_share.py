"""The order in which due work goes to the broker, and so to the next free worker: fair across users.

Round-robin, weighted by what each user runs already: a job's turn is the number of executions its owner
runs now plus the number of the owner's jobs that go before it in the batch (the owner's own jobs go most
urgent first, the longest due among equals). Jobs go out by turn, then priority, then due time. So the
user running the fewest goes first, and one user's excess goes after every other user's next job."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from uuid import UUID

from agentry.application.tasks.ports.user_usage import OwnerLoad
from agentry.domain.tasks.orders import QueueJob


def fair_order(jobs: Iterable[QueueJob], loads: Mapping[UUID, OwnerLoad]) -> list[QueueJob]:
    """The jobs in fair order; `loads` by task id (a job whose task is not in it counts as its own user's,
    running nothing: the relay leaves out the tasks it will not send, cancelled or deleted meanwhile, so
    they take no turn of their owner's)."""
    sent: Counter[UUID] = Counter()
    turns: list[tuple[int, int, datetime, UUID, QueueJob]] = []
    for job in sorted(jobs, key=_urgency):
        task_id = job.order.task_id
        load = loads.get(task_id) or OwnerLoad(task_id, 0)
        turns.append((load.running + sent[load.owner_id], -job.priority_rank, job.available_at, task_id, job))
        sent[load.owner_id] += 1
    turns.sort(key=lambda turn: turn[:4])
    return [turn[-1] for turn in turns]


def _urgency(job: QueueJob) -> tuple[int, datetime, UUID]:
    return -job.priority_rank, job.available_at, job.order.task_id
