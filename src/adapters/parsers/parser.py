"""The DocumentParser: text types decode as UTF-8 (a BOM is dropped); HTML is reduced to its visible
text; PDF goes through pypdf in a worker thread, within a page cap and a cap on the text it makes (a PDF
bomb inflates past both; pypdf's own decompression limits stand too)."""

from __future__ import annotations

import asyncio
import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from agentry.adapters.parsers.html_text import html_text
from agentry.application.documents.ports import DocumentSettings, Unparseable
from agentry.domain.documents.document import MediaType
from agentry.domain.errors import InvalidValue

PDF_MAGIC = b"%PDF-"
logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are the failed job's reason


def decoded(content: bytes) -> str:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidValue("content", f"is not UTF-8 text (byte {error.start} cannot be decoded)") from None
    return text.removeprefix("\ufeff")


class TextAndPdfParser:
    def __init__(self, settings: DocumentSettings) -> None:
        self._max_pages = settings.max_pdf_pages
        self._max_chars = settings.max_text_chars

    async def precheck(self, media_type: MediaType, content: bytes) -> None:
        if media_type.textual:
            text = decoded(content)
            if not text.strip():
                raise InvalidValue("content", "has no text")
            if "\x00" in text:
                raise InvalidValue("content", "must not contain NUL characters (is it text?)")
            return
        if not content.startswith(PDF_MAGIC):
            raise InvalidValue("content", "is not a PDF (it does not start with %PDF-)")
        pages = await asyncio.to_thread(_page_count, content)
        if pages is not None and pages > self._max_pages:
            raise InvalidValue("content", f"the PDF has {pages} pages; at most {self._max_pages} are accepted")

    async def parse(self, media_type: MediaType, content: bytes) -> str:
        if media_type is MediaType.PDF:
            return await asyncio.to_thread(self._pdf_text, content)
        try:
            text = decoded(content)
        except InvalidValue as error:
            raise Unparseable(error.message) from None
        text = text.replace("\x00", "")  # the database keeps no NUL in text (precheck refuses them in text files)
        return html_text(text) if media_type is MediaType.HTML else text.replace("\r\n", "\n")

    def _pdf_text(self, content: bytes) -> str:
        try:
            reader = PdfReader(io.BytesIO(content), strict=False)
            if len(reader.pages) > self._max_pages:
                raise Unparseable(f"the PDF has {len(reader.pages)} pages; at most {self._max_pages} are accepted")
            pages: list[str] = []
            total = 0
            for page in reader.pages:
                text = (page.extract_text() or "").replace("\x00", "").strip()
                total += len(text)
                if total > self._max_chars:
                    raise Unparseable(f"the PDF makes more than {self._max_chars} characters of text")
                if text:
                    pages.append(text)
        except Unparseable:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
            raise Unparseable(f"the PDF cannot be read: {type(error).__name__}: {error}") from None
        if not pages:
            raise Unparseable("the PDF has no extractable text (a scan needs OCR, which is not done)")
        return "\n\n".join(pages)


def _page_count(content: bytes) -> int | None:
    try:
        return len(PdfReader(io.BytesIO(content), strict=False).pages)
    except Exception:  # a corrupt PDF: its job fails with the reason
        return None
