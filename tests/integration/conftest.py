"""The real stack: `agentry` processes on real services, driven over HTTP."""

from __future__ import annotations

import atexit
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import redis

from tests.conftest import create_database, drop_database
from tests.integration.sandboxed import Host, host_in

if TYPE_CHECKING:
    from tests.integration.private_redis import PrivateRedis

AGENTRY = str(Path(sys.executable).parent / "agentry")
# The suites sign up, log in and submit far more often than anyone would from one address or with one
# token: their quotas are raised (test_rate_limits.py keeps the real ones). The log-in back-off stays.
ROUTE_CLASSES = ("login", "registration", "refresh", "password", "reads", "writes")
ROOMY_LIMITS = json.dumps({name: {"limit": 100_000, "window_s": 60} for name in ROUTE_CLASSES})

# The production profile seals the signing keys with the operator's secret (embedded makes its own).
SECRET_KEY = "integration-tests-only-secret-key-do-not-reuse"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The stack's tests run one user's bulk work (hundreds of tasks, many at once): the per-user quotas are
# lifted for them, and tested at their defaults in test_fair_share.py (which takes these out again).
LIFTED_QUOTAS = {"AGENTRY_USER_MAX_RUNNING": "null", "AGENTRY_USER_MAX_WAITING": "null"}


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTRY_")}
    # Metrics off unless a test turns them on: their ports are fixed, and many services run at once.
    return env | {"AGENTRY_RATE_LIMITS": ROOMY_LIMITS, "AGENTRY_METRICS": "false"} | LIFTED_QUOTAS | settings


class Service:
    """A started `agentry` process whose output is kept for the failure report."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, log: Path) -> None:
        self.log = log
        self._file = log.open("wb")
        self.process = subprocess.Popen(
            [AGENTRY, *args], env=env, cwd=cwd, stdout=self._file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM to the main process only, as `docker stop` and Kubernetes do; the group is
        killed if it does not end in time. (A SIGTERM to the whole group reaches Dramatiq's
        worker children twice, and Dramatiq takes the second one as 'exit now'.)"""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._file.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@contextmanager
def running(*services: tuple[list[str], dict[str, str]], cwd: Path, wait_for: str | None) -> Iterator[list[Service]]:
    started = [Service(args, env, cwd, cwd / f"service-{i}.log") for i, (args, env) in enumerate(services)]
    try:
        if wait_for:
            wait_until_live(wait_for, started)
        yield started
    except BaseException:
        for service in started:
            print(f"--- {' '.join(service.process.args)} ---\n{service.output()}")  # type: ignore[arg-type]
        raise
    finally:
        for service in started:
            service.stop()


def wait_until_live(base_url: str, services: list[Service], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for service in services:
            if service.process.poll() is not None:
                raise RuntimeError(f"{service.process.args} exited early:\n{service.output()}")
        try:
            if httpx.get(f"{base_url}/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{base_url} did not come up")


@pytest.fixture
def redis_namespace(redis_url: str) -> Iterator[str]:
    namespace = f"agentry-test-{uuid.uuid4().hex[:10]}"
    yield namespace
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{namespace}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def production_env(postgres_server: str, redis_url: str, redis_namespace: str) -> Iterator[dict[str, str]]:
    database = migrated_database(postgres_server)
    yield clean_env(
        AGENTRY_PROFILE="production",
        AGENTRY_DATABASE_URL=database,
        AGENTRY_REDIS_URL=redis_url,
        AGENTRY_REDIS_NAMESPACE=redis_namespace,
        AGENTRY_SECRET_KEY=SECRET_KEY,
        AGENTRY_LOG_LEVEL="WARNING",
        AGENTRY_SCRIPTED_RUNNER="true",  # off by default in production; the tests run offline
        AGENTRY_SERVE_WORKERS="1",  # one API process, as the suites expect; test_admission.py runs more
    )
    drop_database(database)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A Redis of the test's own, started, that it may stop and start again."""
    from tests.integration.private_redis import PrivateRedis  # it needs free_port from here

    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def migrated(env: dict[str, str], cwd: Path) -> None:
    """`agentry migrate upgrade` on the environment's database: nothing to do for one that `migrated_database`
    copied, when its signing key is sealed with the environment's secret."""
    if env["AGENTRY_DATABASE_URL"] in _COPIES and env.get("AGENTRY_SECRET_KEY") == SECRET_KEY:
        return
    subprocess.run([AGENTRY, "migrate", "upgrade"], env=env, cwd=cwd, check=True, capture_output=True)


_COPIES: set[str] = set()


@functools.cache
def _newest_database(server_url: str) -> str:
    """A database that `agentry migrate upgrade` brought to the newest revision (its first signing key sealed
    with SECRET_KEY), made once per test process and dropped at its exit: the template of the others."""
    url = create_database(server_url)
    atexit.register(drop_database, url)
    env = clean_env(AGENTRY_PROFILE="production", AGENTRY_DATABASE_URL=url, AGENTRY_SECRET_KEY=SECRET_KEY)
    subprocess.run([AGENTRY, "migrate", "upgrade"], env=env, cwd=tempfile.gettempdir(), check=True, capture_output=True)
    return url


def migrated_database(server_url: str) -> str:
    """A new database at the newest revision, as `agentry migrate upgrade` leaves it, copied from a template
    (migrating each test's own takes seconds of fsyncs); `migrated` then has nothing to do. The caller drops it."""
    url = create_database(server_url, template=_newest_database(server_url))
    _COPIES.add(url)
    return url


@dataclass(frozen=True)
class Stack:
    base_url: str
    port: int
    services: list[Service]  # the API process first, then the workers


@contextmanager
def serving_with_worker(env: dict[str, str], cwd: Path, *, threads: int = 2) -> Iterator[Stack]:
    """The production profile's processes on a migrated database: `agentry serve` and one `agentry
    worker` process with `threads` threads, until the block ends."""
    migrated(env, cwd)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    worker = ["worker", "--processes", "1", "--threads", str(threads)]
    with running((["serve", "--port", str(port)], env), (worker, env), cwd=cwd, wait_for=base_url) as services:
        yield Stack(base_url, port, services)


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    """A host for the sandbox tests (sandboxed.host_in): a database, another task's workspace, a port."""
    with host_in(tmp_path) as made:
        yield made
