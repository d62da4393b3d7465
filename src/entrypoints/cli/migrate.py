"""`agentry migrate`: upgrade, downgrade and show the database schema (Alembic)."""

from __future__ import annotations

import click

from agentry.entrypoints.cli.database import with_database
from agentry.entrypoints.cli.keys import with_open_keys
from agentry.entrypoints.cli.settings import command_sealer, command_settings


@click.group()
def migrate() -> None:
    """Database migrations (Alembic)."""


@migrate.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: head)."""
    from agentry.adapters.sqlalchemy.migrations import current_revision, head_revision
    from agentry.adapters.sqlalchemy.migrations import upgrade as run_upgrade
    from agentry.entrypoints.signing_keys import ensure_signing_key

    settings = command_settings()
    with_database(lambda: run_upgrade(settings.database, revision))
    now = current_revision(settings.database)
    click.echo(f"database at revision {now}")
    if now == head_revision(settings.database):
        sealer = command_sealer(settings)
        if with_open_keys(settings, lambda engine: ensure_signing_key(engine, sealer)):
            click.echo("created the first access-token signing key")


@migrate.command()
@click.argument("revision", default="-1")
def downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (default: one step back; `base` removes everything)."""
    from agentry.adapters.sqlalchemy.migrations import current_revision
    from agentry.adapters.sqlalchemy.migrations import downgrade as run_downgrade

    settings = command_settings()
    with_database(lambda: run_downgrade(settings.database, revision))
    click.echo(f"database at revision {current_revision(settings.database) or 'base (empty)'}")


@migrate.command()
def current() -> None:
    """Show the database's revision and the newest one available."""
    from agentry.adapters.sqlalchemy.migrations import current_revision, head_revision

    settings = command_settings()
    now = with_database(lambda: current_revision(settings.database))
    head = head_revision(settings.database)
    click.echo(f"current: {now or 'base (empty)'}\nhead:    {head}")
