"""The document parser: what each media type becomes as text, and what it refuses (4xx at the door:
empty, not UTF-8, not a PDF, too many pages) or fails (the job's reason: a corrupt PDF, a text bomb)."""

from __future__ import annotations

import pytest

from agentry.adapters.parsers.html_text import html_text
from agentry.adapters.parsers.parser import TextAndPdfParser
from agentry.application.documents.ports import DocumentSettings, Unparseable
from agentry.domain.documents.document import MediaType
from agentry.domain.errors import InvalidValue
from tests.documents_pdf import blank_pdf, text_pdf

PARSER = TextAndPdfParser(DocumentSettings(max_pdf_pages=5, max_text_chars=200))


def test_html_keeps_the_visible_text_in_paragraphs_and_drops_scripts_and_styles():
    page = (
        "<html><head><title>T</title><style>p {color: red}</style><script>alert('x')</script></head>"
        "<body><h1>Heading</h1><p>First &amp; <b>bold</b>\n text.</p><script>var a = 1;</script>"
        "<ul><li>one</li><li>two</li></ul><noscript>enable js</noscript></body></html>"
    )
    assert html_text(page) == "T\n\nHeading\n\nFirst & bold text.\n\none\n\ntwo"


async def test_markdown_and_plain_text_are_their_utf8_text_without_a_bom():
    assert await PARSER.parse(MediaType.MARKDOWN, "\ufeff# Title\r\n\r\nÉté".encode()) == "# Title\n\nÉté"


async def test_text_that_is_not_utf8_is_refused_naming_the_byte():
    with pytest.raises(InvalidValue, match="not UTF-8 text \\(byte 3"):
        await PARSER.precheck(MediaType.TEXT, b"abc\xff\xfe")


async def test_text_that_is_only_white_space_is_refused():
    with pytest.raises(InvalidValue, match="no text"):
        await PARSER.precheck(MediaType.TEXT, b" \n\t ")


async def test_a_pdf_gives_its_pages_text():
    content = text_pdf("Ada Lovelace", "Charles Babbage")
    await PARSER.precheck(MediaType.PDF, content)
    assert await PARSER.parse(MediaType.PDF, content) == "Ada Lovelace\n\nCharles Babbage"


async def test_something_that_is_not_a_pdf_is_refused_at_the_door():
    with pytest.raises(InvalidValue, match="not a PDF"):
        await PARSER.precheck(MediaType.PDF, b"<html>")


async def test_a_pdf_with_more_pages_than_the_cap_is_refused_at_the_door_and_by_the_parser():
    content = blank_pdf(6)
    with pytest.raises(InvalidValue, match="6 pages; at most 5"):
        await PARSER.precheck(MediaType.PDF, content)
    with pytest.raises(Unparseable, match="6 pages"):
        await PARSER.parse(MediaType.PDF, content)


async def test_a_corrupt_pdf_passes_the_door_and_fails_parsing_with_a_reason():
    content = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
    await PARSER.precheck(MediaType.PDF, content)
    with pytest.raises(Unparseable, match="PDF"):
        await PARSER.parse(MediaType.PDF, content)


async def test_a_pdf_that_inflates_past_the_text_cap_fails():
    with pytest.raises(Unparseable, match="more than 200 characters"):
        await PARSER.parse(MediaType.PDF, text_pdf(*["x" * 90] * 3))


async def test_a_pdf_with_no_text_fails_saying_so():
    with pytest.raises(Unparseable, match="no extractable text"):
        await PARSER.parse(MediaType.PDF, blank_pdf(1))
