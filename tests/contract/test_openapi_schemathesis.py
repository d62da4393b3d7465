"""The running service against its own OpenAPI document, as an API consumer sees it: schemathesis with
every check, positive and negative data, and stateful sequences along the links the document declares
(create → read → update → delete), over every operation, signed in with a personal API token of an admin.

One `agentry serve` (embedded, a fresh SQLite file, the scripted runner) and one `schemathesis run`, with a
fixed seed and a time budget (SCHEMATHESIS_MAX_TIME_S, 150 s by default): a run is repeatable, and CI's
time stays bounded. Zero failures is the contract.

Where the server refuses data the document calls valid, the document says why, and this test accepts
that status for that operation only: 400 for an operation that takes an opaque cursor (a well-formed
cursor the service did not make) or whose 400 response says when ("400 when": logout with an API
token), 422 for an operation whose 422 response names a rule the schema cannot state ("422 when")."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
AGENTRY = str(Path(sys.executable).with_name("agentry"))
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
MAX_TIME_S = int(os.environ.get("SCHEMATHESIS_MAX_TIME_S", "150"))
SEED = 20261206
PASSWORD = "correct horse battery staple"
ADMIN = "fuzz-admin@example.com"
ROOMY = json.dumps(
    {
        n: {"limit": 1_000_000, "window_s": 60}
        for n in ("login", "registration", "refresh", "password", "reads", "writes")
    }
)
POSITIVE_OK = ["2XX", "3XX", "401", "403", "404", "409", "429"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A running embedded service with an admin and a personal API token: (base URL, token, work dir)."""
    work = tmp_path_factory.mktemp("schemathesis")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTRY_")} | {
        "AGENTRY_DATABASE_URL": f"sqlite:///{work}/api.db",
        "AGENTRY_RUNNER": "scripted",
        "AGENTRY_PORT": str(port),
        "AGENTRY_RATE_LIMITS": ROOMY,
        "AGENTRY_USER_MAX_RUNNING": "null",
        "AGENTRY_USER_MAX_WAITING": "null",
        "AGENTRY_LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [AGENTRY, "users", "create-admin", "--email", ADMIN, "--password", PASSWORD],
        env=env,
        cwd=work,
        check=True,
        capture_output=True,
    )
    log = (work / "serve.log").open("wb")
    process = subprocess.Popen(
        [AGENTRY, "serve"], env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_live(base, process, work)
        yield base, _api_token(base), work
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _wait_until_live(base: str, process: subprocess.Popen[bytes], work: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"agentry serve exited early:\n{(work / 'serve.log').read_text()[-4000:]}")
        try:
            if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail("agentry serve did not come up")


def _api_token(base: str) -> str:
    with httpx.Client(base_url=base, timeout=10) as client:
        login = client.post("/api/v1/auth/login", json={"email": ADMIN, "password": PASSWORD})
        login.raise_for_status()
        bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
        created = client.post("/api/v1/auth/tokens", json={"name": "fuzz", "expires_in_days": 30}, headers=bearer)
        created.raise_for_status()
        token: str = created.json()["token"]
        return token


def positive_data_overrides(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Per operation, the statuses with which it may refuse data its schema allows, as its document says."""
    overrides = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            extra = []
            names = {p.get("name") for p in operation.get("parameters", [])}
            if "cursor" in names or "400 when" in operation["responses"].get("400", {}).get("description", ""):
                extra.append("400")
            if "422 when" in operation["responses"].get("422", {}).get("description", ""):
                extra.append("422")
            if extra:
                overrides.append(
                    {
                        # one filter naming the operation: separate path and method filters would select
                        # every operation with either (the first override of the method won)
                        "include-name": f"{method.upper()} {path}",
                        "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_OK + extra}},
                    }
                )
    return overrides


def test_the_service_keeps_to_its_document_whatever_it_is_sent(service: tuple[str, str, Path]) -> None:
    base, token, work = service
    document = httpx.get(f"{base}/schema/openapi.json", timeout=10).json()
    config = {
        "seed": SEED,
        "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_OK}},
        "operations": positive_data_overrides(document),
    }
    (work / "schemathesis.toml").write_text(_toml(config))
    command = [
        SCHEMATHESIS,
        "--no-color",
        "--config-file",
        str(work / "schemathesis.toml"),
        "run",
        f"{base}/schema/openapi.json",
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--seed",
        str(SEED),
        "--generation-deterministic",
        "--max-time",
        str(MAX_TIME_S),
        "--max-examples",
        "20",
        "--request-timeout",
        "10",
        "--header",
        f"Authorization: Bearer {token}",
        "--output-truncate",
        "false",
        "--warnings",
        "off",
    ]
    run = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=MAX_TIME_S + 240)
    output = run.stdout + run.stderr
    (work / "schemathesis.out").write_text(output)
    if run.returncode != 0:
        print(output[-30000:])
    assert run.returncode == 0, f"schemathesis found failures (output above; full in {work}/schemathesis.out)"


def _toml(config: dict[str, Any]) -> str:
    lines = [f"seed = {config['seed']}", "", "[checks.positive_data_acceptance]"]
    lines.append(f"expected-statuses = {json.dumps(POSITIVE_OK)}")
    for operation in config["operations"]:
        lines += ["", "[[operations]]"]
        lines.append(f"include-name = {json.dumps(operation['include-name'])}")
        statuses = operation["checks"]["positive_data_acceptance"]["expected-statuses"]
        lines.append(f"checks.positive_data_acceptance.expected-statuses = {json.dumps(statuses)}")
    return "\n".join(lines) + "\n"
