"""Executions, success rate, tokens and cost per project, user, model or day, over the usage the actor
may see: admins all of it; owners and maintainers all of their projects'; everyone their own (the tasks
they submitted, in any project). A report reads the daily roll-up, never the executions."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from agentry.application.errors import Forbidden
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.read_cache import USAGE, ReadThrough, project_parts, scope_key, user_part
from agentry.application.reports.ports import UsageGroup, UsageReports, UsageRow, UsageScope
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.tasks.usage_totals import UsageTotals

MAX_DAYS = 3660  # ten years of days: a report's window, bounded so a typo cannot ask for ten thousand


@dataclass(frozen=True, slots=True)
class UsageQuery:
    """`first_day` and `last_day` (UTC, both included); None: from the first of this month, up to today."""

    group_by: UsageGroup = UsageGroup.PROJECT
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True, slots=True)
class UsageReport:
    group_by: UsageGroup
    first_day: date
    last_day: date
    rows: list[UsageRow]

    @property
    def total(self) -> UsageTotals:
        return sum((row.totals for row in self.rows), UsageTotals())


@dataclass(frozen=True, slots=True)
class GetUsageReport:
    """Served from the read cache, keyed by the usage visible (not by who asks), the grouping and the days."""

    reports: UsageReports
    policy: AccessPolicy
    clock: Clock
    cache: ReadThrough

    async def __call__(self, actor: Principal, query: UsageQuery) -> UsageReport:
        today = self.clock.now().date()
        first = query.first_day or (query.last_day or today).replace(day=1)
        last = query.last_day or max(today, first)
        if first > last:
            raise InvalidValue("from", f"must not be after `to` ({first.isoformat()} > {last.isoformat()})")
        if last - first >= timedelta(days=MAX_DAYS):
            raise InvalidValue("to", f"a report covers at most {MAX_DAYS} days")
        scope = usage_scope(self.policy, actor)
        visible = "*" if scope.everything else ",".join(sorted(str(p) for p in scope.project_ids))
        key = scope_key("usage.v1", visible, scope.user_id, query.group_by.value, first.isoformat(), last.isoformat())
        group = query.group_by

        async def compute() -> list[UsageRow]:
            return await self.reports.usage(scope, group, first, last)

        parts = project_parts(scope.everything, scope.project_ids)
        if scope.user_id is not None and not scope.everything:
            parts.append(user_part(scope.user_id))
        rows = await self.cache(USAGE, key, parts, compute, encode_rows, lambda text: decode_rows(group, text))
        return UsageReport(query.group_by, first, last, rows)


def encode_rows(rows: list[UsageRow]) -> str:
    return json.dumps([[str(row.key), asdict(row.totals)] for row in rows])


def decode_rows(group: UsageGroup, text: str) -> list[UsageRow]:
    data: list[list[Any]] = json.loads(text)
    return [UsageRow(_key(group, key), UsageTotals(**totals)) for key, totals in data]


def _key(group: UsageGroup, text: str) -> UUID | str | date:
    if group in (UsageGroup.PROJECT, UsageGroup.USER):
        return UUID(text)
    if group is UsageGroup.DAY:
        return date.fromisoformat(text)
    return text


def usage_scope(policy: AccessPolicy, actor: Principal) -> UsageScope:
    """What the policy lets the actor see of the usage: all (READ_USAGE with no project), the projects where
    it is granted, and the actor's own; raises Forbidden when that is nothing."""
    if policy.allows(actor, Action.READ_USAGE, Resource()):
        return UsageScope(everything=True)
    projects = frozenset(
        project_id
        for project_id in actor.memberships
        if policy.allows(actor, Action.READ_USAGE, Resource.of_project(project_id))
    )
    own = actor.id if policy.allows(actor, Action.READ_USAGE, Resource.of_account(actor.id)) else None
    scope = UsageScope(project_ids=projects, user_id=own)
    if scope.nothing:
        raise Forbidden(Action.READ_USAGE)
    return scope
