"""The webhooks' tables: endpoints (their secrets sealed), deliveries (one per endpoint, event and
type), and each delivery's attempts."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from agentry.adapters.sqlalchemy.metadata import metadata
from agentry.adapters.sqlalchemy.types import PortableJSON, UTCDateTime

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("url", Text, nullable=False),
    Column("event_types", PortableJSON, nullable=False),
    Column("description", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("secret", Text, nullable=False),  # sealed (AES-GCM under the operator's secret)
    Column("previous_secret", Text),
    Column("previous_secret_until", UTCDateTime),
    Column("consecutive_failures", Integer, nullable=False),
    Column("failing_since", UTCDateTime),
    Column("disabled_reason", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

_PENDING = text("status = 'pending'")

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("endpoint_id", Uuid, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("ordering_key", Uuid, nullable=False),
    Column("sequence", BigInteger, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("round_start", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime),
    Column("lease_token", Uuid),
    Column("leased_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_attempt_at", UTCDateTime),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    UniqueConstraint("endpoint_id", "event_id", "event_type", name="uq_webhook_deliveries_endpoint_event"),
    Index("ix_webhook_deliveries_due", "next_attempt_at", postgresql_where=_PENDING, sqlite_where=_PENDING),
    Index(
        "ix_webhook_deliveries_pending_order",
        "endpoint_id",
        "ordering_key",
        "sequence",
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    ),
    Index("ix_webhook_deliveries_log", "endpoint_id", "created_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("delivery_id", Uuid, ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("excerpt", Text, nullable=False),
)
