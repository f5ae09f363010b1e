"""The macro half of clauses.xlsm at run time: the packaged VBA project and the ribbon part.

Kept apart from the sheets because it is plumbing of the Office file format: the ribbon is a zip
part XlsxWriter knows nothing about, added after XlsxWriter has written the package. The VBA
project itself is assembled at build time by `vba_project` (pyOpenVBA).
"""

from __future__ import annotations

import io
import re
import zipfile
from importlib import resources

from ..resources import template_workbook

#: Relationship type of a customUI14.xml part ([MS-CUSTOMUI], Office 2010 and later).
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_RELATIONSHIP_ID = "rIdRubanClauses"

#: Zip member date: the fixed stamp XlsxWriter itself uses, so two builds give the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

VBA_PART = "xl/vbaProject.bin"


def packaged_vba_project() -> bytes:
    """The VBA project of the packaged template workbook.

    Why: every workbook written at run time (demo, fixtures) has the same sheets, hence the same
    project; reusing the committed one keeps pyOpenVBA a build-time tool only
    (`python -m clausexl.adapters.workbook_build` rebuilds it from the sources).
    """
    with zipfile.ZipFile(template_workbook()) as package:
        return package.read(VBA_PART)


def ribbon_xml() -> bytes:
    """The committed customUI14.xml, as bytes to store in the package."""
    return _package_text("customUI14.xml").encode("utf-8")


def add_ribbon(package: bytes) -> bytes:
    """The package with the ribbon part and its root relationship, rewritten deterministically."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "_rels/.rels":
                data = _with_ribbon_relationship(data)
            _write_member(target, info.filename, data)
        _write_member(target, RIBBON_PART, ribbon_xml())
    return out.getvalue()


def _with_ribbon_relationship(rels: bytes) -> bytes:
    text = rels.decode("utf-8")
    relationship = (
        f'<Relationship Id="{RIBBON_RELATIONSHIP_ID}" Type="{RIBBON_RELATIONSHIP}" '
        f'Target="{RIBBON_PART}"/>'
    )
    text, count = re.subn(r"</Relationships>\s*$", relationship + "</Relationships>", text)
    if count != 1:
        raise ValueError("_rels/.rels sans élément Relationships : paquet XlsxWriter inattendu")
    return text.encode("utf-8")


def _write_member(target: zipfile.ZipFile, name: str, data: bytes) -> None:
    """Write one member with fixed date and attributes, whatever the OS building it."""
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    target.writestr(info, data)


def _package_text(name: str) -> str:
    return resources.files("clausexl").joinpath("excel_sources", name).read_text("utf-8")


def _crlf(text: str) -> str:
    """VBA modules are stored with CRLF line ends, whatever the checkout did to the file."""
    return "\r\n".join(text.splitlines()) + "\r\n"
