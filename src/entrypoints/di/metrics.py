"""Metrics: the task counters fed by the outbox, and the pool gauges of every engine."""

from __future__ import annotations

from dishka import Provider, Scope, decorate, provide
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from agentry.adapters.sqlalchemy.projects.project_names import SlugCache, SqlAlchemyProjectNames
from agentry.application.metrics.count_task_events import CountTaskEvents
from agentry.application.metrics.ports import ProjectNames, TaskMetrics
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.entrypoints.config import Settings


class MetricsProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def task_metrics(self, settings: Settings, runners: RunnerCatalog) -> TaskMetrics:
        if not settings.metrics_enabled:
            from agentry.adapters.prometheus.task_metrics import NoTaskMetrics

            return NoTaskMetrics()
        from agentry.adapters.prometheus.task_metrics import PrometheusTaskMetrics

        return PrometheusTaskMetrics(runners.names, settings.metrics_max_projects)

    @provide(scope=Scope.APP)
    def slug_cache(self) -> SlugCache:
        return SlugCache()

    @provide
    def project_names(self, session: AsyncSession, cache: SlugCache) -> ProjectNames:
        return SqlAlchemyProjectNames(session, cache)

    @provide
    def count_task_events(self, metrics: TaskMetrics, names: ProjectNames, runners: RunnerCatalog) -> CountTaskEvents:
        return CountTaskEvents(metrics, names, runners.default)

    @decorate(scope=Scope.APP)
    def watched_engine(self, engine: AsyncEngine, settings: Settings) -> AsyncEngine:
        if not settings.metrics_enabled:
            return engine
        from agentry.adapters.prometheus.pool import watch_pool

        return watch_pool(engine)
