"""Sets up multiprocess mode before any metric exists.

prometheus-client chooses where samples go when it is first imported, so `agentry serve` and
`agentry worker` call `prepare_metrics` before importing anything that creates a metric. Each
service gets an emptied directory of its own (under AGENTRY_METRICS_DIR, else a fresh temporary
one): the worker processes Dramatiq starts inherit it, and the service's exposition server sums it.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

from agentry.entrypoints.config import ConfigError, Settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_metrics(settings: Settings, service: str, port: int) -> None:
    """`service`: "api" or "worker"; `port`: where its exposition server will listen (checked free
    now, so a taken port stops the start in one line)."""
    if not settings.metrics_enabled:
        return
    if "prometheus_client" in sys.modules and MULTIPROC_ENV not in os.environ:
        raise RuntimeError("prometheus_client was imported before the metrics directory was set")
    _check_free(settings.metrics_interface, port)
    if settings.metrics_dir:
        directory = Path(settings.metrics_dir) / service
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):  # samples of an earlier run of this service
            stale.unlink()
    else:
        directory = Path(tempfile.mkdtemp(prefix=f"agentry-metrics-{service}-"))
    os.environ[MULTIPROC_ENV] = str(directory)


def _check_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ConfigError(f"metrics port {host}:{port} cannot be used ({error.strerror})") from None
