"""Imperative mapping: the domain classes stay plain; each capability maps its own here, once per process."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, registry

from agentry.adapters.sqlalchemy.chat.mapping import map_chat
from agentry.adapters.sqlalchemy.documents.mapping import map_documents
from agentry.adapters.sqlalchemy.identity.mapping import map_identity
from agentry.adapters.sqlalchemy.knowledge.mapping import map_knowledge
from agentry.adapters.sqlalchemy.projects.mapping import map_projects
from agentry.adapters.sqlalchemy.publishing.mapping import map_publishing
from agentry.adapters.sqlalchemy.recorded_events import stash_recorded
from agentry.adapters.sqlalchemy.reports.endings import count_endings
from agentry.adapters.sqlalchemy.schema import metadata
from agentry.adapters.sqlalchemy.tasks.mapping import map_tasks

mapper_registry = registry(metadata=metadata)


def start_mappers() -> None:
    """Map the domain classes once per process; later calls do nothing."""
    if mapper_registry.mappers:
        return
    # No relationships: the repositories flush on `add`, so rows are inserted in the order a use
    # case adds them (a user and a project before the membership that refers to both).
    map_tasks(mapper_registry)
    map_identity(mapper_registry)
    map_projects(mapper_registry)
    map_chat(mapper_registry)
    map_documents(mapper_registry)
    map_publishing(mapper_registry)
    map_knowledge(mapper_registry)
    event.listen(Session, "before_flush", stash_recorded)  # the events of what a flush writes
    event.listen(Session, "before_flush", count_endings)  # the usage roll-ups, as executions end
    # Configured now, not at the first ORM query: a task read through Core (task_reads.task_of) builds its
    # object from the class's instrumentation, which a request could otherwise need before any query ran
    mapper_registry.configure()
