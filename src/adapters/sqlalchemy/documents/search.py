"""Full-text search over the documents' chunks, and reading hits back, on SQLAlchemy.

PostgreSQL: `to_tsvector('simple', text) @@ websearch_to_tsquery('simple', q)`, ranked by ts_rank (the
'simple' configuration: no stemming and no stop words, so it works the same for any language; no index,
which suits projects of thousands of chunks). A query written with web-search syntax ("a phrase", -word,
or) is taken as written; plain words are OR-ed (websearch_to_tsquery would AND them, and a question's
every word is rarely in one chunk), the chunks with more of them ranking higher.

SQLite: the query's words (up to 16, lower-cased) matched as substrings of the lower-cased text (ASCII
case folding only), a chunk scored by how many of them it contains."""

from __future__ import annotations

import re
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Float, and_, case, func, literal, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from agentry.adapters.sqlalchemy.documents.tables import document_chunks, documents
from agentry.application.search.ports import ChunkKey, FoundChunk, TextHit

_WORD = re.compile(r"\w+")
TERMS_MAX = 16
c = document_chunks.c
d = documents.c


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_SYNTAX = re.compile(r'"|(^|\s)-\w|\sor\s', re.IGNORECASE)


def _websearch(query: str) -> str:
    """The query as written if it uses web-search syntax; else its words, OR-ed."""
    if _SYNTAX.search(query):
        return query
    return " or ".join(_WORD.findall(query))


class SqlAlchemySearchableChunks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def text_search(self, project_id: UUID, query: str, k: int) -> list[TextHit]:
        in_project = and_(d.id == c.document_id, d.project_id == project_id)
        if self._session.get_bind().dialect.name == "postgresql":
            vector = func.to_tsvector("simple", c.text)
            tsquery = func.websearch_to_tsquery("simple", _websearch(query))
            score: ColumnElement[float] = func.ts_rank(vector, tsquery).cast(Float)
            matches: ColumnElement[bool] = vector.op("@@")(tsquery)
        else:
            terms = list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))[:TERMS_MAX]
            if not terms:
                return []
            lowered = func.lower(c.text)
            found = [lowered.like(_like(t), escape="\\") for t in terms]
            score = sum((case((f, 1.0), else_=0.0) for f in found), literal(0.0))
            matches = or_(*found)
        statement = (
            select(c.document_id, c.ordinal, score.label("score"))
            .select_from(document_chunks.join(documents, in_project))
            .where(matches)
            .order_by(score.desc(), c.document_id, c.ordinal)
            .limit(k)
        )
        rows = (await self._session.execute(statement)).all()
        return [TextHit(ChunkKey(row.document_id, row.ordinal), float(row.score)) for row in rows]

    async def found(self, project_id: UUID, keys: Sequence[ChunkKey]) -> list[FoundChunk]:
        if not keys:
            return []
        pairs = [(key.document_id, key.ordinal) for key in keys]
        statement = (
            select(c.document_id, c.ordinal, c.start, c.end, c.text, d.title)
            .select_from(document_chunks.join(documents, d.id == c.document_id))
            .where(d.project_id == project_id, tuple_(c.document_id, c.ordinal).in_(pairs))
        )
        rows = (await self._session.execute(statement)).all()
        return [FoundChunk(ChunkKey(r.document_id, r.ordinal), r.title, r.start, r.end, r.text) for r in rows]
