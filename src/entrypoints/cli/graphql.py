"""`agentry graphql schema`: the GraphQL schema's SDL (committed as schema.graphql, checked by a test)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def graphql() -> None:
    """The GraphQL API's schema."""


@graphql.command()
@click.option(
    "--write",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the SDL to this file instead of printing it (e.g. schema.graphql)",
)
def schema(path: Path | None) -> None:
    """Print the schema in SDL."""
    from agentry.entrypoints.graphql.schema_builder import sdl

    text = sdl()
    if path is None:
        click.echo(text, nl=False)
    else:
        path.write_text(text, encoding="utf-8")
        click.echo(f"{path}: written")
