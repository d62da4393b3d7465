"""What every command starts with: its settings, the runners it needs, and failing in one line."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from agentry.entrypoints.config import ConfigError, Settings, load_settings, require_broker
from agentry.entrypoints.logs import configure_logging

if TYPE_CHECKING:
    from agentry.adapters.jwt.sealed_keys import KeySealer
    from agentry.entrypoints.runners import RunnerChoice


def fail(message: str) -> NoReturn:
    click.echo(f"agentry: {message}", err=True)
    sys.exit(2)


def command_settings(*, needs_broker: bool = False, **overrides: Any) -> Settings:
    try:
        settings = load_settings()
        if needs_broker:
            require_broker(settings)
    except ConfigError as error:
        fail(str(error))
    given = {k: v for k, v in overrides.items() if v is not None}
    if given:
        import msgspec

        try:
            settings = msgspec.structs.replace(settings, **given)
        except (TypeError, ValueError) as error:
            fail(str(error))
    configure_logging(settings.log_level, settings.log_format)
    return settings


def command_sealer(settings: Settings) -> KeySealer:
    """The operator's secret that seals the signing keys (AGENTRY_SECRET_KEY or _FILE); embedded, made if need be."""
    from agentry.entrypoints.secret_key import load_sealer

    try:
        return load_sealer(settings)
    except ConfigError as error:
        fail(str(error))


def command_runners(settings: Settings) -> RunnerChoice:
    """Serving and working need the runners they name to work; migrating does not."""
    from agentry.entrypoints.runners import configured_runners

    try:
        return configured_runners(settings)
    except ConfigError as error:
        fail(str(error))
