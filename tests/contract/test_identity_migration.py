"""Migration 0002 on a database that already holds tasks: they move into a default project, and
nothing that belongs to them is lost, neither on the way up nor on the way down (on SQLite, the
rebuilt tasks table must not take its tags, executions and queue jobs with it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from agentry.adapters.sqlalchemy.engine import create_sync_database
from agentry.adapters.sqlalchemy.migrations import downgrade, upgrade
from tests.conftest import create_database, drop_database

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TIME = sa.DateTime(timezone=True)
tasks = sa.table(
    "tasks",
    *[sa.column(n, sa.Uuid()) for n in ("id", "owner_id")],
    *[sa.column(n, sa.String()) for n in ("title", "prompt", "status")],
    *[sa.column(n, sa.Integer()) for n in ("priority", "max_attempts", "attempts", "execution_count", "version")],
    *[sa.column(n, sa.JSON()) for n in ("tags", "options")],
    *[sa.column(n, TIME) for n in ("created_at", "updated_at")],
)
task_tags = sa.table("task_tags", sa.column("task_id", sa.Uuid()), sa.column("tag", sa.String()))
queue_jobs = sa.table(
    "queue_jobs",
    *[sa.column(n, sa.Uuid()) for n in ("id", "task_id")],
    *[sa.column(n, sa.Integer()) for n in ("execution_number", "priority_rank", "attempts")],
    *[sa.column(n, TIME) for n in ("available_at", "created_at")],
)
projects = sa.table(
    "projects",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("slug", sa.String()),
    sa.column("personal", sa.Boolean()),
)
owned = sa.table("tasks", sa.column("id", sa.Uuid()), sa.column("project_id", sa.Uuid()))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/identity.db"
        return
    url = create_database(request.getfixturevalue("postgres_server"))
    yield url
    drop_database(url)


def add_task(engine: sa.Engine) -> UUID:
    task_id = uuid4()
    with engine.begin() as connection:
        connection.execute(
            sa.insert(tasks).values(
                id=task_id,
                owner_id=uuid4(),
                title="old task",
                prompt="p",
                status="queued",
                priority=1,
                max_attempts=3,
                attempts=0,
                execution_count=0,
                version=1,
                tags=["ops"],
                options={},
                created_at=T0,
                updated_at=T0,
            )
        )
        connection.execute(sa.insert(task_tags).values(task_id=task_id, tag="ops"))
        connection.execute(
            sa.insert(queue_jobs).values(
                id=uuid4(),
                task_id=task_id,
                execution_number=1,
                priority_rank=1,
                attempts=0,
                available_at=T0,
                created_at=T0,
            )
        )
    return task_id


def count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_existing_tasks_move_into_a_default_project_and_keep_what_they_own(database_url: str) -> None:
    upgrade(database_url, "0001")
    engine = create_sync_database(database_url)
    try:
        task_ids = {add_task(engine), add_task(engine)}
        upgrade(database_url, "0002")
        with engine.connect() as connection:
            [(project_id, name, personal)] = connection.execute(
                sa.select(projects.c.id, projects.c.name, projects.c.personal).where(projects.c.slug == "default")
            ).all()
            moved = dict(connection.execute(sa.select(owned.c.id, owned.c.project_id)).all())
        assert (name, personal) == ("Default project", False)
        assert moved == dict.fromkeys(task_ids, project_id)
        assert (count(engine, "tasks"), count(engine, "task_tags"), count(engine, "queue_jobs")) == (2, 2, 2)

        downgrade(database_url, "0001")
        assert (count(engine, "tasks"), count(engine, "task_tags"), count(engine, "queue_jobs")) == (2, 2, 2)
    finally:
        engine.dispose()


def test_an_empty_database_gets_no_default_project(database_url: str) -> None:
    upgrade(database_url)
    engine = create_sync_database(database_url)
    try:
        assert count(engine, "projects") == 0
    finally:
        engine.dispose()
