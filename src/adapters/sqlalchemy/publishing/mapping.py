"""Publishing's imperative mapping: the publication (it records events)."""

from __future__ import annotations

from sqlalchemy.orm import registry

from agentry.adapters.sqlalchemy.publishing.tables import publications
from agentry.domain.publishing.publication import Publication


def map_publishing(mappers: registry) -> None:
    mappers.map_imperatively(Publication, publications)
