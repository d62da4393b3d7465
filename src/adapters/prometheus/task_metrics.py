"""The TaskMetrics port on prometheus-client counters."""

from __future__ import annotations

from agentry.adapters.prometheus import families as m
from agentry.adapters.prometheus.labels import BoundedLabel, Children, project_label

MAX_MODELS = 20


class PrometheusTaskMetrics:
    """`runners`: the configured runner names (others are `other`); `max_projects`: how many project
    slugs get series of their own in this process (the rest are `other`)."""

    def __init__(self, runners: frozenset[str], max_projects: int) -> None:
        self._runners = runners
        self._projects = BoundedLabel(max_projects)
        self._models = BoundedLabel(MAX_MODELS)
        self._submitted, self._ended = Children(m.tasks_submitted), Children(m.tasks_ended)
        self._started, self._retried = Children(m.executions_started), Children(m.executions_retried)
        self._tokens, self._cost = Children(m.tokens), Children(m.cost)

    def _runner(self, name: str) -> str:
        return name if name in self._runners else "other"

    def task_submitted(self, priority: str, cause: str) -> None:
        self._submitted(priority, cause).inc()

    def task_ended(self, status: str, runner: str) -> None:
        self._ended(status, self._runner(runner)).inc()

    def execution_started(self, runner: str) -> None:
        self._started(self._runner(runner)).inc()

    def execution_recovered(self) -> None:
        m.executions_recovered.inc()

    def execution_dead_lettered(self) -> None:
        m.executions_dead_lettered.inc()

    def execution_retried(self, how: str) -> None:
        self._retried(how).inc()

    def execution_interrupted(self) -> None:
        m.executions_interrupted.inc()

    def usage(self, project: str, model: str, input_tokens: int, output_tokens: int, cost_usd: float) -> None:
        project, model = self._projects(project_label(project)), self._models(model)
        self._tokens(project, model, "input").inc(input_tokens)
        self._tokens(project, model, "output").inc(output_tokens)
        self._cost(project, model).inc(cost_usd)


class NoTaskMetrics:
    """Metrics off (AGENTRY_METRICS=false): nothing is counted."""

    def task_submitted(self, priority: str, cause: str) -> None: ...
    def task_ended(self, status: str, runner: str) -> None: ...
    def execution_started(self, runner: str) -> None: ...
    def execution_recovered(self) -> None: ...
    def execution_dead_lettered(self) -> None: ...
    def execution_retried(self, how: str) -> None: ...
    def execution_interrupted(self) -> None: ...
    def usage(self, project: str, model: str, input_tokens: int, output_tokens: int, cost_usd: float) -> None: ...
