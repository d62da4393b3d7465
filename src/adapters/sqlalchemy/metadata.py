"""The MetaData every capability's tables join (its naming convention names each constraint) and their enum type."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum, MetaData

POSTGRESQL_ONLY = "postgresql_only"  # Index.info key: an index the PostgreSQL schema alone has

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def portable_enum(enum: type[StrEnum], name: str) -> Enum:
    """A StrEnum stored as its values in a string column with a CHECK, alike on SQLite and PostgreSQL."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
