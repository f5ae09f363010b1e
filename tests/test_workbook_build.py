"""The built workbook, checked by readers that share no code with the builder.

olevba (oletools) and olefile read the VBA project, zipfile + ElementTree the ribbon part, openpyxl
and python-calamine the sheets and tables.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import openpyxl
import pytest
import python_calamine
import xlwings

with warnings.catch_warnings():  # oletools 0.60.2 calls deprecated pyparsing names at import
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser  # type: ignore[import-untyped]

from clausexl.adapters.workbook_build import XLWINGS_CONF_SHEET, XLWINGS_SETTINGS, build_workbook
from clausexl.core import schema
from clausexl.core.schema import Kind
from clausexl.excel.buttons import BUTTONS, TAB_LABEL
from clausexl.verbs.installer_excel import user_conf_path

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbook" / "clauses.xlsm"
SOURCES = ROOT / "src" / "clausexl" / "excel_sources"
RIBBON_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
UI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
CALLBACK = re.compile(
    r"^Sub (\w+)\(control As IRibbonControl\)\r?\n((?:.*\r?\n)*?)End Sub", re.MULTILINE
)


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("build") / "clauses.xlsm"
    build_workbook(path, rebuild_vba=True)
    return path


@pytest.fixture(scope="module")
def modules(xlsm: Path) -> dict[str, str]:
    parser = VBA_Parser(str(xlsm))
    try:
        return {stream.rsplit("/", 1)[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def callbacks(source: str) -> dict[str, list[str]]:
    """Ribbon callback name → its body lines, from VBA source text."""
    return {
        name: [line.strip() for line in body.splitlines() if line.strip()]
        for name, body in CALLBACK.findall(source)
    }


def test_vba_project_holds_xlwings_dictionary_and_ruban(modules: dict[str, str]) -> None:
    """The project carries the xlwings module, its Dictionary class and the ribbon callbacks."""
    assert {"xlwings", "Dictionary", "Ruban", "ThisWorkbook"} <= set(modules)
    assert "Class Dictionary" in modules["Dictionary"] or "VB_Name = \"Dictionary\"" in modules["Dictionary"]


FILE_DIALOG = [
    "Dim chosen As Variant",
    "#If Mac Then",
    "chosen = Application.GetOpenFilename()",
    "#Else",
    'chosen = Application.GetOpenFilename("Fichiers DECP ou listes de rep" & ChrW(233) & "rage '
    '(*.json;*.csv;*.parquet;*.xlsx),*.json;*.csv;*.parquet;*.xlsx", , '
    '"Choisir un fichier DECP ou une liste de rep" & ChrW(233) & "rage")',
    "#End If",
    "If VarType(chosen) = vbBoolean Then Exit Sub",
]


def test_each_callback_only_runs_python_for_its_button(modules: dict[str, str]) -> None:
    """Every Sub of Ruban is one RunPython line, the one the buttons table gives; a button that asks
    for a file first shows Excel's open dialog and stops quietly when the user cancels."""
    expected = {b.callback: [*(FILE_DIALOG if b.asks_file else []), f'RunPython "{b.run_python}"'] for b in BUTTONS}
    assert callbacks(modules["Ruban"]) == expected
    committed = (SOURCES / "Ruban.bas").read_text("utf-8")
    assert callbacks(committed) == expected
    assert ("Private Function HexUtf16(text As String) As String" in committed) == any(b.asks_file for b in BUTTONS)


def test_xlwings_module_is_the_pinned_version(modules: dict[str, str]) -> None:
    """The VBA module belongs to the xlwings installed (and pinned) for the package."""
    found = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings"])
    assert found and found.group(1) == xlwings.__version__
    assert f"xlwings64-{xlwings.__version__}.dll" in modules["xlwings"]


