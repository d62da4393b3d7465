"""The UsageReports port over the in-memory database's daily roll-up (kept at commit, tests/fakes/memory.py)."""

from __future__ import annotations

from datetime import date

from agentry.application.reports.ports import UsageGroup, UsageKeyValue, UsageRow, UsageScope
from agentry.domain.tasks.usage_totals import UsageKey, UsageTotals
from tests.fakes.memory import MemorySession


def _group(key: UsageKey, group_by: UsageGroup) -> UsageKeyValue:
    match group_by:
        case UsageGroup.PROJECT:
            return key.project_id
        case UsageGroup.USER:
            return key.user_id
        case UsageGroup.MODEL:
            return key.model
        case UsageGroup.DAY:
            return key.day


class MemoryUsageReports:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def usage(self, scope: UsageScope, group_by: UsageGroup, first_day: date, last_day: date) -> list[UsageRow]:
        self._s.db.reach()
        sums: dict[UsageKeyValue, UsageTotals] = {}
        for key, totals in self._s.db.usage.items():
            if first_day <= key.day <= last_day and scope.includes(key.project_id, key.user_id):
                group = _group(key, group_by)
                sums[group] = sums.get(group, UsageTotals()) + totals
        return sorted((UsageRow(k, t) for k, t in sums.items()), key=lambda r: str(r.key))
