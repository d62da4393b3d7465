"""Label values that stay bounded: the first `cap` distinct values of a label are kept, later ones
become `other`; a value that looks like an id (a UUID, a long hex or digit string) is never a label."""

from __future__ import annotations

import re
import threading

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
