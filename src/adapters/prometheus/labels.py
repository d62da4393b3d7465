"""Label values that stay bounded: the first `cap` distinct values of a label are kept, later ones
become `other`; a value that looks like an id (a UUID, a long hex or digit string) is never a label. `Children`: a
labelled metric's children, each got once."""

from __future__ import annotations

import re
import threading
from typing import Generic, TypeVar

from prometheus_client.metrics import MetricWrapperBase

M = TypeVar("M", bound=MetricWrapperBase)

OTHER = "other"
MAX_LENGTH = 64
ID_LIKE = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|[0-9a-f]{16,}|\d{6,}", re.I)


PERSONAL = "personal"


def looks_like_id(value: str) -> bool:
    return ID_LIKE.search(value) is not None


def project_label(slug: str) -> str:
    """Personal projects' slugs hold their user's id: they are all `personal`."""
    return PERSONAL if slug.startswith("personal-") else slug


class BoundedLabel:
    def __init__(self, cap: int) -> None:
        self._cap = cap
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if not value or len(value) > MAX_LENGTH or looks_like_id(value):
            return OTHER
        with self._lock:
            if len(self._seen) >= self._cap:
                return OTHER
            self._seen.add(value)
        return value


class Children(Generic[M]):
    """A labelled metric's children, got once per label values: `.labels()` checks the values, turns
    each into a string and takes the metric's lock on every call, for the same few children (callers
    bound the values, and the metric keeps every child it made anyway)."""

    def __init__(self, metric: M) -> None:
        self._metric = metric
        self._known: dict[tuple[str, ...], M] = {}

    def __call__(self, *values: str) -> M:
        child = self._known.get(values)
        if child is None:
            child = self._known[values] = self._metric.labels(*values)
        return child
