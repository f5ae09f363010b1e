"""No input crashes the process: what the reader would allocate is bounded by the tables' real extent,
and any failure of the reader is one French sentence with exit 2."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bad_workbooks import base_rows
from workbooks import make_workbook, repackaged

SRC = Path(__file__).resolve().parents[1] / "src"


def mutated(folder: Path, change: Callable[[dict[str, bytes], dict[str, str]], None]) -> Path:
    return repackaged(make_workbook(folder, base_rows(), name="base.xlsx"), folder / "classeur.xlsx", change)


def far_cell(ref: bytes, row: bytes) -> Callable:
    def change(m, parts):
        member = parts["Marchés"]
        m[member] = m[member].replace(b"</sheetData>", b'<row r="' + row + b'"><c r="' + ref + b'"><v>1</v></c></row>'
                                      b"</sheetData>")
    return change


def table_ref(ref: bytes) -> Callable:
    def change(m, parts):
        for name in [n for n in m if n.startswith("xl/tables/")]:
            if b'"T_Marches"' in m[name]:
                m[name] = re.sub(rb'\bref="[^"]*"', b'ref="' + ref + b'"', m[name], count=1)
    return change


def big_sheet_then(ref: bytes, row: bytes) -> Callable:
    """More than 16 MB of sheet XML (a 17 MB text in one cell) before the far cell: large sheets are checked too."""
    def change(m, parts):
        member = parts["Marchés"]
        filler = b'<row r="3"><c r="AF3" t="inlineStr"><is><t>' + b"x" * (17 << 20) + b"</t></is></c></row>"
        m[member] = m[member].replace(b"</sheetData>", filler + b'<row r="' + row + b'"><c r="' + ref + b'"><v>1</v>'
                                      b"</c></row></sheetData>")
    return change


def wide_and_long(m, parts):
    """Column ZZ on row 5, and row 500 000 in column A: each is near, the used range (702 × 500 000) is not."""
    member = parts["Marchés"]
    m[member] = m[member].replace(b"</sheetData>", b'<row r="5"><c r="ZZ5"><v>1</v></c></row><row r="500000">'
                                  b'<c r="A500000"><v>1</v></c></row></sheetData>')


def spaced(m, parts):
    """The address written `r = "XFD1048576"` (spaces are allowed around `=`)."""
    member = parts["Marchés"]
    m[member] = m[member].replace(b"</sheetData>", b'<row r="1048576"><c r = "XFD1048576"><v>1</v></c></row>'
                                  b"</sheetData>")


CASES = {
    "cellule-XFD1048576": (far_cell(b"XFD1048576", b"1048576"), 2, "XFD1048576"),
    "feuille-de-17-Mo-puis-XFD1048576": (big_sheet_then(b"XFD1048576", b"1048576"), 2, "XFD1048576"),
    "colonne-ZZ-et-ligne-500000": (wide_and_long, 2, "très loin"),
    "adresse-avec-espaces": (spaced, 2, "XFD1048576"),
    "cellule-AAA900000": (far_cell(b"AAA900000", b"900000"), 2, "AAA900000"),
    "tableau-A1-XFD1048576": (table_ref(b"A1:XFD1048576"), None, None),
    "tableau-en-tete-seul": (table_ref(b"A1:P1"), None, None),
    "tableau-a-l-envers": (table_ref(b"P5:A1"), None, None),
    "tableau-ref-illisible": (table_ref(b"n'importe quoi"), 2, "endommagé"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_reader_is_bounded(tmp_path: Path, case: str):
    """In a real process with 3 GB of address space: exit 0, 1 or 2 with one sentence, never a crash."""
    change, code, text = CASES[case]
    source = mutated(tmp_path, change)
    proc = subprocess.run(
        ["bash", "-c", f"ulimit -v 3000000; exec {sys.executable} -m clausexl valider {source} --json"],
        capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr, proc.stderr[-2000:]
    if code is not None:
        assert text is not None and proc.returncode == code and text in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    else:
        assert proc.returncode in (0, 1) and proc.stdout.startswith("{"), proc.stderr


# --- DECP: depth, number size and memory bounded, the rest of the file still read -----------------

def decp_with(tmp_path: Path, first_record_tail: str) -> Path:
    """A DECP file whose first record ends with `first_record_tail` and a normal second record."""
    from every_output import decp_file

    good = decp_file(tmp_path).read_text("utf-8")
    inner = good[good.index("[") + 1:good.rindex("]")]
    bad = inner[:-1] + ", " + first_record_tail + "}"
    path = tmp_path / "decp-hostile.json"
    path.write_text('{"marches": {"marche": [' + bad + ", " + inner.replace("2018-DECP-1", "2018-DECP-2") + "]}}",
                    "utf-8")
    return path


HOSTILE = {
    "entier-4301-chiffres": '"montant": ' + "9" * 4301,
    "entier-300000-chiffres": '"montant": ' + "9" * 300_000,
    "50000-tableaux-imbriques": '"x": ' + "[" * 50_000 + "]" * 50_000,
    "objets-imbriques": '"x": ' + '{"a": [' * 20_000 + "]}" * 20_000,
    "duree-enorme": '"dureeMois": 1e999999999',
    "duree-entier-enorme": '"dureeMois": ' + "9" * 900,
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_decp_hostile_record_is_bounded(tmp_path: Path, case: str):
    """In a real process limited to 2 GB and 60 s: exit 0/1/2 with sentences only, the other record read."""
    import json

    workbook = make_workbook(tmp_path, base_rows())
    decp = decp_with(tmp_path, HOSTILE[case])
    proc = subprocess.run(
        ["bash", "-c", f"ulimit -v 2000000; exec {sys.executable} -m clausexl reperer {decp} --classeur {workbook} "
                       "--departement 50 --json"],
        capture_output=True, text=True, timeout=60, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    found = json.loads(proc.stdout)
    assert "2018-DECP-2" in json.dumps(found), proc.stdout[:2000]


def test_formula_scan_is_bounded(tmp_path: Path):
    """2 000 formulas over large ranges (and a cycle among them): valider answers, and still sees the cycle.

    The scan used to list every cell of every range (70 s for a 204 kB file); the generous timeout only
    catches a return of that, the speed itself is measured in bench/."""
    import json

    def formulas(m, parts):
        member = parts["Marchés"]
        rows = b"".join(b'<row r="%d"><c r="Z%d"><f>SUM(A1:Y1048576)+Z%d</f><v>0</v></c></row>' % (r, r, r + 1)
                        for r in range(100, 2100))
        cycle = b'<row r="2100"><c r="Z2100"><f>Z100+1</f><v>0</v></c></row>'
        m[member] = m[member].replace(b"</sheetData>", rows + cycle + b"</sheetData>")

    source = mutated(tmp_path, formulas)
    proc = subprocess.run([sys.executable, "-m", "clausexl", "valider", str(source), "--json"], capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert proc.returncode in (0, 1), proc.stderr
    json.loads(proc.stdout)


def test_a_company_statement_with_a_far_cell_is_reported_not_fatal(tmp_path: Path):
    """importer-releves reads files companies send: one with a cell at XFD1048576 is reported as unread, and
    the other files are still imported (it used to abort the whole process, exit 134)."""
    import xlsxwriter

    incoming = tmp_path / "recus"
    incoming.mkdir()
    book = xlsxwriter.Workbook(str(incoming / "releve-loin.xlsx"))
    sheet = book.add_worksheet("Feuil1")
    sheet.write_row(0, 0, ["Contrat", "Heures travaillées"])
    sheet.write_row(1, 0, ["C001", 150])
    sheet.write(1048575, 16383, "x")
    book.close()
    source = make_workbook(tmp_path, base_rows(), name="classeur.xlsm")
    proc = subprocess.run(
        ["bash", "-c", f"ulimit -v 3000000; exec {sys.executable} -m clausexl importer-releves {source} {incoming} "
                       f"--sortie {tmp_path / 'copie.xlsm'}"],
        capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr
    assert "releve-loin.xlsx" in proc.stdout + proc.stderr and "XFD1048576" in proc.stdout + proc.stderr
