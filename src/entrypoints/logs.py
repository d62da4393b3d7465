"""Process-wide logging set-up."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("sqlalchemy", "alembic", "casbin"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
