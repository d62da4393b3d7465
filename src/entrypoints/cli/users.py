"""`agentry users`: user accounts made from the console (the first admin, or more)."""

from __future__ import annotations

from typing import Any

import click

from agentry.entrypoints.cli.database import prepare_database, run_use_case
from agentry.entrypoints.cli.settings import command_settings


@click.group()
def users() -> None:
    """User accounts."""


@users.command("create-admin")
@click.option("--email", required=True, help="The admin's email address")
@click.option("--display-name", default="Admin", show_default=True)
@click.password_option(help="Asked for when not given (read from stdin when it is not a terminal)")
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create an admin account (the first one, or more)."""
    from agentry.application.identity.register_user import RegisterUser, Registration
    from agentry.domain.roles import GlobalRole
    from agentry.entrypoints.console_principal import CONSOLE_PRINCIPAL

    settings = command_settings()
    prepare_database(settings)

    async def create(container: Any) -> Any:
        register = await container.get(RegisterUser)
        registration = Registration(email, password, display_name, GlobalRole.ADMIN)
        return await register(CONSOLE_PRINCIPAL, registration)

    user = run_use_case(settings, create)
    click.echo(f"created admin {user.email} ({user.id}); log in at POST /api/v1/auth/login")
