"""The gauges of the queue, read from the database when Prometheus scrapes (QueueCollector), so they
are right whichever process changed the queue and cost nothing between scrapes.

Per-project series are bounded: the `top` projects with the most waiting tasks get a series each,
the rest are summed under `other`; the totals over all projects come as series of their own."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from prometheus_client.core import GaugeMetricFamily, Metric

from agentry.adapters.prometheus.families import SCRAPED
from agentry.adapters.prometheus.labels import OTHER, looks_like_id, project_label

log = logging.getLogger("agentry.metrics")


class ProjectQueueRow(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def waiting(self) -> int: ...
    @property
    def oldest_waiting_since(self) -> datetime | None: ...


class BudgetRow(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def monthly_budget_usd(self) -> float: ...
    @property
    def spent_usd(self) -> float: ...


class QueueRows(Protocol):
    @property
    def projects(self) -> list[ProjectQueueRow]: ...
    @property
    def running_executions(self) -> int: ...
    @property
    def budgets(self) -> list[BudgetRow]: ...


@dataclass(eq=False)  # registered by identity
class QueueCollector:
    read: Callable[[], QueueRows]
    top: int = 50
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def collect(self) -> Iterable[Metric]:
        try:
            rows = self.read()
        except Exception as error:  # a scrape during an outage shows the rest, and says so in the log
            log.warning("queue metrics not read (%s: %s)", type(error).__name__, error)
            return []
        now = self.now()
        waiting = GaugeMetricFamily("agentry_tasks_waiting", SCRAPED["agentry_tasks_waiting"], labels=["project"])
        oldest = GaugeMetricFamily(
            "agentry_tasks_oldest_waiting_seconds", SCRAPED["agentry_tasks_oldest_waiting_seconds"], labels=["project"]
        )
        by_label: dict[str, tuple[int, datetime | None]] = {}
        for row in rows.projects:
            by_label[project_label(row.slug)] = _merge(by_label.get(project_label(row.slug)), row)
        grouped: dict[str, tuple[int, datetime | None]] = {}
        ranked = sorted(by_label.items(), key=lambda item: (-item[1][0], item[0]))
        for index, (slug, (count, first)) in enumerate(ranked):
            label = slug if index < self.top and not looks_like_id(slug) else OTHER
            grouped[label] = _merge(grouped.get(label), _Row(count, first))
        for label, (count, since) in grouped.items():
            waiting.add_metric([label], count)
            oldest.add_metric([label], _age(now, since))
        firsts = [since for _, since in grouped.values() if since is not None]
        total = GaugeMetricFamily("agentry_tasks_waiting_total", SCRAPED["agentry_tasks_waiting_total"])
        total.add_metric([], sum(count for count, _ in grouped.values()))
        oldest_all = GaugeMetricFamily(
            "agentry_tasks_oldest_waiting_all_seconds", SCRAPED["agentry_tasks_oldest_waiting_all_seconds"]
        )
        oldest_all.add_metric([], _age(now, min(firsts)) if firsts else 0.0)
        running = GaugeMetricFamily("agentry_executions_running", SCRAPED["agentry_executions_running"])
        running.add_metric([], rows.running_executions)
        used = GaugeMetricFamily(
            "agentry_project_budget_used_ratio", SCRAPED["agentry_project_budget_used_ratio"], labels=["project"]
        )
        for budget in sorted(rows.budgets, key=lambda b: -b.spent_usd)[: self.top]:
            if not looks_like_id(budget.slug):
                ratio = budget.spent_usd / budget.monthly_budget_usd if budget.monthly_budget_usd > 0 else 1.0
                used.add_metric([budget.slug], ratio)
        return [waiting, oldest, total, oldest_all, running, used]


def _age(now: datetime, since: datetime | None) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


@dataclass(frozen=True, slots=True)
class _Row:
    waiting: int
    oldest_waiting_since: datetime | None


def _merge(into: tuple[int, datetime | None] | None, row: _Row | ProjectQueueRow) -> tuple[int, datetime | None]:
    count, since = into or (0, None)
    first = row.oldest_waiting_since
    earliest = first if since is None or (first is not None and first < since) else since
    return count + row.waiting, earliest
