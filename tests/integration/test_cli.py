"""The `agentry` command as a user runs it."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import re
import sqlite3
import subprocess
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner, Result
from litestar.testing import AsyncTestClient

from agentry.application.identity.register_user import RegisterUser, Registration
from agentry.application.knowledge.edit import CreateEntity
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.knowledge.entity import EntityEdit
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.entrypoints.cli import main
from agentry.entrypoints.cli.database import run_use_case
from agentry.entrypoints.config import Settings
from agentry.entrypoints.console_principal import CONSOLE_PRINCIPAL
from agentry.entrypoints.runtime import build_api
from tests.integration.conftest import AGENTRY, clean_env
from tests.integration.helpers import sign_in
from tests.migrated import migrated_sqlite


def agentry(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AGENTRY, *args], cwd=cwd, env=clean_env(**env), capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("args", "env", "names"),
    [
        (["serve"], {"AGENTRY_PORT": "eighty"}, "AGENTRY_PORT"),
        (["serve"], {"AGENTRY_DATABSE_URL": "sqlite:///x.db"}, "did you mean AGENTRY_DATABASE_URL"),
        (["serve"], {"AGENTRY_PROFILE": "production"}, "AGENTRY_DATABASE_URL"),
        (["worker"], {}, "AGENTRY_PROFILE=production"),
        (
            ["worker"],
            {"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://u@127.0.0.1:1/x"},
            "AGENTRY_REDIS_URL",
        ),
        (["migrate", "current"], {"AGENTRY_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x"}, "cannot reach"),
        (["serve"], {"AGENTRY_RUNNER": "anthropic", "ANTHROPIC_API_KEY": ""}, "ANTHROPIC_API_KEY is not set"),
        (
            ["serve"],
            {
                "AGENTRY_PROFILE": "production",
                "AGENTRY_DATABASE_URL": "postgresql://u@127.0.0.1:1/x",
                "AGENTRY_REDIS_URL": "redis://127.0.0.1:1",
                "AGENTRY_RUNNER": "scripted",
                "AGENTRY_SCRIPTED_RUNNER": "true",
            },
            "AGENTRY_SECRET_KEY or AGENTRY_SECRET_KEY_FILE: required when AGENTRY_PROFILE=production",
        ),
        (["serve"], {"AGENTRY_SECRET_KEY_FILE": "/nonexistent/secret"}, "AGENTRY_SECRET_KEY_FILE=/nonexistent/secret"),
        (["serve"], {"AGENTRY_RUNNER": "claude-code", "AGENTRY_CLAUDE_PATH": "/nonexistent/claude"}, "CLAUDE_PATH"),
        *[
            (
                [command],
                {
                    "AGENTRY_PROFILE": "production",
                    "AGENTRY_DATABASE_URL": "postgresql://u@127.0.0.1:1/x",
                    "AGENTRY_REDIS_URL": "redis://127.0.0.1:1",
                    "AGENTRY_RUNNER": "scripted",
                },
                "AGENTRY_RUNNER=scripted: the scripted runner is off",
            )
            for command in ("serve", "worker")
        ],
        (
            ["serve"],
            {"AGENTRY_CLAUDE_PATH": "/bin/true", "AGENTRY_BWRAP_PATH": "/nonexistent/bwrap"},
            "AGENTRY_SANDBOX=bubblewrap: the Claude Code runner's sandbox cannot start here",
        ),
    ],
)
def test_misconfiguration_stops_with_one_line_and_exit_code_2(
    tmp_path: Path, args: list[str], env: dict[str, str], names: str
) -> None:
    done = agentry(*args, cwd=tmp_path, **env)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("agentry: ") and names in lines[0]
    assert "Traceback" not in done.stderr


async def test_seed_creates_a_demo_account_and_tasks_once_and_migrates_the_embedded_database(tmp_path: Path) -> None:
    first = agentry("seed", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("created  ") == 5
    password = re.search(r"demo@agentry.example with the password (\S+)", first.stdout)
    assert password, first.stdout
    assert (tmp_path / "agentry.db").exists()
    again = agentry("seed", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "created" not in again.stdout and again.stdout.count("exists") == 5
    async with AsyncTestClient(build_api(Settings(database_url=f"sqlite:///{tmp_path}/agentry.db"))) as client:
        await sign_in(client, "demo@agentry.example", password.group(1))
        assert (await client.get("/api/v1/tasks")).json()["items"], "the demo user sees the demo tasks"


async def test_create_admin_makes_an_account_that_can_log_in_and_manage_users(tmp_path: Path) -> None:
    secret = "a long admin passphrase"
    done = agentry("users", "create-admin", "--email", "root@example.com", "--password", secret, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    async with AsyncTestClient(build_api(Settings(database_url=f"sqlite:///{tmp_path}/agentry.db"))) as client:
        await sign_in(client, "root@example.com", secret)
        me = (await client.get("/api/v1/auth/me")).json()
        assert me["role"] == "admin"
    again = agentry("users", "create-admin", "--email", "root@example.com", "--password", secret, cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


async def test_the_embedded_service_says_how_to_create_an_admin_until_there_is_one(tmp_path: Path) -> None:
    async def start_and_stop() -> list[str]:
        said = Said()
        logging.getLogger("agentry").addHandler(said)
        try:
            async with AsyncTestClient(build_api(Settings(database_url=f"sqlite:///{tmp_path}/agentry.db"))):
                pass
        finally:
            logging.getLogger("agentry").removeHandler(said)
        return said.lines

    assert agentry("migrate", "upgrade", cwd=tmp_path).returncode == 0
    assert any("agentry users create-admin --email" in line for line in await start_and_stop())
    done = agentry("users", "create-admin", "--email", "root@example.com", "--password", "a long secret", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not any("create-admin" in line for line in await start_and_stop())


async def test_knowledge_reindex_embeds_the_names_the_index_lacks_once(tmp_path: Path) -> None:
    """Entities made with no relay to embed their names (as before the index existed) have no name vector;
    `agentry knowledge reindex` (with the local model) embeds them, and again embeds nothing; an unknown
    project is one line. The command runs in this process (click's runner, in a thread: it runs its own
    event loop): a process of its own spends seconds of CPU importing the container before it starts."""
    url = migrated_sqlite(tmp_path / "agentry.db")
    env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("AGENTRY_")}
    env |= {"AGENTRY_DATABASE_URL": url, "AGENTRY_METRICS": "false"}

    async def arrange(container: Any) -> UUID:
        """A user's personal project with two entities, made through the use cases (no relay runs)."""
        user = await (await container.get(RegisterUser))(
            CONSOLE_PRINCIPAL, Registration("a@b.example", "tulip-harbour-engine-42", "A")
        )
        project = await (await container.get(ProjectRepository)).personal_project_of(user.id)
        owner = Principal(user.id, "a", memberships={project.id: ProjectRole.OWNER})
        for name in ("Ada Lovelace", "Charles Babbage"):
            await (await container.get(CreateEntity))(owner, project.id, EntityEdit(name=name, type="person"))
        return UUID(str(project.id))

    project = str(await asyncio.to_thread(run_use_case, Settings(database_url=url), arrange))

    def kept() -> list[str]:
        path = tmp_path / "agentry.db-entity-vectors"
        if not path.exists():  # no index yet
            return []
        with sqlite3.connect(path) as names:
            rows = names.execute("SELECT metadata FROM vectors WHERE project_id = ?", (project,)).fetchall()
        return sorted(json.loads(row[0])["name"] for row in rows)

    async def reindex(*args: str) -> Result:
        return await asyncio.to_thread(CliRunner().invoke, main, ["knowledge", "reindex", *args], env=env)

    assert kept() == []
    first = await reindex("--project", project, "--batch", "1")
    assert (first.exit_code, first.stdout.strip()) == (0, "embedded 2 names of 2 entities in 1 projects"), first.output
    assert kept() == ["Ada Lovelace", "Charles Babbage"]
    again = await reindex()
    assert (again.exit_code, again.stdout.strip()) == (0, "embedded 0 names of 2 entities in 1 projects"), again.output
    unknown = await reindex("--project", "00000000-0000-0000-0000-00000000000b")
    assert unknown.exit_code == 2 and "not found" in unknown.stderr, unknown.output


