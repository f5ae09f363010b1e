"""The funders' workbook (docs/bilan.md), read back: values, charts, page setup, no personal data."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from bilan_fixture import BIRTH_DATES, EXTRACTION, PERSONAL_TEXT, territory
from clausexl.core.values import HOURS
from clausexl.verbs.bilan import bilan, synthese_rows, write_funders


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    folder = tmp_path_factory.mktemp("financeurs")
    result = bilan(territory(folder), 2018, EXTRACTION)
    return result, write_funders(result, folder / "Bilan 2018.xlsx")


@pytest.fixture(scope="module")
def book(produced):
    return openpyxl.load_workbook(produced[1])


def _cells(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def _find_row(ws, label):
    for row in ws.iter_rows():
        if row[0].value == label:
            return [c.value for c in row]
    raise AssertionError(label)


def test_sheets(book):
    """Key figures first, then the theme sheets, then the parameters, then the hidden data sheet."""
    assert book.sheetnames == ["Chiffres clés", "Heures", "Participants", "Marchés", "Entreprises", "Sorties",
                               "Paramètres", "Données"]
    assert [ws.sheet_state for ws in book.worksheets] == ["visible"] * 7 + ["hidden"]


def test_data_sheet_for_consolider(produced, book):
    """The hidden `Données` sheet follows funders_layout: structure and territory from the parameters,
    every figure of `bilan --json` unrounded, a share over nothing empty."""
    from clausexl.core import funders_layout as layout

    rows = [[c.value for c in r] for r in book["Données"].iter_rows()]
    data = layout.parse_data_rows(rows, "Bilan 2018.xlsx")
    assert (data.producer, data.year, data.structure, data.territory, data.extraction) == (
        layout.PRODUCER_BILAN, 2018, "MEF du Cotentin", "Cotentin", "2019-03-15")
    values = {f.key: f.value for f in data.figures}
    assert {f.key for f in layout.figures_of(produced[0].to_dict())} == set(values)
    assert values["etp"] == 925 / 1600  # 0.578125, not 0.58
    assert values["part_marches_travaux"] == 1 / 3
    assert values["npnru.part_residents_qpv"] == 400 / 605
    assert values["annee_precedente.participants"] == 2
    # no NPNRU market in 2017: the QPV residents' share of NPNRU hours is a share over nothing
    assert values["annee_precedente.npnru.part_residents_qpv"] is None
    # 2017: one offer (P5 withdrew), no hire; a ratio under tableaux.annee_precedente stays a ratio
    assert values["tableaux.annee_precedente.embauches_par_offre"] == 0
    assert next(f for f in data.figures if f.key == "tableaux.annee_precedente.embauches_par_offre").type == "ratio"


def test_key_sentences(book):
    """The first sheet reads like the seed's « chiffres clés »."""
    texts = [str(c.value).replace("\u00a0", " ") for c in _cells(book["Chiffres clés"])]
    assert texts[0] == "Bilan des clauses sociales 2018"
    assert "4 bénéficiaires ont réalisé 925 heures d'insertion, soit 0,6 ETP (ETP = heures ÷ 1 600)." in texts
    assert any(t.startswith("3 marchés suivis dont 33,3 % de travaux, pour 2 donneurs d'ordre") for t in texts)
    assert any("Données extraites le 15 mars 2019" in t for t in texts)


@pytest.mark.parametrize(("label", "n", "n_1"), [
    ("Bénéficiaires", 4, 2),
    ("Heures d'insertion", 925, 280),
    ("Part des moins de 26 ans", 0.5, 0.5),
    ("Entreprises engagées", 4, 2),
])
def test_key_figures_beside_previous_year(book, label, n, n_1):
    """Each key figure is written as a number with 2017 beside it."""
    row = _find_row(book["Chiffres clés"], label)
    assert row[1:3] == [n, n_1]


def test_tables_and_formats(book):
    """Tables hold the figures with French number formats and a total row."""
    ws = book["Heures"]
    april = _find_row(ws, "avril 2018")
    assert april[1:4] == [150, 35, 185]
    total = _find_row(ws, "Total")
    assert total[3] == 925
    cell = next(c for c in _cells(ws) if c.value == 185)
    assert cell.number_format == HOURS.excel == "#,##0.0#"
    ages = _find_row(book["Participants"], "26 à 49 ans")
    assert ages[1:3] == [1, 0.25]
    locales = _find_row(book["Entreprises"], "Locales")
    assert locales[1] == 2


