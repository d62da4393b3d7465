"""The `agentry` command: serve, worker, migrate, seed, users, keys, knowledge, openapi, graphql."""

from __future__ import annotations

import os

import click

from agentry.entrypoints.cli import graphql, keys, knowledge, migrate, openapi, seed, serve, users, worker


@click.group()
@click.version_option(package_name="agentry")
def main() -> None:
    """Agentry: runs AI coding-agent tasks for teams."""
    # One BLAS thread per process unless the operator sets it: the local embedding model's batches are
    # small, and OpenBLAS's threads spin on every core around each one (a one-name batch: 14 ms of CPU with
    # one thread, about 280 ms with the default; bench/name_vectors.py). Set before numpy is loaded.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


main.add_command(serve.serve)
main.add_command(worker.worker)
main.add_command(migrate.migrate)
main.add_command(seed.seed)
main.add_command(users.users)
main.add_command(keys.keys)
main.add_command(knowledge.knowledge)
main.add_command(openapi.openapi)
main.add_command(graphql.graphql)
