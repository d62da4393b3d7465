"""The complete schema: every capability's tables in one MetaData, for Alembic and the tests that compare it."""

from __future__ import annotations

# Importing a capability's tables module is what adds its tables to the shared MetaData.
from agentry.adapters.sqlalchemy.chat import tables as chat_tables  # noqa: F401
from agentry.adapters.sqlalchemy.documents import tables as documents_tables  # noqa: F401
from agentry.adapters.sqlalchemy.identity import tables as identity_tables  # noqa: F401
from agentry.adapters.sqlalchemy.knowledge import tables as knowledge_tables  # noqa: F401
from agentry.adapters.sqlalchemy.metadata import metadata
from agentry.adapters.sqlalchemy.outbox import tables as outbox_tables  # noqa: F401
from agentry.adapters.sqlalchemy.projects import tables as projects_tables  # noqa: F401
from agentry.adapters.sqlalchemy.publishing import tables as publishing_tables  # noqa: F401
from agentry.adapters.sqlalchemy.reports import tables as reports_tables  # noqa: F401
from agentry.adapters.sqlalchemy.tasks import tables as tasks_tables  # noqa: F401
from agentry.adapters.sqlalchemy.webhooks import tables as webhooks_tables  # noqa: F401

__all__ = ["metadata"]