def test_vba_project_is_in_recompile_from_source_form(xlsm: Path) -> None:
    """_VBA_PROJECT has Version 0xFFFF and no performance cache ([MS-OVBA] 2.3.4.1)."""
    with zipfile.ZipFile(xlsm) as package:
        ole = olefile.OleFileIO(package.read("xl/vbaProject.bin"))
    stream = ole.openstream("VBA/_VBA_PROJECT").read()
    assert stream[:5] == bytes.fromhex("cc61ffff00") and len(stream) == 7
    assert not [s for s in ole.listdir() if s[-1].startswith("__SRP_")]


def test_ribbon_part_relationship_buttons_and_callbacks_agree(xlsm: Path) -> None:
    """The ribbon is related from _rels/.rels and its buttons match buttons.py and Ruban.bas."""
    with zipfile.ZipFile(xlsm) as package:
        rels = ElementTree.fromstring(package.read("_rels/.rels"))
        targets = [r.get("Target") for r in rels.iter(f"{REL_NS}Relationship") if r.get("Type") == RIBBON_TYPE]
        assert targets == ["customUI/customUI14.xml"]
        ui = ElementTree.fromstring(package.read("customUI/customUI14.xml"))
    committed = ElementTree.parse(SOURCES / "customUI14.xml").getroot()
    assert ElementTree.tostring(ui) == ElementTree.tostring(committed)
    (tab,) = ui.iter(f"{UI_NS}tab")
    assert tab.get("label") == TAB_LABEL
    shown = [
        (group.get("label"), button.get("label"), button.get("id"), button.get("onAction"))
        for group in tab.iter(f"{UI_NS}group")
        for button in group.iter(f"{UI_NS}button")
    ]
    assert shown == [(b.group, b.label, b.ribbon_id, b.callback) for b in BUTTONS]
    ruban = callbacks((SOURCES / "Ruban.bas").read_text("utf-8"))
    assert {on_action for *_, on_action in shown} == set(ruban)
    assert all(button.get("imageMso") for button in tab.iter(f"{UI_NS}button"))


def test_every_table_has_its_exact_headers(xlsm: Path) -> None:
    """Each schema table is a ListObject at A1 of its sheet, headers = Column.label (two readers)."""
    book = openpyxl.load_workbook(xlsm)
    calamine = python_calamine.CalamineWorkbook.from_path(str(xlsm), load_tables=True)
    for table in schema.TABLES:
        labels = [c.label for c in table.columns]
        sheet = book[table.sheet]
        listobject = sheet.tables[table.name]
        assert listobject.ref.startswith("A1:")
        assert [c.name for c in listobject.tableColumns] == labels
        assert [cell.value for cell in sheet[1]][: len(labels)] == labels
        assert sheet.freeze_panes == "A2"
        assert calamine.get_table_by_name(table.name).columns == labels


def test_xlwings_conf_sheet_is_hidden_and_holds_only_shared_settings(xlsm: Path) -> None:
    """The `xlwings.conf` sheet is hidden (xlwings still reads it) and holds no per-PC interpreter path."""
    for path in (xlsm, COMMITTED):
        sheet = openpyxl.load_workbook(path)[XLWINGS_CONF_SHEET]
        assert sheet.sheet_state == "hidden"
        rows = [tuple(c.value for c in row[:2]) for row in sheet.iter_rows()]
        assert rows == [(key, value) for key, value in XLWINGS_SETTINGS]
        assert not [key for key, _ in rows if "INTERPRETER" in key.upper()]


