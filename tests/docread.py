"""Reading generated documents back as text (never comparing bytes)."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, no-break spaces read as spaces."""
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts).replace("\u00a0", " ")


def table_rows(path: Path, index: int = 0) -> list[list[str]]:
    doc = docx.Document(str(path))
    return [[c.text.replace("\u00a0", " ") for c in row.cells] for row in doc.tables[index].rows]


def document_lines(path: Path) -> list[str]:
    """The text of a .docx as its reader meets it: headers, then every paragraph and every table row in the
    order of the page (cells joined by « | »), then footers; a line break starts a new line; empty lines left
    out."""
    doc = docx.Document(str(path))
    lines: list[str] = []
    for section in doc.sections[:1]:
        lines += [f"[en-tête] {p.text}" for p in section.header.paragraphs if p.text.strip()]
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, doc).text)
        elif child.tag == qn("w:tbl"):
            lines += [" | ".join(c.text for c in row.cells) for row in Table(child, doc).rows]
    for section in doc.sections[:1]:
        lines += [f"[pied de page] {p.text}" for p in section.footer.paragraphs if p.text.strip()]
    return [line for text in lines for line in text.split("\n") if line.strip()]
