"""Rows typed just below an Excel table that its range did not absorb (a paste, a script) are not read:
they are said, never silently ignored (`ligne-hors-tableau`, docs/classeur.md), by `valider` and by every
verb's left-out line, through the file reader and through the open workbook (xlwings' remote engine)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import clausexl.excel as excel
from bilan_fixture import PARAMETERS, ROWS, _hours
from clausexl.adapters import sheet_xml
from clausexl.cli import main
from clausexl.core.raw import unread_rows
from excel_payload import alert, run
from workbooks import make_workbook, repackaged

#: The fixture's T_Heures holds 14 rows (Excel rows 2–15); the table is shrunk to end on row 13.
SHRUNK_TO = 13


def shrunk(folder: Path, rows: dict, table: str = "T_Heures", end: int = SHRUNK_TO) -> Path:
    """The workbook of `rows` whose table `table` ends on row `end`: the rows under it stay typed, unread."""
    source = make_workbook(folder, rows, PARAMETERS)

    def change(members: dict[str, bytes], _: dict[str, str]) -> None:
        for name, data in members.items():
            if name.startswith("xl/tables/") and f'displayName="{table}"'.encode() in data:
                members[name] = re.sub(rb'ref="([A-Z]+\d+):([A-Z]+)\d+"', lambda m: b'ref="%s:%s%d"' % (
                    m.group(1), m.group(2), end), data)

    return repackaged(source, folder / "rogne.xlsx", change)


def cli(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_unread_rows_are_the_block_directly_below() -> None:
    """From the row under the table to the first empty row, within the table's columns only."""
    cells = [(14, 3), (14, 1), (15, 2), (17, 1), (16, 9), (12, 1)]
    assert unread_rows(cells, 13, 1, 6) == {14: 1, 15: 2}
    assert unread_rows(cells, 15, 1, 6) == {}


@pytest.mark.parametrize(("chunk", "keep", "again"), [(97, 1, True), (97, 3, False), (1 << 17, 3, False)])
def test_found_wherever_the_chunks_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, keep: int,
                                       again: bool) -> None:
    """The file reader keeps only the sheet's last chunks; when the cells below reach further back (tiny
    chunks here, a paste of thousands of rows in life), it reads the sheet again for them."""
    monkeypatch.setattr(sheet_xml, "_PACKED_CHUNK", chunk)
    monkeypatch.setattr(sheet_xml, "_CHUNK", chunk)
    monkeypatch.setattr(sheet_xml._Below, "KEEP", keep)
    reads: list[str] = []
    chunks = sheet_xml._chunks

    def counted(package: Any, member: str) -> Any:
        reads.append(member)
        return chunks(package, member)

    monkeypatch.setattr(sheet_xml, "_chunks", counted)
    scan = sheet_xml.sheet_scan(shrunk(tmp_path, ROWS), "Heures")
    _, first, last, end = scan.tables["T_Heures"]
    assert last == SHRUNK_TO
    assert unread_rows(scan.below, last, first, end) == {14: first, 15: first}
    assert bool(reads) is again


def test_valider_reports_each_row_below_the_table(tmp_path: Path) -> None:
    code, out, _ = cli("valider", shrunk(tmp_path, ROWS), "--json")
    assert code == 1
    found = [f for f in json.loads(out)["constats"] if f["code"] == "ligne-hors-tableau"]
    assert [(f["feuille"], f["ligne"], f["colonne"], f["gravite"]) for f in found] == [
        ("Heures", 14, "Contrat", "erreur"), ("Heures", 15, "Contrat", "erreur")]
    assert found[0]["message"].startswith("La ligne 14 est saisie juste sous le tableau T_Heures sans en faire "
                                          "partie : elle n'est pas lue.")


def test_verbs_count_them_in_their_left_out_line(tmp_path: Path) -> None:
    """`heures` gives the figures of the rows the table holds, and says the two rows it did not read."""
    code, out, err = cli("heures", shrunk(tmp_path, ROWS), "--au", "2019-03-15", "--json")
    meant = copy.deepcopy(ROWS)
    del meant["T_Heures"][-2:]
    (tmp_path / "voulu").mkdir()
    _, clean, _ = cli("heures", make_workbook(tmp_path / "voulu", meant, PARAMETERS), "--au", "2019-03-15", "--json")
    assert code == 1
    assert "2 lignes en erreur laissées de côté (ligne sous un tableau, hors de sa plage : 2)" in err
    data = json.loads(out)
    assert data.pop("lignes_ecartees") == [
        {"feuille": "Heures", "ligne": 14, "colonne": "Contrat", "code": "ligne-hors-tableau"},
        {"feuille": "Heures", "ligne": 15, "colonne": "Contrat", "code": "ligne-hors-tableau"}]
    expected = json.loads(clean)
    expected.pop("lignes_ecartees")
    assert data == expected


def test_a_blank_row_ends_the_block_and_a_full_table_says_nothing(tmp_path: Path) -> None:
    rows = copy.deepcopy(ROWS)
    _, out, _ = cli("valider", make_workbook(tmp_path, rows, PARAMETERS), "--json")
    assert not [f for f in json.loads(out)["constats"] if f["code"] == "ligne-hors-tableau"]
    rows["T_Heures"].insert(12, {})  # Excel row 14 left blank: rows 15 and 16 are a note, not the table's
    rows["T_Heures"].append(_hours("C1", "2018-06-01", 7))
    (tmp_path / "vide").mkdir()
    _, out, _ = cli("valider", shrunk(tmp_path / "vide", rows), "--json")
    assert not [f for f in json.loads(out)["constats"] if f["code"] == "ligne-hors-tableau"]


def test_importer_releves_refuses_to_write_over_them(tmp_path: Path) -> None:
    statements = tmp_path / "retours"
    statements.mkdir()
    (statements / "heures.csv").write_text("Contrat;Mois;Heures travaillées\nC3;06/2018;35\n", encoding="utf-8")
    code, _, err = cli("importer-releves", shrunk(tmp_path, ROWS), statements, "--sortie", tmp_path / "copie.xlsx")
    assert code == 2
    assert err.startswith("Erreur : La feuille Heures a les lignes 14 à 15 saisies juste sous le tableau T_Heures sans en "
                          "faire partie")
    assert not (tmp_path / "copie.xlsx").exists()


@pytest.mark.usefixtures("remote_engine")
def test_buttons_see_them_in_the_open_workbook(tmp_path: Path) -> None:
    """The live reader reads the cells under each table in one more call: same finding, same left-out line."""
    text, _ = alert(run(shrunk(tmp_path, ROWS), excel.calculer_heures))
    assert "2 lignes en erreur laissées de côté (ligne sous un tableau, hors de sa plage : 2)" in text
