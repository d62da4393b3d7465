"""Webhook endpoints and deliveries on SQLAlchemy (Core statements in the unit of work's session).

Endpoint secrets are sealed at rest by a `Sealer` (AES-GCM under the operator's secret, the endpoint id
as associated data): a copy of the database alone signs nothing. Deliveries are stored once per
endpoint, event and type (INSERT ... ON CONFLICT DO NOTHING), and leased to the workers in passes that
take turns (an advisory lock on PostgreSQL; SQLite has one writer anyway).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import and_, delete, exists, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.webhooks.tables import webhook_attempts, webhook_deliveries, webhook_endpoints
from agentry.application.webhooks.ports import Taken
from agentry.domain.webhooks.delivery import Attempt, DeliveryStatus, WebhookDelivery
from agentry.domain.webhooks.endpoint import WebhookEndpoint

ep = webhook_endpoints.c
dl = webhook_deliveries.c
at = webhook_attempts.c
_TAKE_TURN = text("SELECT pg_try_advisory_xact_lock(8751902212)")
PENDING = DeliveryStatus.PENDING.value


class Sealer(Protocol):
    def sealed(self, kid: str, pem: str) -> str: ...

    def opened(self, kid: str, stored: str) -> str: ...


class PlainSealer:
    """Keeps secrets as they are: for tests of the storage alone."""

    def sealed(self, kid: str, pem: str) -> str:
        return pem

    def opened(self, kid: str, stored: str) -> str:
        return stored


class SqlAlchemyWebhookEndpoints:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def add(self, endpoint: WebhookEndpoint) -> None:
        await self._session.execute(insert(webhook_endpoints).values(**self._row(endpoint)))

    async def get(self, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint | None:
        query = select(webhook_endpoints).where(ep.id == endpoint_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return self._endpoint(row) if row is not None else None

    async def of_project(self, project_id: UUID) -> list[WebhookEndpoint]:
        query = select(webhook_endpoints).where(ep.project_id == project_id).order_by(ep.created_at, ep.id)
        return [self._endpoint(row) for row in (await self._session.execute(query)).all()]

    async def active_in(self, project_ids: Collection[UUID]) -> dict[UUID, list[WebhookEndpoint]]:
        found: dict[UUID, list[WebhookEndpoint]] = {project_id: [] for project_id in project_ids}
        if not found:
            return found
        query = (
            select(webhook_endpoints)
            .where(ep.project_id.in_(sorted(found)), ep.active.is_(True))
            .order_by(ep.project_id, ep.id)
        )
        for endpoint in map(self._endpoint, (await self._session.execute(query)).all()):
            found[endpoint.project_id].append(endpoint)
        return found

    async def save(self, endpoint: WebhookEndpoint) -> None:
        row = self._row(endpoint)
        del row["id"]
        await self._session.execute(update(webhook_endpoints).where(ep.id == endpoint.id).values(**row))

    async def remove(self, endpoint_id: UUID) -> None:
        await self._session.execute(delete(webhook_endpoints).where(ep.id == endpoint_id))

    def _row(self, endpoint: WebhookEndpoint) -> dict[str, Any]:
        kid = str(endpoint.id)
        previous = endpoint.previous_secret
        return {
            "id": endpoint.id,
            "project_id": endpoint.project_id,
            "url": endpoint.url,
            "event_types": sorted(endpoint.event_types),
            "description": endpoint.description,
            "active": endpoint.active,
            "secret": self._sealer.sealed(kid, endpoint.secret),
            "previous_secret": self._sealer.sealed(kid, previous) if previous else None,
            "previous_secret_until": endpoint.previous_secret_until,
            "consecutive_failures": endpoint.consecutive_failures,
            "failing_since": endpoint.failing_since,
            "disabled_reason": endpoint.disabled_reason,
            "created_at": endpoint.created_at,
            "updated_at": endpoint.updated_at,
        }

    def _endpoint(self, row: Any) -> WebhookEndpoint:
        kid = str(row.id)
        return WebhookEndpoint(
            id=row.id,
            project_id=row.project_id,
            url=row.url,
            event_types=frozenset(row.event_types),
            description=row.description,
            active=row.active,
            secret=self._sealer.opened(kid, row.secret),
            created_at=row.created_at,
            updated_at=row.updated_at,
            previous_secret=self._sealer.opened(kid, row.previous_secret) if row.previous_secret else None,
            previous_secret_until=row.previous_secret_until,
            consecutive_failures=row.consecutive_failures,
            failing_since=row.failing_since,
            disabled_reason=row.disabled_reason,
        )


_earlier = webhook_deliveries.alias("earlier")
_WAITS_FOR_EARLIER = exists().where(
    _earlier.c.status == PENDING,
    _earlier.c.endpoint_id == dl.endpoint_id,
    _earlier.c.ordering_key == dl.ordering_key,
    _earlier.c.sequence < dl.sequence,
)


class SqlAlchemyWebhookDeliveries:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_new(self, deliveries: Sequence[WebhookDelivery]) -> int:
        if not deliveries:
            return 0
        dialect = self._session.get_bind().dialect.name
        rows = [_delivery_row(d) for d in deliveries]
        statement: Any
        if dialect == "postgresql":
            statement = postgresql.insert(webhook_deliveries).on_conflict_do_nothing(
                constraint="uq_webhook_deliveries_endpoint_event"
            )
        else:
            statement = sqlite.insert(webhook_deliveries).on_conflict_do_nothing(
                index_elements=["endpoint_id", "event_id", "event_type"]
            )
        added = 0
        for row in rows:  # one at a time: RETURNING says whether each was new
            result = await self._session.execute(statement.values(**row).returning(dl.id))
            added += len(result.all())
        return added

    async def get(self, delivery_id: UUID, *, for_update: bool = False) -> WebhookDelivery | None:
        query = select(webhook_deliveries).where(dl.id == delivery_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _delivery(row) if row is not None else None

    async def save(self, delivery: WebhookDelivery) -> None:
        row = _delivery_row(delivery)
        for fixed in ("id", "endpoint_id", "event_id", "event_type", "ordering_key", "sequence", "body", "created_at"):
            del row[fixed]
        await self._session.execute(update(webhook_deliveries).where(dl.id == delivery.id).values(**row))

    async def add_attempt(self, attempt: Attempt) -> None:
        await self._session.execute(
            insert(webhook_attempts).values(
                delivery_id=attempt.delivery_id,
                number=attempt.number,
                started_at=attempt.started_at,
                duration_ms=attempt.duration_ms,
                status_code=attempt.status_code,
                error=attempt.error,
                excerpt=attempt.excerpt,
            )
        )

    async def take_due(
        self, now: datetime, leased_until: datetime, token: UUID, limit: int, per_endpoint: int
    ) -> list[Taken]:
        postgres = self._session.get_bind().dialect.name == "postgresql"
        if postgres and not (await self._session.execute(_TAKE_TURN)).scalar_one():
            return []
        free = or_(dl.leased_until.is_(None), dl.leased_until <= now)
        due = (
            select(dl.id, dl.endpoint_id)
            .where(dl.status == PENDING, dl.next_attempt_at <= now, free, ~_WAITS_FOR_EARLIER)
            .order_by(dl.next_attempt_at, dl.sequence)
            .limit(limit * 4)
        )
        candidates = (await self._session.execute(due)).all()
        if not candidates:
            return []
        endpoints = {row.endpoint_id for row in candidates}
        busy_query = (
            select(dl.endpoint_id, func.count())
            .where(dl.status == PENDING, dl.leased_until > now, dl.endpoint_id.in_(endpoints))
            .group_by(dl.endpoint_id)
        )
        in_flight: Counter[UUID] = Counter({row[0]: row[1] for row in (await self._session.execute(busy_query)).all()})
        chosen: list[UUID] = []
        for row in candidates:
            if in_flight[row.endpoint_id] >= per_endpoint:
                continue
            in_flight[row.endpoint_id] += 1
            chosen.append(row.id)
            if len(chosen) == limit:
                break
        if not chosen:
            return []
        taken = await self._session.execute(
            update(webhook_deliveries)
            .where(and_(dl.id.in_(chosen), dl.status == PENDING, free))
            .values(lease_token=token, leased_until=leased_until)
            .returning(dl.id)
        )
        leased = {row[0] for row in taken.all()}
        return [Taken(delivery_id, token) for delivery_id in chosen if delivery_id in leased]

    async def of_endpoint(self, endpoint_id: UUID, limit: int) -> list[WebhookDelivery]:
        query = (
            select(webhook_deliveries)
            .where(dl.endpoint_id == endpoint_id)
            .order_by(dl.created_at.desc(), dl.id.desc())
            .limit(limit)
        )
        return [_delivery(row) for row in (await self._session.execute(query)).all()]

    async def attempts_of(self, delivery_ids: Sequence[UUID]) -> dict[UUID, list[Attempt]]:
        if not delivery_ids:
            return {}
        query = select(webhook_attempts).where(at.delivery_id.in_(delivery_ids)).order_by(at.delivery_id, at.number)
        found: dict[UUID, list[Attempt]] = {}
        for row in (await self._session.execute(query)).all():
            found.setdefault(row.delivery_id, []).append(
                Attempt(
                    row.delivery_id,
                    row.number,
                    row.started_at,
                    row.duration_ms,
                    row.status_code,
                    row.error,
                    row.excerpt,
                )
            )
        return found


def _delivery_row(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "endpoint_id": d.endpoint_id,
        "event_id": d.event_id,
        "event_type": d.event_type,
        "ordering_key": d.ordering_key,
        "sequence": d.sequence,
        "body": d.body,
        "status": d.status.value,
        "attempts": d.attempts,
        "round_start": d.round_start,
        "next_attempt_at": d.next_attempt_at,
        "lease_token": d.lease_token,
        "leased_until": d.leased_until,
        "created_at": d.created_at,
        "last_attempt_at": d.last_attempt_at,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
    }


def _delivery(row: Any) -> WebhookDelivery:
    return WebhookDelivery(
        id=row.id,
        endpoint_id=row.endpoint_id,
        event_id=row.event_id,
        event_type=row.event_type,
        ordering_key=row.ordering_key,
        sequence=row.sequence,
        body=row.body,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        lease_token=row.lease_token,
        leased_until=row.leased_until,
        last_attempt_at=row.last_attempt_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        round_start=row.round_start,
    )
