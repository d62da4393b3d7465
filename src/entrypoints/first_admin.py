"""The embedded profile's first start: tell the person who just ran `agentry serve` how to get an admin."""

from __future__ import annotations

import logging

from dishka import AsyncContainer

from agentry.application.identity.ports.users import UserRepository

log = logging.getLogger("agentry")

HINT = "no admin account yet; create the first with: uv run agentry users create-admin --email you@example.com"


async def hint_when_no_admin(container: AsyncContainer) -> None:
    async with container() as request:
        users = await request.get(UserRepository)
        if await users.count_active_admins() == 0:
            log.warning(HINT)
