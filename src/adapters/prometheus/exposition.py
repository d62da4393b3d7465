"""A service's /metrics: on a port of its own (never the API's), behind a bearer token if one is set.

In multiprocess mode the registry sums the files of every process of the service; the files of
processes that have died are kept for counters (a total never goes back) and dropped for the live
gauges at each scrape (`mark_process_dead`), so a crashed worker's connections or running messages
do not linger.
"""

from __future__ import annotations

import glob
import hmac
import os
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import REGISTRY, CollectorRegistry, make_wsgi_app, multiprocess
from prometheus_client.registry import Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_PID = re.compile(r"_(\d+)\.db$")


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def forget_dead_processes(directory: str) -> list[int]:
    """Mark every process that wrote live gauges here and is gone as dead; which pids those were."""
    dead = []
    for path in glob.glob(os.path.join(directory, "gauge_live*.db")):
        match = _PID.search(path)
        if match is None:
            continue
        pid = int(match.group(1))
        if not _alive(pid):
            multiprocess.mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]
            dead.append(pid)
    return dead


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _DeadProcessSweeper:
    """Not a real collector: runs the sweep as the scrape starts (it yields no samples)."""

    def __init__(self, directory: str) -> None:
        self._directory = directory

    def collect(self) -> Iterable[Any]:
        forget_dead_processes(self._directory)
        return []


def service_registry(extra: Iterable[Collector] = ()) -> CollectorRegistry:
    """The registry a service exposes: in multiprocess mode, the sum of its processes' files."""
    directory = multiprocess_dir()
    if directory is None:
        registry = REGISTRY
    else:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_DeadProcessSweeper(directory))
        multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    for collector in extra:
        registry.register(collector)
    return registry


def guarded(app: Callable[..., Any], token: str | None) -> Callable[..., Any]:
    """Only /metrics; with a token, only for `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode() if token else None

    def guard(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") not in ("/metrics", "/metrics/"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found: the metrics are at /metrics\n"]
        given = environ.get("HTTP_AUTHORIZATION", "").encode()
        if expected is not None and not hmac.compare_digest(given, expected):
            start_response("401 Unauthorized", [("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")])
            return [b"a bearer token is required\n"]
        result: Iterable[bytes] = app(environ, start_response)
        return result

    return guard


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


class _ThreadingServer(WSGIServer):
    daemon_threads = True


def metrics_server(host: str, port: int, registry: CollectorRegistry, token: str | None) -> WSGIServer:
    """Bound now (a taken port fails here, at start); `serve_forever` answers."""
    return make_server(host, port, guarded(make_wsgi_app(registry), token), _ThreadingServer, _QuietHandler)


def serve_in_thread(server: WSGIServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="metrics", daemon=True)
    thread.start()
    return thread
