"""Engagement: a published publication's views and reactions, counted once per visitor, kind and day,
without keeping anything personal. A visitor is a keyed hash (HMAC-SHA256) of the publication, the
client address and the user agent under the day's secret salt; only that digest is stored, only for
its day (the salt is forgotten with the day, so a digest cannot be tied to anyone afterwards), and the
counts are kept per publication, day and kind. Reading them is for the project's members and above."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.publishing.ports import EngagementCounts, PublicationRepository, PublicProjects
from agentry.application.publishing.public import published
from agentry.application.publishing.read import visible_publication
from agentry.domain.principal import Principal
from agentry.domain.publishing.engagement import (
    VIEW,
    EngagementTally,
    checked_range,
    checked_reaction,
    tallied,
)

DEFAULT_DAYS = 30
AGENT_MAX = 512  # characters of the user agent that go into the digest


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who reads, as the request tells: used for the digest, never stored."""

    address: str
    user_agent: str


def visitor_digest(salt: bytes, publication_id: UUID, visitor: Visitor) -> bytes:
    message = f"{publication_id}\n{visitor.address}\n{visitor.user_agent[:AGENT_MAX]}".encode(errors="replace")
    return hmac.new(salt, message, hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class RecordEngagement:
    """A view (`kind` None) or a reaction of a published publication; whether it counted (a visitor's
    second view or same reaction of the day does not)."""

    projects: PublicProjects
    publications: PublicationRepository
    counts: EngagementCounts
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, slug: str, publication_id: UUID, visitor: Visitor, kind: str | None = None) -> bool:
        counted_as = VIEW if kind is None else checked_reaction(kind).value
        await published(self.projects, self.publications, slug, publication_id)
        day = self.clock.now().date()
        digest = visitor_digest(await self.counts.salt_of(day), publication_id, visitor)
        counted = await self.counts.count_once(publication_id, day, counted_as, digest)
        await self.uow.commit()
        return counted


@dataclass(frozen=True, slots=True)
class Engagement:
    publication_id: UUID
    first: date
    last: date
    days: dict[date, EngagementTally]
    total: EngagementTally


@dataclass(frozen=True, slots=True)
class GetEngagement:
    publications: PublicationRepository
    counts: EngagementCounts
    policy: AccessPolicy
    clock: Clock

    async def __call__(
        self,
        actor: Principal,
        project_id: UUID,
        publication_id: UUID,
        first: date | None = None,
        last: date | None = None,
    ) -> Engagement:
        """From `first` to `last`, both included; by default the 30 days up to today (UTC)."""
        last = last or self.clock.now().date()
        first = first or date.fromordinal(max(1, last.toordinal() - DEFAULT_DAYS + 1))
        publication = await visible_publication(self.publications, self.policy, actor, project_id, publication_id)
        require(self.policy, actor, Action.WRITE_PUBLICATION, Resource.of_project(project_id))
        checked_range(first, last)
        days, total = tallied(await self.counts.of_publication(publication.id, first, last))
        return Engagement(publication.id, first, last, days, total)
