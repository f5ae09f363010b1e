"""Every ribbon button reaches a Python entry point, and the VBA module matches the pinned xlwings.

Read from the sources the workbook is built from (customUI14.xml, Ruban.bas), from the committed
workbook itself (its VBA project, through olevba) and from pyproject.toml, independently of
`core/buttons.py`, so that a button added in one place and not the others fails here.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xlwings

with warnings.catch_warnings():  # oletools 0.60.2 calls deprecated pyparsing names at import
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser

import clausexl.excel as excel
from clausexl.core.buttons import BUTTONS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "clausexl" / "excel_sources"
UI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
SUB = re.compile(r'^Sub (\w+)\(control As IRibbonControl\)\s*\n\s*RunPython "import clausexl\.excel as x; '
                 r'x\.(\w+)\(\)"\s*\nEnd Sub', re.MULTILINE)


def ribbon() -> dict[str, str]:
    """Ribbon button id → onAction callback, from customUI14.xml."""
    ui = ElementTree.parse(SOURCES / "customUI14.xml").getroot()
    return {b.get("id"): b.get("onAction") for b in ui.iter(f"{UI_NS}button")}


def subs(source: str) -> dict[str, str]:
    """VBA callback → Python function it runs, from a module's source."""
    return dict(SUB.findall(source.replace("\r\n", "\n")))


@pytest.fixture(scope="module")
def committed_modules() -> dict[str, str]:
    parser = VBA_Parser(str(ROOT / "workbook" / "clauses.xlsm"))
    try:
        return {stream.rsplit("/", 1)[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_ribbon_ids_vba_subs_and_python_functions_agree(committed_modules: dict[str, str]) -> None:
    """Each ribbon id → a Sub of Ruban (source and committed workbook) → an entry point of clausexl.excel."""
    source_subs = subs((SOURCES / "Ruban.bas").read_text("utf-8"))
    assert subs(committed_modules["Ruban"]) == source_subs
    chain = {button_id: (callback, source_subs.get(callback)) for button_id, callback in ribbon().items()}
    assert chain == {b.ribbon_id: (b.callback, b.function) for b in BUTTONS}
    assert set(source_subs) == {callback for callback, _ in chain.values()}
    for _, function in chain.values():
        entry = getattr(excel, function)
        assert callable(entry) and entry.__module__ == "clausexl.excel"
        assert hasattr(entry, "__wrapped__"), f"{function} n'est pas un point d'entrée (entry_point)"


def test_book_caller_appears_only_in_the_entry_point_module() -> None:
    """`xw.Book.caller()` is called in clausexl/excel.py and nowhere else in the package."""
    users = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "src").rglob("*.py")
                   if "Book.caller(" in p.read_text("utf-8"))
    assert users == ["src/clausexl/excel.py"]


def test_xlwings_pin_matches_the_workbook_vba_module(committed_modules: dict[str, str]) -> None:
    """pyproject pins xlwings exactly, to the version of the committed workbook's xlwings module."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    (pin,) = [d for d in dependencies if re.match(r"xlwings\b", d)]
    assert re.fullmatch(r"xlwings==\d+\.\d+\.\d+", pin), pin
    pinned = pin.split("==")[1]
    vba = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', committed_modules["xlwings"])
    assert vba and vba.group(1) == pinned
    assert f"xlwings64-{pinned}.dll" in committed_modules["xlwings"]
    assert xlwings.__version__ == pinned
