"""Start-up waits for nothing: a command imports only the libraries its verb uses.

Each case runs the command in a fresh interpreter (imports are per process) and lists which of
the heavy libraries ended up in `sys.modules`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbooks import make_workbook

SRC = Path(__file__).resolve().parent.parent / "src"
HEAVY = ("pandas", "numpy", "python_calamine", "xlsxwriter", "docxtpl", "docx", "jinja2", "ijson", "openpyxl",
         "xlwings", "lxml", "babel", "rich")
# The list is printed by an exit function: `python -m clausexl` ends the process itself (cli.run), after them.
PROBE = """
import atexit, json, runpy, sys
sys.argv = ["clausexl", *sys.argv[1:]]
atexit.register(lambda: print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr))
runpy.run_module("clausexl", run_name="__main__")
"""


def heavy_imports(*argv: str) -> set[str]:
    """The heavy libraries imported by `clausexl ARGV…` in a new process."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv], env=env,
                          capture_output=True, text=True, timeout=120)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [("--help",), ("--version",), ("valider", "--help"), ("courriers", "--help"),
                                  ("reperer", "--help")])
def test_help_imports_no_library(argv):
    """`clausexl --help` (and a verb's help) imports click and nothing heavy: no pandas, no XlsxWriter…"""
    assert heavy_imports(*argv) == set()


def test_valider_imports_what_it_reads_with_only(tmp_path):
    """`valider` without --rapport reads and checks: pandas and calamine, no writer, template or JSON engine."""
    path = make_workbook(tmp_path)
    imported = heavy_imports("valider", str(path), "--json")
    assert {"pandas", "python_calamine"} <= imported
    assert imported.isdisjoint({"xlsxwriter", "docxtpl", "docx", "jinja2", "ijson", "openpyxl", "xlwings"})


def test_heures_and_bilan_without_output_write_no_workbook(tmp_path):
    """Without --sortie, `heures` and `bilan` load no workbook writer."""
    path = make_workbook(tmp_path)
    for argv in (("heures", str(path), "--au", "2024-12-31", "--json"), ("bilan", str(path), "--annee", "2024")):
        imported = heavy_imports(*argv)
        assert "pandas" in imported
        assert imported.isdisjoint({"xlsxwriter", "docxtpl", "docx", "ijson", "xlwings"}), argv


def test_reperer_without_output_writes_no_workbook(tmp_path):
    """`reperer` without --sortie prints its lists: no workbook writer on the path of a national file."""
    path = make_workbook(tmp_path, parameters={"departements_reperage": "50"})
    decp = Path(__file__).resolve().parents[2] / "shared" / "data" / "decp" / "Marche.json"
    imported = heavy_imports("reperer", str(decp), "--classeur", str(path))
    assert {"pandas", "ijson"} <= imported
    assert imported.isdisjoint({"xlsxwriter", "docxtpl", "docx", "openpyxl", "xlwings"})
