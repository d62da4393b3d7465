"""/api/v1/reports: decode, call the use case, encode. No decisions here."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from agentry.application.reports.get_usage_report import GetUsageReport, UsageQuery
from agentry.application.reports.ports import UsageGroup
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.reports.schemas import UsageReportBody

Actor = NamedDependency[Principal]  # the acting principal, provided by the app


class ReportController(Controller):
    security = REQUIRES_BEARER
    path = "/reports"
    tags = ("reports",)

    @get(
        "/usage",
        summary="Executions, success rate, tokens and cost, grouped",
        description="Sums of the executions that ended, by the day (UTC) they started on, from `from` to `to` "
        "(both included; by default this month up to today). Admins see all usage; owners and maintainers "
        "their projects'; everyone the usage of the tasks they submitted. `success_rate`: succeeded among the "
        "executions that succeeded, failed or timed out. A model `key` of null is the runner's default model.",
        responses=problem_responses(
            400, 401, 403, 422, when={422: "`from` is after `to`, or the two are more than 3660 days apart"}
        ),
    )
    async def usage(
        self,
        actor: Actor,
        usage_report: FromDishka[GetUsageReport],
        group_by: Annotated[UsageGroup, QueryParameter(description="What a row sums over")] = UsageGroup.PROJECT,
        first_day: Annotated[
            date | None, QueryParameter(name="from", description="The first day (YYYY-MM-DD, UTC), included")
        ] = None,
        last_day: Annotated[
            date | None, QueryParameter(name="to", description="The last day (YYYY-MM-DD, UTC), included")
        ] = None,
    ) -> UsageReportBody:
        report = await usage_report(actor, UsageQuery(group_by, first_day, last_day))
        return UsageReportBody.from_domain(report)