def test_native_charts_present(produced):
    """Native charts over the tables: hours by month, sex, age, criteria, markets, companies, sorties."""
    with zipfile.ZipFile(produced[1]) as z:
        charts = [z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 9
    kinds = sorted(re.findall(r"<c:(\w+Chart)>", c)[0] for c in charts)
    assert kinds.count("pieChart") == 3 and kinds.count("barChart") == 6
    titles = {t for c in charts for t in re.findall(r"<a:t>([^<]+)</a:t>", c)}
    assert {"Heures par mois", "Participants par âge", "Sorties par échéance", "Entreprises locales"} <= titles
    assert all("<c:f>" in c for c in charts)


def test_printable_on_a4_width(book):
    """Every sheet prints on A4, fitted to the width of the page."""
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # fitToWidth 1 is the default and may be left out of the file
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0


def test_no_table_is_split_across_printed_pages(produced, book):
    """On the theme sheets, each table (title, header, rows, note, chart) prints on one page: the manual page
    breaks fall only before a table's title, and what lies between two breaks fits an A4 page."""
    from clausexl.adapters.funders_workbook import CHART_ROWS, PRINTABLE_HEIGHT, SAFE_SHARE, fitted_scale

    titles = {s.title for s in produced[0].summary.sections}
    breaks_seen = 0
    for name in ("Heures", "Participants", "Marchés", "Entreprises", "Sorties"):
        ws = book[name]
        starts = {r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in titles}
        breaks = [b.id for b in ws.row_breaks.brk]  # the page ends after (1-based) row `id`
        assert all(b + 1 in starts for b in breaks), (name, breaks, sorted(starts))
        breaks_seen += len(breaks)
        page = PRINTABLE_HEIGHT * SAFE_SHARE / (fitted_scale(ws.max_column) / 100)
        mine = [sec for sec in produced[0].summary.sections if sec.sheet == name]
        last = ws.max_row + (CHART_ROWS + 1 if mine[-1].chart else 0)  # a last chart runs below the last row
        for first, end in zip([0, *breaks], [*breaks, last]):
            height = sum(ws.row_dimensions[r].height or 15 for r in range(first + 1, end + 1))
            assert height <= page or len(starts & set(range(first + 1, end + 1))) == 1, (name, first, height)
    assert breaks_seen  # the fixture's Participants sheet is longer than a page


def test_parameters_and_choices(book):
    """The ETP divisor, the extraction date and the choices made are in the workbook."""
    ws = book["Paramètres"]
    assert _find_row(ws, "Heures par ETP")[1] == 1600
    assert _find_row(ws, "Date d'extraction")[1] == dt.datetime(2019, 3, 15)
    assert any(str(c.value).startswith("ETP = heures ÷ 1\u00a0600") for c in _cells(ws))


def test_no_personal_data(produced, book):
    """No participant's name, first name, address or birth date appears anywhere in the file."""
    with zipfile.ZipFile(produced[1]) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for personal in PERSONAL_TEXT:
        assert personal not in text
    births = {dt.datetime(b.year, b.month, b.day) for b in BIRTH_DATES}
    serials = {(b - dt.date(1899, 12, 30)).days for b in BIRTH_DATES}
    for ws in book.worksheets:
        for c in _cells(ws):
            assert c.value not in births
            assert not (isinstance(c.value, (int, float)) and c.value in serials)


def test_formula_like_text_stays_text(tmp_path):
    """A parameter typed like a formula is written as text in the funders' workbook."""
    from bilan_fixture import ROWS
    from workbooks import make_workbook

    path = make_workbook(tmp_path, ROWS, {"structure": "=1+1"})
    out = write_funders(bilan(path, 2018, EXTRACTION), tmp_path / "b.xlsx")
    cell = _find_row(openpyxl.load_workbook(out)["Paramètres"], "Structure")
    assert cell[1] == "=1+1"
    with zipfile.ZipFile(out) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet7.xml").decode()


def test_refuses_to_overwrite(produced):
    """An existing file is never replaced without force."""
    from clausexl.core.errors import OutputExists

    with pytest.raises(OutputExists):
        write_funders(produced[0], produced[1])


def test_synthese_rows_for_excel(produced):
    """The Synthèse sheet's rows: same width, the key figures and the tables, no personal data."""
    rows = synthese_rows(produced[0])
    assert len({len(r) for r in rows}) == 1
    assert rows[0][0] == "Bilan des clauses sociales 2018"
    assert rows[[r[0] for r in rows].index("Bénéficiaires")][:3] == ["Bénéficiaires", 4, 2]
    flat = " ".join(str(v) for r in rows for v in r if v is not None)
    assert not any(p in flat for p in PERSONAL_TEXT)
