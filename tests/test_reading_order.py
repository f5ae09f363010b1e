"""The monthly hours are read first (lower peak memory), yet tables, findings and errors are those of
the tables read in the schema's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from bad_workbooks import base_rows
from clausexl.adapters.workbook_reader import read_classeur, read_raw_tables
from clausexl.core import schema
from clausexl.core.classeur import load_classeur
from clausexl.core.errors import MissingColumn, MissingTable
from clausexl.core.raw import RawTable
from workbooks import make_workbook


@pytest.fixture
def raw(tmp_path: Path) -> dict[str, RawTable]:
    rows = base_rows()
    rows["T_Heures"].append({"contrat": "C1", "mois": "13/2018", "heures_travaillees": "beaucoup"})
    path = make_workbook(tmp_path, rows)
    return read_raw_tables(path, [t.name for t in schema.TABLES])


def test_hours_fetched_first_results_in_schema_order(raw: dict[str, RawTable], tmp_path: Path) -> None:
    asked: list[str] = []

    def fetch(name: str) -> RawTable | None:
        asked.append(name)
        return raw.get(name)

    c = load_classeur(fetch, "x.xlsx")
    assert asked[0] == "T_Heures" and asked.count("T_Heures") == 1
    assert list(c.tables) == [t.name for t in schema.TABLES]
    assert [f.sheet for f in c.findings if f.sheet != "Paramètres"] == ["Heures", "Heures"]
    whole = read_classeur(make_workbook(tmp_path, base_rows(), name="b.xlsx"))
    assert list(whole.tables) == [t.name for t in schema.TABLES]


def test_an_earlier_tables_error_comes_first(raw: dict[str, RawTable]) -> None:
    """T_Heures, read first, lacks a required column; T_Marches, before it in the schema, is missing:
    the error is T_Marches', as when every table was read in turn."""
    broken = dict(raw)
    hours = broken["T_Heures"]
    broken["T_Heures"] = RawTable(hours.name, hours.sheet, hours.header_row, ["Autre", *hours.headers[1:]],
                                  hours.rows, hours.found_by, hours.first_column)
    with pytest.raises(MissingColumn, match="Contrat"):
        load_classeur(broken, "x.xlsx")
    del broken["T_Marches"]
    with pytest.raises(MissingTable, match="T_Marches"):
        load_classeur(broken, "x.xlsx")
    with pytest.raises(MissingColumn, match="Contrat"):
        load_classeur(broken, "x.xlsx", ["T_Heures"])
