"""The last look at an anonymised copy before it is renamed into place: is any removed value left?

The copy is scanned part by part (sheets, shared strings, notes and comments, relationships and
their hyperlinks, pivot caches, properties…), as text, whatever way the XML is written (prefixes,
quotes, entities). A value is matched as a sequence of whole words, ignoring case, so it is found
inside a longer text (`mailto:julie.martin@…`, a note « Martin Julie, RSA, née le 17/05/1990 », a
formula's cached `Martin Julie`). A text that is, as a whole, the value of a cell the copy keeps
(a company contact with the same name, another participant's street) is that other data and passes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_TEXT_NODE = re.compile(rb">([^<]+)<")
_ATTRIBUTE = re.compile(rb"""=\s*(?:"([^"]*)"|'([^']*)')""")
_ONLY_NUMBER = re.compile(r"[\d\s.,+\-eE]*")
#: Values shorter than this (letters and digits) are too common to be told from other text.
MIN_LENGTH = 3


@dataclass(frozen=True)
class Leak:
    """A removed value found in a part of the copy."""

    value: str
    part: str


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


class Finder:
    """Finds any of `values` (as whole-word sequences) in texts, except texts kept as a whole."""

    def __init__(self, values: Iterable[str], kept: Iterable[str]) -> None:
        self.kept = {" ".join(words(k)) for k in kept}
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for value in values:
            w = words(value)
            if sum(len(x) for x in w) < MIN_LENGTH or " ".join(w) in self.kept:
                continue
            self.by_first.setdefault(w[0], []).append((w, value))

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def find(self, text: str) -> str | None:
        """The first value found in `text`, or None."""
        if _ONLY_NUMBER.fullmatch(text):
            return None
        w = words(text)
        if not w or " ".join(w) in self.kept:
            return None
        for i, first in enumerate(w):
            for sequence, value in self.by_first.get(first, ()):
                if w[i:i + len(sequence)] == sequence:
                    return value
        return None


def texts_of(data: bytes) -> Iterable[str]:
    """Every text node and attribute value of an XML part, unescaped (entities and &#…; included)."""
    for pattern in (_TEXT_NODE, _ATTRIBUTE):
        for match in pattern.finditer(data):
            raw = match.group(1) if match.group(1) is not None else match.group(2) or b""
            if raw.strip():
                yield unescaped(raw)


def unescaped(raw: bytes) -> str:
    """XML text as written (`&amp;`, `&#77;`) → the text it means."""
    return html.unescape(raw.decode("utf-8", "replace"))


def is_binary(data: bytes) -> bool:
    """vbaProject.bin, images, printer settings: not XML text (the VBA is packaged code, copied as is)."""
    return b"\x00" in data[:4096]


def first_leak(parts: Mapping[str, bytes], finder: Finder) -> Leak | None:
    """The first removed value left in any text part of the package."""
    if not finder:
        return None
    for name, data in parts.items():
        if is_binary(data):
            continue
        for text in texts_of(data):
            value = finder.find(text)
            if value is not None:
                return Leak(value, name)
    return None


def where(part: str, sheet_names: Mapping[str, str]) -> tuple[str, str]:
    """(where the value is, what the facilitator should remove) for a part of the package, in French."""
    low = part.lower()
    if "comments" in low or "vmldrawing" in low or "threadedcomment" in low:
        return "une note ou un commentaire de cellule", "supprimez cette note"
    if "pivotcache" in low or "pivottable" in low:
        return ("le cache d'un tableau croisé dynamique",
                "supprimez ce tableau croisé dynamique (ou construisez-le sur une autre feuille)")
    if low.startswith("xl/worksheets/_rels/"):
        return "un lien hypertexte d'une feuille", "supprimez ce lien (clic droit › Supprimer le lien hypertexte)"
    if low.startswith("docprops/"):
        return "les propriétés du document", "effacez-la des propriétés (Fichier › Informations)"
    for sheet, member in sheet_names.items():
        if member.lower() == low:
            return (f"la feuille « {sheet} » (une formule ou une cellule hors des tableaux)",
                    "effacez cette valeur ou la formule qui la recopie")
    if low.endswith("sharedstrings.xml"):
        return ("une cellule qui n'est pas dans une ligne anonymisée (une formule, une feuille de résultats)",
                "effacez cette cellule (ou relancez le bouton qui a rempli la feuille de résultats)")
    return f"la partie « {part} » du fichier", "retirez-la du classeur"
