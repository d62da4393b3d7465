"""A redis-server of a test's own, which the test may stop and start (never the shared one)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
import redis

from tests.conftest import IN_CI
from tests.integration.conftest import free_port


class PrivateRedis:
    """A redis-server of this test's own, keeping nothing on disk, that it may stop and start."""

    def __init__(self, cwd: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            message = "redis-server is not installed"
            if IN_CI:
                pytest.fail(f"{message}; CI=true requires it", pytrace=False)
            pytest.skip(f"SKIPPED LOUDLY: {message}")
        self._command = [binary, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(cwd)]
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [*self._command, "--port", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(10)
        self._process = None
