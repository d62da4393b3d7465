"""The `agentry` command: serve, worker, migrate, seed, users, keys, openapi, graphql."""

from __future__ import annotations

import click

from agentry.entrypoints.cli import graphql, keys, migrate, openapi, seed, serve, users, worker


@click.group()
@click.version_option(package_name="agentry")
def main() -> None:
    """Agentry: runs AI coding-agent tasks for teams."""


main.add_command(serve.serve)
main.add_command(worker.worker)
main.add_command(migrate.migrate)
main.add_command(seed.seed)
main.add_command(users.users)
main.add_command(keys.keys)
main.add_command(openapi.openapi)
main.add_command(graphql.graphql)
