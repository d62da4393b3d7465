"""Shared fixtures: the real services (PostgreSQL, Redis) the contract and integration suites use.

A service that cannot be reached fails the run under CI=true and skips, loudly, elsewhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
import redis
from hypothesis import settings

from tests.doubles.messages_api import MessagesApiDouble

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")

# The suites run on two processes at once (pytest-xdist, `-n auto` in pyproject.toml): a property test's
# examples are timed on shared cores, so no per-example deadline (a slow example is not a wrong one).
settings.register_profile("shared-cores", deadline=None)
settings.load_profile("shared-cores")
# The real stack's tests (processes, ports, timing) and the ones on RabbitMQ's fixed queues run one after
# another in one test process, as they did alone; the unit and contract suites share the other cores, a
# test module at a time (their module- and class-wide fixtures are made once).
REAL_STACK = ("tests/integration/", "tests/contract/test_message_broker.py")


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    from xdist.scheduler import LoadScopeScheduling

    class RealStackInOneProcess(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "real stack" if nodeid.startswith(REAL_STACK) else nodeid.split("::", 1)[0]

    return RealStackInOneProcess(config, log)  # type: ignore[arg-type]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist, the real stack's tests come first: the longest share starts at once, beside the rest."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: not item.nodeid.startswith(REAL_STACK))


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def reachable(service: str, url: str, probe: Callable[[], object]) -> str:
    """The service's URL if the probe succeeds; otherwise fail under CI=true, skip loudly elsewhere."""
    try:
        probe()
    except Exception as error:  # each client raises a family of its own
        message = f"{service} is not reachable at {url} ({type(error).__name__}: {error})"
        if IN_CI:
            pytest.fail(f"{message}; CI=true requires it", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {message}; start it to run these tests")
    return url


def _admin_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    def probe() -> None:
        with psycopg.connect(_admin_url(POSTGRES_URL), connect_timeout=3) as connection:
            connection.execute("SELECT 1")

    return reachable("PostgreSQL", POSTGRES_URL, probe)


@pytest.fixture(scope="session")
def redis_url() -> str:
    return reachable("Redis", REDIS_URL, redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping)


@pytest.fixture(scope="session")
def rabbitmq_url() -> str:
    import pika

    def probe() -> None:
        pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL + "?connection_attempts=1&socket_timeout=3")).close()

    return reachable("RabbitMQ", RABBITMQ_URL, probe)


def create_database(server_url: str, template: str | None = None) -> str:
    """A throwaway database on the server (a copy of the `template` database's URL if given); its URL."""
    name = f"agentry_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
    with psycopg.connect(_admin_url(server_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    with psycopg.connect(_admin_url(server + "/postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_database(postgres_server: str) -> Iterator[str]:
    url = create_database(postgres_server)
    yield url
    drop_database(url)


@pytest.fixture
def messages_api() -> Iterator[MessagesApiDouble]:
    """A Messages API double (tests/doubles/messages_api.py) on a port of its own, for this test."""
    with MessagesApiDouble() as double:
        yield double