def test_install_guide_describes_the_workbook_as_built(xlsm: Path) -> None:
    """What the install guide says of the workbook is true of the built file: tab, first button, the
    hidden settings sheet and its settings, the result sheet of the first click, the user's conf files."""
    guide = " ".join((ROOT / "docs" / "installation-windows.md").read_text("utf-8").split())
    book = openpyxl.load_workbook(xlsm)
    assert f"onglet **{TAB_LABEL}**" in guide and "**Vérifier la saisie**" in guide
    assert BUTTONS[0].label == "Vérifier la saisie"
    assert "feuille masquée `xlwings.conf`" in guide and book[XLWINGS_CONF_SHEET].sheet_state == "hidden"
    assert {key for key, _ in XLWINGS_SETTINGS} == {"ADD_WORKBOOK_TO_PYTHONPATH", "USE UDF SERVER", "SHOW CONSOLE"}
    assert "ne pas ajouter le classeur au chemin de Python, pas de console, un Python neuf à chaque clic" in guide
    assert "feuille `Contrôles`" in guide and "Contrôles" in book.sheetnames
    assert "`%USERPROFILE%\\.xlwings\\xlwings.conf`" in guide
    assert user_conf_path("win32", Path("H")) == Path("H") / ".xlwings" / "xlwings.conf"
    assert "`~/Library/Containers/com.microsoft.Excel/Data/xlwings.conf`" in guide
    assert user_conf_path("darwin", Path("~")) == Path("~/Library/Containers/com.microsoft.Excel/Data/xlwings.conf")


def test_dropdowns_on_every_list_column(xlsm: Path) -> None:
    """Each CHOICE / YESNO column has a list validation over its named list on the hidden Listes sheet."""
    book = openpyxl.load_workbook(xlsm)
    assert book["Listes"].sheet_state == "hidden"
    for table in schema.TABLES:
        sheet = book[table.sheet]
        validations = {
            str(rng): dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"
            for rng in dv.sqref.ranges
        }
        for index, column in enumerate(table.columns, start=1):
            source = schema.list_source_of(column)
            if column.kind in (Kind.CHOICE, Kind.YESNO):
                assert source is not None, (table.name, column.header)
                letter = openpyxl.utils.get_column_letter(index)
                assert validations.get(f"{letter}2") == source.name, (table.name, column.header)
                name = book.defined_names[source.name]
                ((list_sheet, cells),) = name.destinations
                values = [row[0].value for row in book[list_sheet][cells.replace("$", "")]]
                assert tuple(values) == schema.choices_of(column)
        assert len(validations) == sum(c.kind in (Kind.CHOICE, Kind.YESNO) for c in table.columns)


def test_parameters_defaults_and_overrides(xlsm: Path, tmp_path: Path) -> None:
    """T_Parametres lists every parameter with its default; given values replace defaults."""
    def read(path: Path) -> dict[object, list]:
        table = python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True).get_table_by_name(
            "T_Parametres"
        )
        return {row[0]: row[1:] for row in table.to_python()}

    rows = read(xlsm)
    assert list(rows) == [p.name for p in schema.PARAMETERS]
    for p in schema.PARAMETERS:
        assert rows[p.name] == ["" if p.default is None else p.default, p.comment]
    other = tmp_path / "params.xlsx"
    build_workbook(other, parameters={"structure": "PLIE du Cotentin", "taux_insertion": 0.05})
    assert read(other)["Structure"][0] == "PLIE du Cotentin"
    assert read(other)["Taux d'insertion par défaut (%)"][0] == 0.05


def test_xlwings_conf_sheet_holds_no_per_pc_setting(xlsm: Path) -> None:
    """The xlwings.conf sheet starts at A1 and never carries the interpreter (it goes in the file)."""
    sheet = openpyxl.load_workbook(xlsm)["xlwings.conf"]
    keys = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert keys and all(keys)
    assert not [k for k in keys if "INTERPRETER" in k.upper() or "CONDA" in k.upper()]


def test_result_sheets_are_there_and_hold_no_table(xlsm: Path) -> None:
    """The program's result sheets exist from the start, with nothing but a note."""
    book = openpyxl.load_workbook(xlsm)
    for name in schema.RESULT_SHEETS:
        assert not book[name].tables and book[name].max_row == 1


