"""`agentry keys`: list, rotate and retire the access-token signing keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

from agentry.entrypoints.cli.database import with_engine
from agentry.entrypoints.cli.settings import command_sealer, command_settings, fail
from agentry.entrypoints.config import Settings

T = TypeVar("T")


@click.group()
def keys() -> None:
    """Access-token signing keys."""


@keys.command("list")
def list_keys() -> None:
    """The keys in use (the newest old enough signs; all of them verify), and whether each is sealed."""
    from agentry.adapters.jwt.sealed_keys import KeySealer
    from agentry.adapters.sqlalchemy.identity.signing_keys import load_signing_keys

    for key in with_engine(command_settings(), load_signing_keys):
        at_rest = "sealed" if KeySealer.is_sealed(key.private_key_pem) else "in the clear (`agentry serve` seals it)"
        click.echo(f"{key.kid}  {key.algorithm}  created {key.created_at:%Y-%m-%d %H:%M:%S}Z  {at_rest}")


@keys.command()
def rotate() -> None:
    """Add a new key; it starts signing once every API process has loaded it."""
    from agentry.entrypoints.signing_keys import add_new_key, seal_stored_keys

    settings = command_settings()
    sealer = command_sealer(settings)

    async def rotate_sealed(engine: Any) -> Any:
        await seal_stored_keys(engine, sealer)
        return await add_new_key(engine, sealer)

    key = with_open_keys(settings, rotate_sealed)
    delay = 2 * settings.signing_key_reload_s
    click.echo(
        f"added key {key.kid}; it signs new tokens in {delay:.0f} s. Retire the previous key with "
        f"`agentry keys retire KID` once {settings.access_token_ttl_s} s more have passed."
    )


@keys.command()
@click.argument("kid")
def retire(kid: str) -> None:
    """Stop accepting tokens signed with KID (the last key cannot be retired)."""
    from agentry.adapters.sqlalchemy.identity.signing_keys import load_signing_keys, retire_signing_key

    settings = command_settings()
    live = {key.kid for key in with_engine(settings, load_signing_keys)}
    if kid not in live:
        fail(f"no key {kid!r} in use; `agentry keys list` shows them")
    if live == {kid}:
        fail("this is the only key; `agentry keys rotate` first")
    with_engine(settings, lambda engine: retire_signing_key(engine, kid, datetime.now(UTC)))
    click.echo(f"retired key {kid}; tokens signed with it are refused from the next reload on")


def with_open_keys(settings: Settings, action: Callable[[Any], Awaitable[T]]) -> T:
    """`with_engine`, saying in one line that the stored signing keys do not open with the secret given."""
    from agentry.adapters.jwt.sealed_keys import WrongSecretKey
    from agentry.entrypoints.secret_key import secret_key_source

    try:
        return with_engine(settings, action)
    except WrongSecretKey as error:
        fail(
            f"the access-token signing keys in the database do not open with the secret key from "
            f"{secret_key_source(settings)} (key {error.kid}): give the secret they were sealed with"
        )
