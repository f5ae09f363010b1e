"""E-mail addresses typed in the workbook: one address, or several separated by « ; » or « , ».

An address that would break an e-mail's headers (a line break, a control character) or that is
not `name@domain.tld` is refused whole: sending to part of what was typed would be a silent error.
"""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[^@\s<>()\[\]\\,;:\"]+@[^@\s<>()\[\]\\,;:\"]+\.[^@\s<>()\[\]\\,;:\".]{2,}")
_SEPARATORS = re.compile(r"[;,]")


def email_addresses(text: str) -> list[str] | None:
    """The addresses `text` holds, or None when one of them is not a valid address."""
    parts = [p.strip() for p in _SEPARATORS.split(text)]
    if not any(parts) or any(not _ADDRESS.fullmatch(p) for p in parts if p) or "" in parts[:-1]:
        return None
    return [p for p in parts if p]


def header_text(text: str) -> str:
    """A one-line header value: line breaks and other control characters become spaces."""
    return " ".join("".join(" " if ord(ch) < 32 or 127 <= ord(ch) < 160 else ch for ch in text).split())
