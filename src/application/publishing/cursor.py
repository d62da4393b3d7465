"""Opaque keyset cursors over publications: the project's (newest created first) and the public list
(newest published first) are told apart, so one cannot be used for the other."""

from __future__ import annotations

from agentry.application.keyset_cursor import decode_keyset
from agentry.application.keyset_cursor import encode_keyset as encode_cursor
from agentry.application.publishing.ports import PublicationPosition

__all__ = ["decode_cursor", "encode_cursor"]


def decode_cursor(kind: str, cursor: str) -> PublicationPosition:
    return PublicationPosition(*decode_keyset(kind, cursor))
