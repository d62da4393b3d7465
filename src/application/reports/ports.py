"""The usage reports' port: sums of ended executions, read from the daily roll-up, grouped one way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from agentry.domain.tasks.usage_totals import UsageTotals


class UsageGroup(StrEnum):
    PROJECT = "project"
    USER = "user"  # the tasks' submitter
    MODEL = "model"  # the model the tasks asked for; DEFAULT_MODEL ("") for the runner's default
    DAY = "day"  # the day (UTC) the executions started on


@dataclass(frozen=True, slots=True)
class UsageScope:
    """The usage a principal may see: everything, or the usage in `project_ids` and the usage of the
    tasks `user_id` submitted, wherever they ran."""

    everything: bool = False
    project_ids: frozenset[UUID] = frozenset()
    user_id: UUID | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.project_ids and self.user_id is None

    def includes(self, project_id: UUID, user_id: UUID) -> bool:
        return self.everything or project_id in self.project_ids or user_id == self.user_id


UsageKeyValue = UUID | str | date


@dataclass(frozen=True, slots=True)
class UsageRow:
    key: UsageKeyValue
    totals: UsageTotals


class UsageReports(Protocol):
    async def usage(self, scope: UsageScope, group_by: UsageGroup, first_day: date, last_day: date) -> list[UsageRow]:
        """The sums of the executions in `scope` that started from `first_day` to `last_day` (both
        included, UTC), one row per group that has any, in key order (by its text for ids)."""
        ...
