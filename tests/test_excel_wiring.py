"""Every ribbon button reaches a Python entry point, and the VBA module matches the pinned xlwings.

Read from the sources the workbook is built from (customUI14.xml, Ruban.bas), from the committed
workbook itself (its VBA project, through olevba) and from pyproject.toml, independently of
`excel/buttons.py`, so that a button added in one place and not the others fails here.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xlwings

with warnings.catch_warnings():  # oletools 0.60.2 calls deprecated pyparsing names at import
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser  # type: ignore[import-untyped]

import clausexl.excel as excel
from clausexl.excel.buttons import BUTTONS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "clausexl" / "excel_sources"
UI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
SUB = re.compile(r'^Sub (\w+)\(control As IRibbonControl\)\s*\n(?:(?!End Sub).*\n)*?'
                 r'\s*RunPython "import (clausexl\.excel\.\w+) as x; x\.(\w+)\((.*)\)"\s*\nEnd Sub', re.MULTILINE)


def ribbon() -> dict[str, str]:
    """Ribbon button id → onAction callback, from customUI14.xml."""
    ui = ElementTree.parse(SOURCES / "customUI14.xml").getroot()
    return {b.get("id", ""): b.get("onAction", "") for b in ui.iter(f"{UI_NS}button")}


def subs(source: str) -> dict[str, tuple[str, str]]:
    """VBA callback → (module, function) of the Python entry point it runs, from a module's source."""
    return {callback: (module, function)
            for callback, module, function, _ in SUB.findall(source.replace("\r\n", "\n"))}


@pytest.fixture(scope="module")
def committed_modules() -> dict[str, str]:
    parser = VBA_Parser(str(ROOT / "workbook" / "clauses.xlsm"))
    try:
        return {stream.rsplit("/", 1)[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_ribbon_ids_vba_subs_and_python_functions_agree(committed_modules: dict[str, str]) -> None:
    """Each ribbon id → a Sub of Ruban (source and committed workbook) → an entry point of its excel/ module."""
    source_subs = subs((SOURCES / "Ruban.bas").read_text("utf-8"))
    assert subs(committed_modules["Ruban"]) == source_subs
    chain = {button_id: (callback, source_subs.get(callback)) for button_id, callback in ribbon().items()}
    assert chain == {b.ribbon_id: (b.callback, (b.entry_module, b.function)) for b in BUTTONS}
    assert set(source_subs) == {callback for callback, _ in chain.values()}
    for _, target in chain.values():
        assert target is not None
        module, function = target
        entry = getattr(importlib.import_module(module), function)
        assert callable(entry) and entry.__module__ == module
        assert hasattr(entry, "__wrapped__"), f"{function} n'est pas un point d'entrée (entry_point)"


def test_one_module_per_button_group() -> None:
    """The package mirrors the ribbon: every module of a group holds all of that group's buttons, and
    each group module holds nothing else but entry points of its buttons."""
    modules = {b.group: b.entry_module for b in BUTTONS}
    assert len(set(modules.values())) == len(modules)
    for group, module in modules.items():
        entries = {name for name, value in vars(importlib.import_module(module)).items()
                   if hasattr(value, "__wrapped__") and getattr(value, "__module__", None) == module}
        assert entries == {b.function for b in BUTTONS if b.group == group}


def test_workbooks_built_before_the_package_keep_working() -> None:
    """`import clausexl.excel as x; x.verifier_saisie()`, the call of older workbooks, finds each entry point."""
    for b in BUTTONS:
        assert getattr(excel, b.function) is getattr(importlib.import_module(b.entry_module), b.function)
    with pytest.raises(AttributeError):
        excel.pas_un_bouton  # noqa: B018


def test_a_click_imports_only_its_group() -> None:
    """Importing one group module loads no other group module (a click pays only for its verb)."""
    code = ("import sys, clausexl.excel.aide\n"
            "print(','.join(sorted(m for m in sys.modules if m.startswith('clausexl.excel.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "clausexl.excel.aide,clausexl.excel.buttons,clausexl.excel.common"


def test_book_caller_appears_only_in_the_entry_point_module() -> None:
    """`xw.Book.caller()` is called in clausexl/excel/common.py and nowhere else in the package."""
    users = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "src").rglob("*.py")
                   if "Book.caller(" in p.read_text("utf-8"))
    assert users == ["src/clausexl/excel/common.py"]


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
