"""Text normalisation used to match what people type: headers, list values, communes."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT_COMMUNE = re.compile(r"[\s\-'’‘`]+")


def fold(text: str) -> str:
    """Lower case, accents removed, typographic quotes and ligatures flattened, spaces collapsed."""
    if text.isascii():  # nothing to decompose (identifiers, codes, most values): ten times faster
        return _SPACES.sub(" ", text).strip().lower()
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().casefold()


def header_key(header: object) -> str:
    """How headers are compared: case, accents, surrounding spaces and a trailing `*` ignored."""
    return fold(str(header)).rstrip("*").strip()


def commune_key(name: object) -> str:
    """How communes are compared: case, accents, hyphens, apostrophes and spaces ignored."""
    return _PUNCT_COMMUNE.sub("", fold(str(name)))


_BRACKETS = re.compile(r"\s*\([^)]*\)\s*$")


def choice_lookup(choices: tuple[str, ...]) -> dict[str, str]:
    """Map folded spelling → canonical list value, so `travaux` reads as `Travaux`, and a value typed
    without its closing brackets as the one it names, when no other does: `Condition d'exécution` reads
    as `Condition d'exécution (L2112-2)`, `4` as `4 (Bac)`."""
    lookup = {fold(c): c for c in choices}
    short: dict[str, list[str]] = {}
    for c in choices:
        if _BRACKETS.search(c):
            short.setdefault(fold(_BRACKETS.sub("", c)), []).append(c)
    return {**{k: v[0] for k, v in short.items() if len(v) == 1 and k and k not in lookup}, **lookup}
