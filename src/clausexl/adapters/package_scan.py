"""The last look at an anonymised copy before it is renamed into place: is any removed value left?

The copy is scanned part by part (sheets, shared strings, notes and comments, relationships and
their hyperlinks, pivot caches, properties…), as text, whatever way the XML is written (prefixes,
quotes, entities). A value is matched as a sequence of whole words, ignoring case, so it is found
inside a longer text (`mailto:julie.martin@…`, a note « Martin Julie, RSA, née le 17/05/1990 », a
formula's cached `Martin Julie`). A text that is, as a whole, the value of a cell the copy keeps
(a company contact with the same name, another participant's street) is that other data and passes.

Binary parts are read where someone may have typed text: the VBA project (each module's source,
decompressed, and the project's own text: vba_text), embedded documents (their parts) and objects
(their streams). Images are not: a picture of a name is pixels, and nothing clausexl removes is ever
written into one.
"""

from __future__ import annotations

import functools
import html
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import olefile

from . import vba_text

_WORD = re.compile(r"[^\W\d_]+|\d+")  # letters or digits: `1990-05-17T00:00:00` holds 1990, 05, 17
_TEXT_NODE = re.compile(rb">([^<]+)<")
_ATTRIBUTE = re.compile(rb"""=\s*(?:"([^"]*)"|'([^']*)')""")
_CAMEL = re.compile(r"(?<=[^\W\d_])(?<![A-ZÀ-ÖØ-Þ])(?=[A-ZÀ-ÖØ-Þ])")
_RICH_TEXT = re.compile(rb"<(" + rb"(?:[A-Za-z_][\w.-]*:)?" + rb")(si|is|text)\b[^>]*>.*?</\1\2>", re.S)
_RUN_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?t\b[^>]*>([^<]*)<")
_ONLY_NUMBER = re.compile(r"[\d\s.,+\-eE]*")
#: Values shorter than this (letters and digits) are too common to be told from other text.
MIN_LENGTH = 3


@dataclass(frozen=True)
class Leak:
    """A removed value found in a part of the copy."""

    value: str  # "" when the part could not be read through
    part: str
    detail: str = ""  # where inside the part (a VBA module, an embedded document's part)


def words(text: str) -> tuple[str, ...]:
    """The words of a text, casefolded; a word glued in camel case is cut (`JulieMartin` → julie, martin)."""
    found: list[str] = []
    for token in _WORD.findall(text):
        if token.islower() or token.isupper() or token[1:].islower():
            found.append(token.casefold())
        else:
            found.extend(part.casefold() for part in _CAMEL.split(token) if part)
    return tuple(found)


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
    """Every text node and attribute value of an XML part, unescaped (entities and &#…; included), and
    the whole text of each rich text (a shared string, a note…), whose runs may cut a name in two
    (`<r><t>Mar</t></r><r><t>tin</t></r>` where a format changes)."""
    for pattern in (_TEXT_NODE, _ATTRIBUTE):
        for match in pattern.finditer(data):
            raw = match.group(1) if match.group(1) is not None else match.group(2) or b""
            if raw.strip():
                yield unescaped(raw)
    if b"<r>" in data or b":r>" in data:
        for rich in _RICH_TEXT.finditer(data):
            runs = _RUN_TEXT.findall(rich.group(0))
            if len(runs) > 1:
                yield unescaped(b"".join(runs))


def unescaped(raw: bytes) -> str:
    """XML text as written (`&amp;`, `&#77;`) → the text it means."""
    return html.unescape(raw.decode("utf-8", "replace"))


def is_binary(data: bytes) -> bool:
    """vbaProject.bin, images, printer settings, embedded objects: not XML text."""
    return b"\x00" in data[:4096]


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Binary parts that hold what someone typed: the VBA project, embedded documents and controls.
#: Images (a picture of a name is pixels, not text) and printer settings (a device's name) are not read.
_TYPED_BINARIES = ("xl/embeddings/", "xl/activex/")
UNREADABLE = "\x00illisible"


