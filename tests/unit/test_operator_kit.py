"""The operator kit (ops/) parses, and every metric its dashboard, alert rules and scrape
configuration use is one Agentry exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.metrics import MetricWrapperBase

from agentry.adapters.prometheus import families

ROOT = Path(__file__).resolve().parents[2]
OPS = ROOT / "ops"
METRIC = re.compile(r"\bagentry_[a-z0-9_]+")


def exported() -> set[str]:
    """Every sample name a scrape can hold: counters' `_total`, histograms' series, the scraped gauges."""
    names = set(families.SCRAPED)
    for value in vars(families).values():
        if not isinstance(value, MetricWrapperBase):
            continue
        name = value._name
        if isinstance(value, Counter):
            names |= {f"{name}_total", f"{name}_created"}
        elif isinstance(value, Histogram):
            names |= {f"{name}_bucket", f"{name}_count", f"{name}_sum"}
        elif isinstance(value, Gauge):
            names.add(name)
    return names


def dashboard() -> dict[str, Any]:
    loaded = json.loads((OPS / "grafana" / "agentry.json").read_text())
    assert isinstance(loaded, dict)
    return loaded


def alert_rules() -> list[dict[str, Any]]:
    loaded = yaml.safe_load((OPS / "prometheus" / "alerts.yml").read_text())
    return [rule for group in loaded["groups"] for rule in group["rules"]]


def test_every_metric_the_dashboard_shows_is_exported() -> None:
    expressions = [target["expr"] for panel in dashboard()["panels"] for target in panel["targets"]]
    used = {name for expression in expressions for name in METRIC.findall(expression)}
    assert used, "the dashboard queries no Agentry metric"
    assert used <= exported(), used - exported()


def test_every_panel_says_what_it_shows_and_queries_the_provisioned_prometheus() -> None:
    datasources = yaml.safe_load((OPS / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text())
    uid = datasources["datasources"][0]["uid"]
    panels = dashboard()["panels"]
    assert len({panel["id"] for panel in panels}) == len(panels)
    for panel in panels:
        assert panel["description"] and panel["targets"], panel["title"]
        assert all(target["datasource"]["uid"] == uid for target in panel["targets"]), panel["title"]


def test_the_alert_rules_cover_the_issues_list_and_use_only_exported_metrics() -> None:
    rules = alert_rules()
    names = {rule["alert"] for rule in rules}
    wanted = {
        "AgentryQueueStalled",
        "AgentryFailureRateSpike",
        "AgentryWorkerLostSpike",
        "AgentryBudgetNearlySpent",
        "AgentryHigh5xxRate",
        "AgentryHighP99Latency",
    }
    assert wanted <= names
    for rule in rules:
        used = set(METRIC.findall(rule["expr"]))
        assert used, rule["alert"]
        assert used <= exported(), (rule["alert"], used - exported())
        assert rule["annotations"]["summary"]
        assert _balanced(rule["expr"]), rule["alert"]


def _balanced(expression: str) -> bool:
    depth = 0
    for char in expression:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_prometheus_scrapes_the_api_and_the_workers_on_their_metrics_ports_with_the_rules() -> None:
    from agentry.entrypoints.config import load_settings

    config = yaml.safe_load((OPS / "prometheus" / "prometheus.yml").read_text())
    settings = load_settings({"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://db/agentry"})
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert jobs["agentry-api"]["static_configs"][0]["targets"] == [f"api:{settings.metrics_port}"]
    assert jobs["agentry-worker"]["dns_sd_configs"][0]["port"] == settings.worker_metrics_port
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]


def test_the_observability_services_are_in_their_own_compose_profile_and_mount_files_that_exist() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    kit = {"prometheus", "grafana", "otel-collector", "jaeger"}
    assert kit <= set(services)
    for name in kit:
        assert services[name]["profiles"] == ["observability"], name
        for volume in services[name].get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"
    assert all("profiles" not in services[name] for name in ("api", "worker", "postgres", "redis"))
    collector = yaml.safe_load((OPS / "otel" / "collector.yaml").read_text())
    assert collector["service"]["pipelines"]["traces"]["exporters"] == ["otlp/jaeger"]
