"""Opaque keyset cursors over documents, newest first."""

from __future__ import annotations

from agentry.application.documents.ports import DocumentPosition
from agentry.application.keyset_cursor import decode_keyset, encode_keyset
from agentry.domain.documents.document import Document


def encode_cursor(last: Document) -> str:
    return encode_keyset("documents", last.created_at, last.id)


def decode_cursor(cursor: str) -> DocumentPosition:
    return DocumentPosition(*decode_keyset("documents", cursor))
