"""Building the VBA project of clauses.xlsm from text sources, in pure Python (pyOpenVBA).

A build-time tool (the `build` extra): `python -m clausexl.adapters.workbook_build` uses it to
regenerate the committed workbook; at run time the packaged project is reused.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import xlsxwriter
import xlwings
from pyopenvba import ExcelFile, VBAModuleKind
from pyopenvba.cfb import CFB

from .workbook_macros import VBA_PART, _crlf, _package_text

#: [MS-OVBA] 2.3.4.1 as written by Office for a project to recompile from source: Reserved1 0x61CC,
#: Version 0xFFFF (performance caches ignored), Reserved2 0x00, Reserved3 0x0001, no cache.
VBA_PROJECT_STREAM = bytes.fromhex("cc61ffff000100")

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
            cfb = CFB.from_bytes(package.read(VBA_PART))
    # pyOpenVBA zeroes the performance cache but keeps Excel's version: Office would then trust
    # the (empty) cache. Version 0xFFFF with no cache makes every Office recompile the sources.
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    data: bytes = cfb.to_bytes()
    return data
