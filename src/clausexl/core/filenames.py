"""File names built from workbook text: readable, and never escaping the output folder."""

from __future__ import annotations

import re
from collections.abc import Iterable

_FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 150


def safe_part(text: object) -> str:
    """One piece of a file name: forbidden characters and `..` removed, spaces collapsed."""
    cleaned = _FORBIDDEN.sub(" ", str(text if text is not None else ""))
    cleaned = cleaned.replace("..", " ")
    return _SPACES.sub(" ", cleaned).strip(" .")


def file_name(parts: Iterable[object], suffix: str) -> str:
    """`Attestation - M2018-004 - Entreprise X.docx` from its pieces; empty pieces are dropped."""
    stem = " - ".join(p for p in (safe_part(x) for x in parts) if p) or "document"
    stem = stem[:MAX_STEM].rstrip(" .")
    if stem.split(".")[0].strip().upper() in _RESERVED:
        stem = f"_{stem}"
    return f"{stem}{suffix}"


def unique_names(names: list[str]) -> list[str]:
    """Same names made distinct, in order (`X.docx`, `X (2).docx`), comparing without case."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        key = name.casefold()
        count = seen.get(key, 0) + 1
        seen[key] = count
        candidate = name if count == 1 else f"{stem} ({count}){dot}{ext}"
        while count > 1 and candidate.casefold() in seen:
            count += 1
            candidate = f"{stem} ({count}){dot}{ext}"
        seen.setdefault(candidate.casefold(), 1)
        out.append(candidate)
    return out
