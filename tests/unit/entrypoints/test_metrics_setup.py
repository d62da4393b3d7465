"""Metrics settings per profile, and multiprocess mode's directory: emptied at start, dead processes'
live gauges dropped at scrape."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentry.adapters.prometheus.exposition import forget_dead_processes
from agentry.entrypoints.config import ConfigError, load_settings

PRODUCTION = {"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://db/agentry"}


def test_metrics_are_on_in_production_on_every_interface_and_off_embedded_on_loopback() -> None:
    production, embedded = load_settings(PRODUCTION), load_settings({})
    assert (production.metrics_enabled, production.metrics_interface) == (True, "0.0.0.0")
    assert (embedded.metrics_enabled, embedded.metrics_interface) == (False, "127.0.0.1")
    assert load_settings({"AGENTRY_METRICS": "true"}).metrics_enabled
    assert not load_settings(PRODUCTION | {"AGENTRY_METRICS": "false"}).metrics_enabled


def test_a_metrics_port_that_is_the_apis_or_the_workers_or_a_short_token_stops_the_start() -> None:
    with pytest.raises(ConfigError, match="AGENTRY_METRICS_PORT"):
        load_settings(PRODUCTION | {"AGENTRY_METRICS_PORT": "8000"})
    with pytest.raises(ConfigError, match="AGENTRY_METRICS_PORT"):
        load_settings(PRODUCTION | {"AGENTRY_METRICS_PORT": "9465"})
    with pytest.raises(ConfigError, match="AGENTRY_METRICS_TOKEN=\\*\\*\\*"):
        load_settings(PRODUCTION | {"AGENTRY_METRICS_TOKEN": "short"})
    assert "metrics_token='***'" in repr(load_settings(PRODUCTION | {"AGENTRY_METRICS_TOKEN": "s" * 20}))


WRITE_LIVE_GAUGE = """
from prometheus_client import Gauge
Gauge("agentry_bench_gauge", "a live gauge", multiprocess_mode="livesum").set(3)
"""


def test_the_live_gauges_of_a_process_that_died_are_dropped_and_the_living_ones_kept(tmp_path: Path) -> None:
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    gone = subprocess.run([sys.executable, "-c", WRITE_LIVE_GAUGE], env=env, check=True)
    assert gone.returncode == 0
    [written] = list(tmp_path.glob("gauge_livesum_*.db"))
    mine = tmp_path / f"gauge_livesum_{os.getpid()}.db"
    mine.write_bytes(written.read_bytes())
    dead_pid = int(written.stem.rsplit("_", 1)[1])
    assert forget_dead_processes(str(tmp_path)) == [dead_pid]
    assert [path.name for path in tmp_path.glob("gauge_livesum_*.db")] == [mine.name]


def test_the_services_directory_is_emptied_at_start_and_set_for_the_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentry.entrypoints.metrics import process

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "set-before")  # as a second `prepare` in one process sees it
    stale = tmp_path / "worker" / "counter_123.db"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    settings = load_settings(PRODUCTION | {"AGENTRY_METRICS_DIR": str(tmp_path), "AGENTRY_METRICS_HOST": "127.0.0.1"})
    process.prepare_metrics(settings, "worker", 0)
    assert not stale.exists()
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "worker")
