"""The embedded database (with its -wal and -shm files) and the work directories are the service
user's alone, whatever the umask: 0600 files, 0700 directories; an older install's are tightened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import text

from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.adapters.sqlalchemy.engine import create_async_database, create_sync_database
from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
from agentry.application.tasks.ports.agent_gateway import AgentRun, RunFailed
from agentry.domain.tasks.spec import TaskOptions


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o002)  # group-writable by default: nothing may inherit it
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_embedded_database_and_its_wal_and_shm_files_are_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "agentry.db"
    upgrade(f"sqlite:///{database}")
    engine = create_sync_database(f"sqlite:///{database}")
    with engine.begin() as connection:  # the -wal and -shm files exist while a connection is open
        connection.execute(text("INSERT INTO signing_keys VALUES ('k', 'EdDSA', 'x', '2026-01-01', NULL)"))
        files = [tmp_path / name for name in ("agentry.db", "agentry.db-wal", "agentry.db-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    engine.dispose()


async def test_an_older_installs_database_files_are_made_owner_only_when_opened(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    upgrade(f"sqlite:///{database}")
    for name in ("old.db", "old.db-wal"):
        (tmp_path / name).touch()
        os.chmod(tmp_path / name, 0o664)
    engine = create_async_database(f"sqlite:///{database}")
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        assert (mode(database), mode(tmp_path / "old.db-wal")) == (0o600, 0o600)
    await engine.dispose()


async def test_the_work_directory_and_each_tasks_directory_are_owner_only(tmp_path: Path) -> None:
    (tmp_path / "old-work").mkdir(mode=0o775)
    os.chmod(tmp_path / "old-work", 0o775)
    for work in (tmp_path / "new" / "work", tmp_path / "old-work"):
        runner = ClaudeCodeRunner(work_dir=work, binary="/bin/false", sandbox=UnconfinedSandbox())
        run = AgentRun(UUID(int=1), UUID(int=2), 1, "p", TaskOptions())
        events = [event async for event in runner.run(run)]
        assert isinstance(events[-1], RunFailed)  # `false` is no CLI; the directories are made before it starts
        home = runner.home_of(run)
        assert (mode(work), mode(runner.directory_of(run)), mode(home.parent), mode(home)) == (0o700,) * 4
