"""Projects' imperative mapping, and the flush listener that tells DuplicateSlug which slug was taken."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, registry

from agentry.adapters.sqlalchemy.projects.tables import invitations, memberships, projects
from agentry.adapters.sqlalchemy.unit_of_work import SLUGS_WRITTEN
from agentry.domain.projects.invitation import Invitation
from agentry.domain.projects.project import Membership, Project


def map_projects(mappers: registry) -> None:
    mappers.map_imperatively(Project, projects)
    mappers.map_imperatively(Membership, memberships)
    mappers.map_imperatively(Invitation, invitations)
    event.listen(Session, "before_flush", remember_written_slugs)


def remember_written_slugs(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Before each flush: the slugs it will write. A failed flush forgets its pending objects, and
    SQLite's error names only the column, so this is how DuplicateSlug learns which slug was taken."""
    slugs = [p.slug for p in session.new if isinstance(p, Project)]
    slugs += [p.slug for p in session.dirty if isinstance(p, Project) and inspect(p).attrs.slug.history.has_changes()]
    if slugs:
        session.info[SLUGS_WRITTEN] = slugs
    else:
        session.info.pop(SLUGS_WRITTEN, None)
