"""The parts of a workbook package being copied with changes: read, replaced, removed, and linked.

A part is read from the source package unless the copy changed it; a removed part also loses its
relationship (`_rels`) entries pointing to it and its content type. Relationships are read with
regular expressions that accept any namespace prefix and either quote, like the rest of the copy.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import unescape

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_RELATIONSHIP = re.compile(rb"<(" + _PREFIX + rb")Relationship\b([^>]*?)(?:/>|>\s*</\1Relationship>)", re.S)
_ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CONTENT_TYPES = "[Content_Types].xml"


def attributes(raw: bytes) -> dict[str, str]:
    """An element's attributes by local name (`r:id` → `id`), unescaped."""
    found = {}
    for name, double, single in _ATTRIBUTE.findall(raw):
        local = name.decode("utf-8", "replace").rsplit(":", 1)[-1]
        found[local] = unescape_xml((double if double or not single else single).decode("utf-8", "replace"))
    return found


def unescape_xml(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


@dataclass(frozen=True)
class Relationship:
    """One `<Relationship>` of a part: its Id, type (the last word of the URI), and the part it points to."""

    id: str
    type: str
    target: str  # the zip member, or the external address (TargetMode="External")
    external: bool


def part_target(folder: str, target: str) -> str:
    """The zip member a relationship's Target names, from the folder of the part that holds it: Excel
    writes it relative (`../tables/table7.xml`), openpyxl and others absolute (`/xl/tables/table7.xml`)."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def rels_member(member: str) -> str:
    """`xl/worksheets/sheet1.xml` → `xl/worksheets/_rels/sheet1.xml.rels`."""
    folder, name = posixpath.split(member)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    """The source package's members, with the copy's changes and removals on top."""

    def __init__(self, source: zipfile.ZipFile) -> None:
        self.source = source
        self.names = set(source.namelist())
        self.changed: dict[str, bytes] = {}
        self.removed: set[str] = set()

    def __contains__(self, member: object) -> bool:
        return member in self.names and member not in self.removed

    def members(self) -> list[str]:
        return [n for n in self.source.namelist() if n not in self.removed]

    def read(self, member: str) -> bytes:
        if member in self.changed:
            return self.changed[member]
        return self.source.read(member)

    def write(self, member: str, data: bytes) -> None:
        if member not in self.names:
            raise KeyError(member)  # the copy only changes parts the workbook has
        if data != self.read(member):
            self.changed[member] = data

    def relationships(self, member: str) -> list[Relationship]:
        """The relationships of `member` (none when it has no `_rels` part)."""
        rels = rels_member(member)
        if rels not in self:
            return []
        found = []
        for match in _RELATIONSHIP.finditer(self.read(rels)):
            attrs = attributes(match.group(2))
            external = attrs.get("TargetMode", "").lower() == "external"
            target = attrs.get("Target", "")
            if not external:
                target = part_target(posixpath.dirname(member), target)
            found.append(Relationship(attrs.get("Id", ""), attrs.get("Type", "").rsplit("/", 1)[-1], target,
                                      external))
        return found

    def drop_relationships(self, member: str, ids: Iterable[str]) -> None:
        """Remove the relationships `ids` from `member`'s `_rels` part."""
        ids = set(ids)
        rels = rels_member(member)
        if not ids or rels not in self:
            return
        self.write(rels, _RELATIONSHIP.sub(
            lambda m: b"" if attributes(m.group(2)).get("Id") in ids else m.group(0), self.read(rels)))

    def remove(self, member: str) -> None:
        """Remove a part, its own relationships part and its content type."""
        if member not in self:
            return
        self.removed.add(member)
        self.changed.pop(member, None)
        rels = rels_member(member)
        if rels in self:
            self.removed.add(rels)
        if CONTENT_TYPES in self:
            override = re.compile(rb"<(" + _PREFIX + rb")Override\b[^>]*?PartName\s*=\s*[\"']/"
                                  + re.escape(member.encode()) + rb"[\"'][^>]*?(?:/>|>\s*</\1Override>)", re.I)
            self.write(CONTENT_TYPES, override.sub(b"", self.read(CONTENT_TYPES)))