class Said(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_keys_rotate_adds_a_key_and_the_last_key_cannot_be_retired(tmp_path: Path) -> None:
    assert agentry("migrate", "upgrade", cwd=tmp_path).returncode == 0
    [first] = agentry("keys", "list", cwd=tmp_path).stdout.split("\n")[:1]
    only = first.split()[0]
    assert first.endswith("  sealed"), first
    refused = agentry("keys", "retire", only, cwd=tmp_path)
    assert refused.returncode == 2 and "only key" in refused.stderr
    assert agentry("keys", "rotate", cwd=tmp_path).returncode == 0
    assert len(agentry("keys", "list", cwd=tmp_path).stdout.strip().splitlines()) == 2
    assert agentry("keys", "retire", only, cwd=tmp_path).returncode == 0
    assert only not in agentry("keys", "list", cwd=tmp_path).stdout


def test_migrate_walks_the_revisions_down_and_up(tmp_path: Path) -> None:
    assert "base (empty)" in agentry("migrate", "current", cwd=tmp_path).stdout
    assert agentry("migrate", "upgrade", cwd=tmp_path).returncode == 0
    current = agentry("migrate", "current", cwd=tmp_path).stdout
    assert current.splitlines()[0].split()[-1] == current.splitlines()[1].split()[-1], "current is head"
    assert "base (empty)" in agentry("migrate", "downgrade", "base", cwd=tmp_path).stdout


async def test_the_service_keeps_its_start_up_objects_out_of_full_garbage_collections(tmp_path: Path) -> None:
    assert agentry("migrate", "upgrade", cwd=tmp_path).returncode == 0
    gc.unfreeze()
    try:
        async with AsyncTestClient(build_api(Settings(database_url=f"sqlite:///{tmp_path}/agentry.db"))):
            assert gc.get_freeze_count() > 10_000, "modules, container and app are frozen once it runs"
    finally:
        gc.unfreeze()


def test_a_secret_key_others_may_read_or_another_secret_stops_the_start_with_one_line(tmp_path: Path) -> None:
    """The embedded service makes its secret next to the database (0600) and seals the signing keys with it."""
    made = agentry("migrate", "upgrade", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    secret = tmp_path / "agentry-secret.key"
    assert secret.stat().st_mode & 0o777 == 0o600 and str(secret) in made.stderr
    with sqlite3.connect(tmp_path / "agentry.db") as db:
        [(stored,)] = db.execute("SELECT private_key FROM signing_keys").fetchall()
    assert "PRIVATE KEY" not in stored

    secret.chmod(0o644)
    exposed = agentry("serve", cwd=tmp_path)
    assert exposed.returncode == 2 and len(exposed.stderr.strip().splitlines()) == 1, exposed.stderr
    assert f"the secret key file {secret}: mode 0644 lets others read it; it must be 0600" in exposed.stderr
    secret.chmod(0o600)

    for settings in ({"AGENTRY_SECRET_KEY": "x" * 40}, {"AGENTRY_SECRET_KEY_FILE": str(secret)}):
        done = agentry("keys", "rotate", cwd=tmp_path, **settings)
        if "AGENTRY_SECRET_KEY" in settings:
            assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
            assert "do not open with the secret key from AGENTRY_SECRET_KEY (key " in done.stderr
            wrong = agentry("serve", cwd=tmp_path, **settings)
            assert wrong.returncode == 2 and wrong.stderr.strip() == done.stderr.strip()
        else:
            assert done.returncode == 0, done.stderr
    assert "Traceback" not in exposed.stderr + done.stderr