def test_xlsx_round_trips_values_without_macros(tmp_path: Path) -> None:
    """An .xlsx fixture keeps each value's type; a string starting with '=' stays text."""
    path = tmp_path / "fixture.xlsx"
    marche = {
        "id": "M2018-004", "objet": "=SOMME(A1)", "montant_ht": 125000.5, "npnru": "Oui",
        "date_debut": dt.date(2018, 3, 12), "date_fin": dt.datetime(2019, 6, 30), "taux_insertion": 0.07,
        "heures_prevues": 1500, "statut": None, "lot": True,
    }
    heures = {"contrat": "C1", "mois": dt.date(2024, 2, 1), "heures_travaillees": 35.5}
    build_workbook(path, {"T_Marches": [marche, {"id": "M2"}], "T_Heures": [heures]})
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
    assert "xl/vbaProject.bin" not in names and "customUI/customUI14.xml" not in names
    calamine = python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    table = calamine.get_table_by_name("T_Marches")
    first, second = (dict(zip(schema.MARCHES.keys, row)) for row in table.to_python())
    assert first["id"] == "M2018-004" and first["objet"] == "=SOMME(A1)"
    assert first["montant_ht"] == 125000.5 and first["heures_prevues"] == 1500
    assert first["date_debut"] == dt.date(2018, 3, 12)
    assert first["date_fin"] in (dt.datetime(2019, 6, 30), dt.date(2019, 6, 30))
    assert first["statut"] == "" and first["lot"] is True and second["id"] == "M2"
    sheet = openpyxl.load_workbook(path)["Marchés"]
    objet = sheet.cell(2, schema.MARCHES.keys.index("objet") + 1)
    assert objet.data_type == "s" and objet.value == "=SOMME(A1)"
    assert sheet.cell(2, schema.MARCHES.keys.index("date_debut") + 1).number_format == "dd/mm/yyyy"
    assert sheet.tables["T_Marches"].ref.endswith("3")
    hours_sheet = openpyxl.load_workbook(path)["Heures"]
    assert hours_sheet.cell(2, 2).number_format == "mm/yyyy"


def test_empty_table_keeps_one_blank_row(xlsm: Path) -> None:
    """An empty table still spans one (blank) data row, as Excel requires."""
    sheet = openpyxl.load_workbook(xlsm)["Marchés"]
    assert sheet.tables["T_Marches"].ref.endswith("2")


@pytest.mark.parametrize(
    "rows, parameters",
    [
        ({"T_Marches": [{"montant": 1}]}, None),
        ({"T_Inconnue": []}, None),
        (None, {"inconnu": 1}),
    ],
)
def test_unknown_names_are_refused_and_nothing_is_written(
    tmp_path: Path, rows: dict | None, parameters: dict | None
) -> None:
    """An unknown table, column or parameter raises ValueError and leaves no file behind."""
    with pytest.raises(ValueError):
        build_workbook(tmp_path / "x.xlsx", rows, parameters)
    assert list(tmp_path.iterdir()) == []


def test_committed_workbook_matches_a_fresh_build(xlsm: Path) -> None:
    """workbook/clauses.xlsm is what the build produces today (member by member)."""
    with zipfile.ZipFile(COMMITTED) as committed, zipfile.ZipFile(xlsm) as fresh:
        assert committed.namelist() == fresh.namelist()
        for name in fresh.namelist():
            assert committed.read(name) == fresh.read(name), name


def test_run_time_build_reuses_the_committed_vba_project(xlsm: Path, tmp_path: Path) -> None:
    """Without pyOpenVBA at run time, a workbook written by the program carries the same VBA project."""
    runtime = tmp_path / "demo.xlsm"
    build_workbook(runtime)
    with zipfile.ZipFile(runtime) as written, zipfile.ZipFile(xlsm) as fresh:
        assert written.read("xl/vbaProject.bin") == fresh.read("xl/vbaProject.bin")


def test_building_twice_gives_identical_bytes(xlsm: Path, tmp_path: Path) -> None:
    """The build is byte-deterministic: no clock, no random id in the package."""
    again = tmp_path / "clauses.xlsm"
    build_workbook(again, rebuild_vba=True)
    assert again.read_bytes() == xlsm.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["clauses.xlsm"]
