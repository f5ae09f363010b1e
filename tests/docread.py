"""Reading generated documents back as text (never comparing bytes)."""

from __future__ import annotations

from pathlib import Path

import docx


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
