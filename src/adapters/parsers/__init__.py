"""Document parsers: text of plain text, Markdown, HTML (the standard library's parser) and PDF (pypdf)."""