def binary_texts(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    """(where inside the part, text) for a binary part that can hold typed text; UNREADABLE when it
    cannot be read through (so nothing could be proven about it)."""
    low = name.lower()
    if low.endswith("vbaproject.bin"):
        try:
            for where, text in vba_text.project_texts(data):
                yield where, _own_lines(text)
        except vba_text.UnreadableProject:
            yield "", UNREADABLE
        return
    if not low.startswith(_TYPED_BINARIES):
        return
    if data[:2] == b"PK":  # an embedded workbook or document: its own parts
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                for member in inner.namelist():
                    content = inner.read(member)
                    texts = binary_texts(member, content) if is_binary(content) else \
                        (("", t) for t in texts_of(content))
                    yield from ((member, text) for _, text in texts)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            yield "", UNREADABLE
        return
    if data[:8] == _OLE_MAGIC:  # an embedded object (OLE): its streams as the text they may hold
        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                for entry in ole.listdir(streams=True, storages=False):
                    raw = ole.openstream(entry).read()
                    for encoding in ("cp1252", "utf-16-le"):
                        yield "/".join(entry), raw.decode(encoding, "ignore")
        except (OSError, ValueError):
            yield "", UNREADABLE
        return
    yield "", data.decode("cp1252", "ignore")


@functools.cache
def _packaged_lines() -> frozenset[str]:
    """The lines of clausexl's own VBA (xlwings, the ribbon's callbacks): code, not anyone's data.
    A participant called « Long » or « Case » must not be found in `Dim n As Long`."""
    from ..resources import template_workbook

    try:
        with zipfile.ZipFile(template_workbook()) as package:
            project = package.read("xl/vbaProject.bin")
        return frozenset(line.strip() for _, text in vba_text.project_texts(project) for line in text.splitlines())
    except (OSError, KeyError, zipfile.BadZipFile, vba_text.UnreadableProject):
        return frozenset()


def _own_lines(text: str) -> str:
    """The lines of a VBA text that are not clausexl's own code."""
    packaged = _packaged_lines()
    return "\n".join(line for line in text.splitlines() if line.strip() not in packaged)


def first_leak(parts: Mapping[str, bytes], finder: Finder) -> Leak | None:
    """The first removed value left in any part of the package that can hold text."""
    if not finder:
        return None
    for name, data in parts.items():
        texts = binary_texts(name, data) if is_binary(data) else (("", t) for t in texts_of(data))
        for detail, text in texts:
            if text == UNREADABLE:
                return Leak("", name, "illisible")
            value = finder.find(text)
            if value is not None:
                return Leak(value, name, detail)
    return None


def where(part: str, sheet_names: Mapping[str, str], detail: str = "") -> tuple[str, str]:
    """(where the value is, what the facilitator should remove) for a part of the package, in French."""
    low = part.lower()
    if low.endswith("vbaproject.bin"):
        inside = f" ({detail})" if detail else ""
        return (f"le projet VBA du classeur{inside}",
                "retirez-la du code VBA (Alt+F11 dans Excel ; les modules de clausexl n'en contiennent pas)")
    if low.startswith(_TYPED_BINARIES):
        return (f"un objet incorporé au classeur (« {part.rsplit('/', 1)[-1]} »)",
                "supprimez cet objet (ou retirez-en cette donnée)")
    if "comments" in low or "vmldrawing" in low or "threadedcomment" in low:
        return "une note ou un commentaire de cellule", "supprimez cette note"
    if "pivotcache" in low or "pivottable" in low:
        return ("le cache d'un tableau croisé dynamique",
                "supprimez ce tableau croisé dynamique (ou construisez-le sur une autre feuille)")
    if low.startswith("xl/worksheets/_rels/"):
        return "un lien hypertexte d'une feuille", "supprimez ce lien (clic droit › Supprimer le lien hypertexte)"
    if low == "docprops/app.xml" or low == "xl/workbook.xml":
        return ("un nom de feuille ou de plage nommée du classeur",
                "renommez la feuille ou la plage (Formules › Gestionnaire de noms) qui porte ce nom")
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
