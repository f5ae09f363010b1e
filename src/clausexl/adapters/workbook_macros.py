"""The macro half of clauses.xlsm: the VBA project and the ribbon part.

Kept apart from the sheets because it is plumbing of the Office file format: the VBA project is
assembled in pure Python (pyOpenVBA) from text sources, and the ribbon is a zip part XlsxWriter
knows nothing about, added after XlsxWriter has written the package.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

import xlsxwriter
import xlwings
from pyopenvba import ExcelFile, VBAModuleKind
from pyopenvba.cfb import CFB

#: Relationship type of a customUI14.xml part ([MS-CUSTOMUI], Office 2010 and later).
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_RELATIONSHIP_ID = "rIdRubanClauses"

#: [MS-OVBA] 2.3.4.1 as written by Office for a project to recompile from source: Reserved1 0x61CC,
#: Version 0xFFFF (performance caches ignored), Reserved2 0x00, Reserved3 0x0001, no cache.
VBA_PROJECT_STREAM = bytes.fromhex("cc61ffff000100")

#: Zip member date: the fixed stamp XlsxWriter itself uses, so two builds give the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_XLWINGS_DIR = Path(xlwings.__file__).parent


def vba_sources() -> dict[str, tuple[str, VBAModuleKind]]:
    """Module name → (source text with CRLF lines, kind), in the order they enter the project.

    The xlwings module and its Dictionary class come from the installed (pinned) xlwings itself,
    so the VBA always matches the Python package that answers RunPython.
    """
    return {
        "xlwings": (_crlf((_XLWINGS_DIR / "xlwings.bas").read_text("utf-8")), VBAModuleKind.standard),
        "Dictionary": (
            _crlf((_XLWINGS_DIR / "addin" / "Dictionary.cls").read_text("utf-8")),
            VBAModuleKind.other,
        ),
        "Ruban": (_crlf(_package_text("Ruban.bas")), VBAModuleKind.standard),
    }


def ribbon_xml() -> bytes:
    """The committed customUI14.xml, as bytes to store in the package."""
    return _package_text("customUI14.xml").encode("utf-8")


def build_vba_project(sheet_names: list[str]) -> bytes:
    """vbaProject.bin for a workbook with these sheets, in Office's "recompile from source" form.

    pyOpenVBA creates the project the way Excel does for a first macro (ThisWorkbook and one
    document module Sheet1..SheetN per sheet, matching the code names XlsxWriter writes), so a
    skeleton workbook with the same sheets is given to it; only its vbaProject.bin is kept.
    """
    with tempfile.TemporaryDirectory(prefix="clausexl-vba-") as tmp:
        skeleton = Path(tmp) / "squelette.xlsm"
        book = xlsxwriter.Workbook(str(skeleton))
        for name in sheet_names:
            book.add_worksheet(name)
        book.close()
        with ExcelFile(skeleton) as excel:
            project = excel.add_vba_project()
            for name, (source, kind) in vba_sources().items():
                project.add_module(name, source, kind=kind)
            excel.save(skeleton)
        with zipfile.ZipFile(skeleton) as package:
            cfb = CFB.from_bytes(package.read("xl/vbaProject.bin"))
    # pyOpenVBA zeroes the performance cache but keeps Excel's version: Office would then trust
    # the (empty) cache. Version 0xFFFF with no cache makes every Office recompile the sources.
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    return cfb.to_bytes()


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
