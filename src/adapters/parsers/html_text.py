"""The text of an HTML page: what a reader sees, in reading order, paragraphs apart; scripts, styles
and other non-text elements dropped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object"})
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "figure",
        "figcaption", "hr", "title", "form", "fieldset", "details", "summary", "address",
    }
)  # fmt: skip
_LINES = frozenset({"br", "td", "th"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping.append(tag)
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping and tag == self.dropping[-1]:
            self.dropping.pop()
        elif tag in self.dropping:  # a missing end tag inside: close back to this one
            while self.dropping and self.dropping.pop() != tag:
                pass
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data.replace("\n", " "))

    def _break(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag in _LINES:
            self.parts.append("\n")


def html_text(markup: str) -> str:
    extractor = _Extractor()
    extractor.feed(markup)
    extractor.close()
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(extractor.parts).split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
