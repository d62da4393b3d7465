"""`agentry openapi`: the OpenAPI document, written to the repository (and checked there by a test)."""

from __future__ import annotations

from pathlib import Path

import click

from agentry.entrypoints.openapi_document import FILE_NAME


@click.group()
def openapi() -> None:
    """The OpenAPI document the code makes."""


@openapi.command()
@click.option(
    "--path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(FILE_NAME),
    show_default=True,
    help="Where to write it",
)
def write(path: Path) -> None:
    """Write the document (JSON, sorted keys) to PATH."""
    from agentry.entrypoints.openapi_document import write as write_document

    changed = write_document(path)
    click.echo(f"{path}: {'written' if changed else 'unchanged'}")
