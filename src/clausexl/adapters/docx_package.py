"""A .docx template parsed once, then each document written at the speed of the zip.

docxtpl opens the template with python-docx for every document, renders it, and saves the whole
package again, recompressing ~800 kB of styles, theme and fonts that never change. Here the
template is opened once per file version: the parts that carry Jinja text (body, headers, footers,
footnotes, core properties) are kept as cleaned-up Jinja sources, and every other member of the
package, as python-docx would save it, is kept already compressed. A document is then its rendered
parts, compressed, and the unchanged members copied byte for byte.

Rendering itself stays docxtpl's: the same XML clean-up (`patch_xml`), the same pre- and
post-processing of each part (`render_xml_part`: line breaks, tabs, escaped braces), the same table
and drawing-ID fixes of the body, the same six core properties.
"""

from __future__ import annotations

import copy
import io
import struct
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: Core properties docxtpl renders (the string ones python-docx can write back).
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_BODY_MARK = "clausexl-body"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Member:
    """One zip member as stored: compressed bytes and what the central directory says of them."""

    name: str
    data: bytes
    crc: int
    size: int
    method: int
    flags: int
    dostime: int
    dosdate: int


@dataclass(frozen=True)
class DocxPlan:
    """A template ready to render: its Jinja sources and its unchanged members, compressed."""

    members: tuple[Member, ...]  # in package order; rendered ones are replaced at render time
    body_source: str  # the body's cleaned Jinja text
    document: tuple[str, bytes, bytes]  # member name, XML before the body, XML after it
    parts: tuple[tuple[str, str, bool], ...]  # headers, footers, footnotes: (member, source, reparse)
    core: tuple[str, Any, dict[str, str]] | None  # member, <cp:coreProperties> element, property sources

    def variables_source(self) -> str:
        """The text docxtpl parses to list a template's variables: body, then headers and footers."""
        return self.body_source + "".join(source for _, source, reparse in self.parts if reparse)

    def render(self, values: Mapping[str, Any], env: Any, helper: Callable[[], Any]) -> bytes:
        """The document for `values`, as bytes of a .docx (a zip)."""
        from lxml import etree

        tpl = helper()  # a fresh docxtpl object: its fixes keep a little state (drawing IDs)
        tpl.docx_ids_index = 1000
        rendered: dict[str, bytes] = {}
        body = tpl.fix_tables(tpl.render_xml_part(self.body_source, None, values, env))
        tpl.fix_docpr_ids(body)
        name, before, after = self.document
        rendered[name] = before + etree.tostring(body, encoding="UTF-8", xml_declaration=False) + after
        for member, source, reparse in self.parts:
            xml = tpl.render_xml_part(source, None, values, env).encode("utf-8")
            # Headers and footers go back through python-docx's parser and serializer (docxtpl
            # loads them as parts); footnotes are written as rendered, as docxtpl does.
            rendered[member] = _serialize(_parse(xml)) if reparse else xml
        if self.core is not None:
            member, element, sources = self.core
            rendered[member] = _core_properties(element, sources, values, env)
        return write_zip(self.members, rendered)


def plan_docx(path: str, patch: Callable[[str], str]) -> DocxPlan:
    """Open the template once with python-docx and keep what each document needs."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    doc = Document(path)
    core_props = doc.core_properties  # python-docx adds a default part when the template has none
    sources = {p: getattr(core_props, p) or "" for p in PROPERTIES}
    main = doc.part
    root = main.element
    body_xml = etree.tostring(root.body, encoding="unicode")
    shell = copy.deepcopy(root)
    old_body = shell.body
    old_body.addprevious(etree.Element(_BODY_MARK))
    shell.remove(old_body)
    whole = etree.tostring(shell, encoding="UTF-8", standalone=True)
    before, after = whole.split(f"<{_BODY_MARK}/>".encode())
    parts = []
    for rel in main.rels.values():
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
            part = rel.target_part
            xml = etree.tostring(_parse(part.blob), encoding="unicode")
            parts.append((part.partname.membername, patch(xml), True))
    for part in main.package.iter_parts():
        if part.content_type == _FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            parts.append((part.partname.membername, patch(blob), False))
    core = None
    if any("{" in text for text in sources.values()):  # a property without Jinja text renders as itself
        core_part = main.package._core_properties_part
        core = (core_part.partname.membername, core_part.element, sources)
    saved = io.BytesIO()
    doc.save(saved)
    return DocxPlan(members=read_members(saved.getvalue()), body_source=patch(body_xml),
                    document=(main.partname.membername, before, after), parts=tuple(parts), core=core)


def _parse(xml: bytes) -> Any:
    from docx.oxml.parser import parse_xml

    return parse_xml(xml)


def _serialize(element: Any) -> bytes:
    from docx.opc.oxml import serialize_part_xml

    return serialize_part_xml(element)


def _core_properties(element: Any, sources: Mapping[str, str], values: Mapping[str, Any], env: Any) -> bytes:
    from docx.opc.coreprops import CoreProperties

    mine = copy.deepcopy(element)
    props = CoreProperties(mine)
    for name, source in sources.items():
        setattr(props, name, env.from_string(source).render(values))
    return _serialize(mine)


def read_members(package: bytes) -> tuple[Member, ...]:
    """Every member of a zip, compressed bytes included, in the order of its directory."""
    import zipfile

    members = []
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for info in z.infolist():
            header = package[info.header_offset:info.header_offset + _LOCAL.size]
            fields = _LOCAL.unpack(header)
            start = info.header_offset + _LOCAL.size + fields[9] + fields[10]
            dostime = info.date_time[3] << 11 | info.date_time[4] << 5 | info.date_time[5] // 2
            dosdate = (info.date_time[0] - 1980) << 9 | info.date_time[1] << 5 | info.date_time[2]
            members.append(Member(info.filename, package[start:start + info.compress_size], info.CRC,
                                  info.file_size, info.compress_type, info.flag_bits & 0x800, dostime, dosdate))
    return tuple(members)


def compress(name: str, data: bytes, like: Member | None = None) -> Member:
    """A member deflated (as python-docx writes them), dated now unless it replaces `like`."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    if like is not None:
        dostime, dosdate = like.dostime, like.dosdate
    else:
        t = time.localtime()
        dostime = t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2
        dosdate = (t.tm_year - 1980) << 9 | t.tm_mon << 5 | t.tm_mday
    flags = 0 if name.isascii() else 0x800
    return Member(name, packed, zlib.crc32(data), len(data), 8, flags, dostime, dosdate)


def write_zip(members: tuple[Member, ...], replaced: Mapping[str, bytes]) -> bytes:
    """The zip of `members`, those named in `replaced` compressed anew, the others copied as they are."""
    out = io.BytesIO()
    central = []
    for m in members:
        if m.name in replaced:
            m = compress(m.name, replaced[m.name], like=m)
        name = m.name.encode("utf-8")
        offset = out.tell()
        out.write(_LOCAL.pack(b"PK\x03\x04", 20, m.flags, m.method, m.dostime, m.dosdate, m.crc, len(m.data),
                              m.size, len(name), 0))
        out.write(name)
        out.write(m.data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, m.flags, m.method, m.dostime, m.dosdate, m.crc,
                                     len(m.data), m.size, len(name), 0, 0, 0, 0, 0o600 << 16, offset) + name)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()
