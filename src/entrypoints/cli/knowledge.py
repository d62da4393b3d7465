"""`agentry knowledge`: upkeep of the knowledge graph's indexes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import click

from agentry.entrypoints.cli.database import prepare_database, run_use_case
from agentry.entrypoints.cli.settings import command_settings, fail


@click.group()
def knowledge() -> None:
    """The knowledge graph."""


@knowledge.command()
@click.option("--project", "project_id", type=click.UUID, default=None, help="Only this project (default: all)")
@click.option("--batch", type=click.IntRange(min=1), default=64, show_default=True, help="Names per embedder call")
def reindex(project_id: UUID | None, batch: int) -> None:
    """Embed the names of entities that have no vector in entity resolution's name index (made before the
    index existed, or while the embedder failed), or one of another model or an older name. Running it
    again embeds nothing more."""
    from agentry.application.knowledge.reindex_names import ReindexNames
    from agentry.application.search.ports import EmbeddingFailed
    from agentry.entrypoints.console_principal import CONSOLE_PRINCIPAL

    settings = command_settings()
    prepare_database(settings)

    async def go(container: Any) -> Any:
        use_case = await container.get(ReindexNames)
        return await use_case(CONSOLE_PRINCIPAL, project_id, batch)

    try:
        report = run_use_case(settings, go)
    except EmbeddingFailed as error:
        fail(f"the embedder failed ({error}); the names embedded before it are kept: run the command again")
    click.echo(f"embedded {report.embedded} names of {report.entities} entities in {report.projects} projects")
