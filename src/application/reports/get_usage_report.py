"""Executions, success rate, tokens and cost per project, user, model or day, over the usage the actor
may see: admins all of it; owners and maintainers all of their projects'; everyone their own (the tasks
they submitted, in any project). A report reads the daily roll-up, never the executions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from agentry.application.errors import Forbidden
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
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
    reports: UsageReports
    policy: AccessPolicy
    clock: Clock

    async def __call__(self, actor: Principal, query: UsageQuery) -> UsageReport:
        today = self.clock.now().date()
        first = query.first_day or (query.last_day or today).replace(day=1)
        last = query.last_day or max(today, first)
        if first > last:
            raise InvalidValue("from", f"must not be after `to` ({first.isoformat()} > {last.isoformat()})")
        if last - first >= timedelta(days=MAX_DAYS):
            raise InvalidValue("to", f"a report covers at most {MAX_DAYS} days")
        scope = usage_scope(self.policy, actor)
        rows = await self.reports.usage(scope, query.group_by, first, last)
        return UsageReport(query.group_by, first, last, rows)


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
