"""`agentry seed`: the demo account and tasks (entrypoints.seed), submitted through a container of its own."""

from __future__ import annotations

import asyncio

import click

from agentry.entrypoints.cli.database import prepare_database, with_database
from agentry.entrypoints.cli.settings import command_settings


@click.command()
def seed() -> None:
    """Submit a few demo tasks (safe to run twice)."""
    from agentry.adapters.dramatiq.brokers import make_broker
    from agentry.entrypoints.di.container import make_container
    from agentry.entrypoints.relay.wakeup import RelayWakeup
    from agentry.entrypoints.seed import DEMO_EMAIL
    from agentry.entrypoints.seed import seed as run_seed

    settings = command_settings()
    prepare_database(settings)

    async def go() -> tuple[str | None, list[tuple[str, bool]]]:
        container = make_container(settings, make_broker("stub://"), RelayWakeup())
        try:
            return await run_seed(container)
        finally:
            await container.close()

    password, tasks = with_database(lambda: asyncio.run(go()))
    if password is not None:
        click.echo(f"created the demo account {DEMO_EMAIL} with the password {password} (shown once)")
    for title, created in tasks:
        click.echo(f"{'created' if created else 'exists '}  {title}")
    click.echo("the tasks run when `agentry serve` (embedded) or `agentry worker` (production) is running")
