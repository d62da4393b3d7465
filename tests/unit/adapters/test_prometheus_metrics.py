"""The Prometheus adapter: bounded labels, the queue gauges read at scrape time, the guarded /metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Counter, generate_latest, make_wsgi_app
from prometheus_client.parser import text_string_to_metric_families

from agentry.adapters.prometheus.exposition import guarded
from agentry.adapters.prometheus.labels import OTHER, BoundedLabel, Children, looks_like_id, project_label
from agentry.adapters.prometheus.queue_collector import QueueCollector

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@given(st.uuids())
def test_an_id_never_becomes_a_label_value(an_id: Any) -> None:
    label = BoundedLabel(cap=100)
    assert label(str(an_id)) == OTHER
    assert label(an_id.hex) == OTHER
    assert label(f"personal-{an_id.hex}") == OTHER
    assert project_label(f"personal-{an_id.hex}") == "personal"


def test_a_label_keeps_its_first_values_and_calls_the_rest_other() -> None:
    label = BoundedLabel(cap=2)
    assert [label(v) for v in ("web", "api", "ops", "web", "x" * 65)] == ["web", "api", OTHER, "web", OTHER]
    assert not looks_like_id("claude-sonnet-4-6")
    assert looks_like_id("task-1234567")


@dataclass
class Row:
    slug: str
    waiting: int
    oldest_waiting_since: datetime | None


@dataclass
class Budget:
    slug: str
    monthly_budget_usd: float
    spent_usd: float


@dataclass
class Snapshot:
    projects: list[Row]
    running_executions: int
    budgets: list[Budget] = field(default_factory=list)


def scraped(collector: QueueCollector) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    registry = CollectorRegistry()
    registry.register(collector)
    text = generate_latest(registry).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_the_largest_projects_get_series_and_the_rest_are_summed_as_other() -> None:
    rows = [
        Row("web", 5, NOW - timedelta(seconds=30)),
        Row("api", 3, NOW - timedelta(seconds=300)),
        Row("ops", 1, NOW - timedelta(seconds=10)),
        Row(f"personal-{uuid4().hex}", 2, NOW - timedelta(seconds=50)),
        Row(f"personal-{uuid4().hex}", 2, NOW - timedelta(seconds=70)),
    ]
    budgets = [Budget("web", 10.0, 9.5), Budget("api", 0.0, 0.0)]
    samples = scraped(QueueCollector(lambda: Snapshot(rows, 4, budgets), top=2, now=lambda: NOW))  # type: ignore[arg-type, return-value]
    waiting = {dict(k[1])["project"]: v for k, v in samples.items() if k[0] == "agentry_tasks_waiting"}
    assert waiting == {"web": 5, "personal": 4, "other": 4}
    oldest = {dict(k[1])["project"]: v for k, v in samples.items() if k[0] == "agentry_tasks_oldest_waiting_seconds"}
    assert oldest == {"web": 30, "personal": 70, "other": 300}
    assert samples["agentry_tasks_waiting_total", ()] == 13
    assert samples["agentry_tasks_oldest_waiting_all_seconds", ()] == 300
    assert samples["agentry_executions_running", ()] == 4
    assert samples["agentry_project_budget_used_ratio", (("project", "web"),)] == 0.95
    assert samples["agentry_project_budget_used_ratio", (("project", "api"),)] == 1.0


def test_a_database_that_cannot_be_read_leaves_the_queue_gauges_out_of_the_scrape() -> None:
    def broken() -> Snapshot:
        raise OSError("connection refused")

    assert scraped(QueueCollector(broken)) == {}  # type: ignore[arg-type]


def call(app: Any, path: str, authorization: str | None = None) -> tuple[str, bytes]:
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "QUERY_STRING": ""}
    if authorization is not None:
        environ["HTTP_AUTHORIZATION"] = authorization
    status: list[str] = []
    body = b"".join(app(environ, lambda s, headers, exc_info=None: status.append(s)))
    return status[0], body


def test_metrics_answer_only_at_metrics_and_only_with_the_operators_token() -> None:
    app = guarded(make_wsgi_app(CollectorRegistry()), "a-token-of-sixteen-chars")
    assert call(app, "/metrics")[0].startswith("401")
    assert call(app, "/metrics", "Bearer wrong-token-of-sixteen")[0].startswith("401")
    assert call(app, "/metrics", "Bearer a-token-of-sixteen-chars")[0].startswith("200")
    assert call(app, "/", "Bearer a-token-of-sixteen-chars")[0].startswith("404")
    assert call(guarded(make_wsgi_app(CollectorRegistry()), None), "/metrics")[0].startswith("200")


def test_the_read_cache_counts_hits_and_misses_by_area() -> None:
    from prometheus_client import REGISTRY

    from agentry.adapters.prometheus.read_cache_metrics import PrometheusReadCacheMetrics

    def count(area: str, result: str) -> float:
        value = REGISTRY.get_sample_value("agentry_read_cache_lookups_total", {"area": area, "result": result})
        return value or 0.0

    before = {(a, r): count(a, r) for a in ("tasks", "usage") for r in ("hit", "miss")}
    metrics = PrometheusReadCacheMetrics()
    metrics.hit("tasks")
    metrics.hit("tasks")
    metrics.miss("usage")
    after = {key: count(*key) - value for key, value in before.items()}
    assert after == {("tasks", "hit"): 2, ("tasks", "miss"): 0, ("usage", "hit"): 0, ("usage", "miss"): 1}


def test_a_child_got_once_counts_every_call_as_the_metric_s_own_child_would() -> None:
    registry = CollectorRegistry()
    counter = Counter("agentry_test_children", "test", ["route", "status"], registry=registry)
    children = Children(counter)
    for _ in range(3):
        children("/a", "200").inc()
    children("/a", "404").inc(2)
    counter.labels("/a", "200").inc()  # the same child, however it is got
    assert children("/a", "200") is counter.labels("/a", "200")
    assert registry.get_sample_value("agentry_test_children_total", {"route": "/a", "status": "200"}) == 4
    assert registry.get_sample_value("agentry_test_children_total", {"route": "/a", "status": "404"}) == 2
