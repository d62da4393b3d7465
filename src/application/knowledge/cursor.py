"""Opaque keyset cursors over entities and relationships, newest first."""

from __future__ import annotations

from agentry.application.keyset_cursor import decode_keyset
from agentry.application.keyset_cursor import encode_keyset as encode_cursor
from agentry.application.knowledge.ports.graph import Position

__all__ = ["decode_cursor", "encode_cursor"]


def decode_cursor(kind: str, cursor: str) -> Position:
    return Position(*decode_keyset(kind, cursor))
