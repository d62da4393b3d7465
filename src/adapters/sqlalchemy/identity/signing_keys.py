"""The keys access tokens are signed with, kept in the database so every API node shares them.

Each function runs its own short transaction on the engine: keys are read at start-up and on
rotation, never inside a request's unit of work. No JWT here, and no cryptography: what is stored in
`private_key` (the key sealed under the operator's secret) is the caller's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.sqlalchemy.identity.tables import signing_keys

k = signing_keys.c


@dataclass(frozen=True, slots=True)
class StoredSigningKey:
    kid: str
    algorithm: str
    private_key_pem: str
    created_at: datetime
    retired_at: datetime | None = None


async def load_signing_keys(engine: AsyncEngine, *, retired: bool = False) -> list[StoredSigningKey]:
    """The keys not retired (`retired`: all of them), oldest first (the newest, last, is the one to sign with)."""
    query = select(k.kid, k.algorithm, k.private_key, k.created_at, k.retired_at).order_by(k.created_at, k.kid)
    if not retired:
        query = query.where(k.retired_at.is_(None))
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return [StoredSigningKey(r.kid, r.algorithm, r.private_key, r.created_at, r.retired_at) for r in rows]


async def add_signing_key(engine: AsyncEngine, key: StoredSigningKey) -> None:
    row = {
        "kid": key.kid,
        "algorithm": key.algorithm,
        "private_key": key.private_key_pem,
        "created_at": key.created_at,
        "retired_at": key.retired_at,
    }
    async with engine.begin() as connection:
        await connection.execute(insert(signing_keys), row)


async def retire_signing_key(engine: AsyncEngine, kid: str, now: datetime) -> None:
    """Stop using the key; retiring it twice keeps the first time."""
    async with engine.begin() as connection:
        await connection.execute(
            update(signing_keys).where(k.kid == kid, k.retired_at.is_(None)).values(retired_at=now)
        )


async def replace_private_key(engine: AsyncEngine, kid: str, was: str, now: str) -> bool:
    """Store `now` for the key if it still holds `was` (so two processes doing it at once agree)."""
    async with engine.begin() as connection:
        done = await connection.execute(
            update(signing_keys).where(k.kid == kid, k.private_key == was).values(private_key=now)
        )
    return bool(done.rowcount)
