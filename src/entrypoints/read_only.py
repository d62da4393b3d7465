"""Whether the current request only reads: its database session can then run in autocommit (one
round trip per query instead of BEGIN, query, ROLLBACK). Set by the HTTP layer for GET and HEAD;
everything else (writes, the worker, the relay) keeps a transaction."""

from __future__ import annotations

from contextvars import ContextVar

READ_ONLY: ContextVar[bool] = ContextVar("agentry_read_only", default=False)
