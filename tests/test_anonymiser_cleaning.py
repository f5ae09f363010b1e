"""anonymiser cleans what copies a person outside her cells: formulas and their cached values, pivot tables.

Each workbook is made in code, then its package is given what Excel writes: formulas with their
cached values (shared « filled down » formulas, array formulas), a pivot table with its cache,
records and relationships. The copy must hold no removed value, keep everything else working
(formulas that do not read the person keep their value; other rows keep their formulas), and open.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bad_workbooks import base_rows
from clausexl.adapters.sheet_xml import sheet_parts
from clausexl.cli import main
from test_anonymiser_leaks import add_cell, leaks, part_texts
from workbooks import make_workbook, repackaged

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rows() -> dict:
    """P001 (anonymised at 2040) and P002, who has no date at all and so is kept."""
    data = base_rows()
    data["T_Participants"].append({"id": "P002", "nom": "Durand", "prenom": "Karim", "sexe": "H",
                                   "niveau_qualification": "3 (CAP, BEP)"})
    return data


def anonymise(source: Path, copy: Path) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01",
                                       "--json"])
    assert "Traceback" not in result.stderr, result.stderr
    return result.exit_code, json.loads(result.stdout) if result.exit_code == 0 else {}, result.stderr


def cell_xml(path: Path, sheet: str, ref: str) -> str:
    """The `<c>` element of `ref` in the sheet's XML ('' when the cell is not written)."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(sheet_parts(path)[sheet]).decode()
    found = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, re.S)
    return found.group(0) if found else ""


def with_formulas(m: dict[str, bytes], parts: dict[str, str]) -> None:
    markets, people = parts["Marchés"], parts["Participants"]
    add_cell(m, markets, 5, b'<c r="A5" t="str"><f>Participants!B2</f><v>Martin</v></c>'
                            b'<c r="B5"><f>YEAR(Participants!E2)</f><v>1990</v></c>'
                            b'<c r="C5" t="str"><f>"Suivi de Julie Martin"</f><v>Suivi de Julie Martin</v></c>'
                            b'<c r="D5"><f>SUM(Heures!C:C)</f><v>441.5</v></c>'
                            b'<c r="E5" t="str"><f>INDEX(T_Participants[Nom],1)</f><v>Martin</v></c>'
                            b'<c r="F5" t="str"><f>Participants!A3</f><v>P002</v></c>'
                            b'<c r="G5"><f>COUNTIF(T_Participants[RSA],"Oui")</f><v>1</v></c>'
                            b'<c r="H5" t="str"><f t="array" ref="H5:H6">Participants!C2:C3</f><v>Julie</v></c>')
    add_cell(m, markets, 6, b'<c r="H6" t="str"><v>Karim</v></c>')
    # A helper column filled down on the people's rows: Excel writes the formula once (shared).
    add_cell(m, people, 2, b'<c r="AF2" t="str"><f t="shared" ref="AF2:AF3" si="0">B2&amp;" "&amp;C2</f>'
                           b'<v>Martin Julie</v></c>')
    add_cell(m, people, 3, b'<c r="AF3" t="str"><f t="shared" si="0"/><v>Durand Karim</v></c>')


def test_formulas_copying_the_person_lose_their_value_or_are_emptied(tmp_path: Path):
    source = repackaged(make_workbook(tmp_path, rows()), tmp_path / "formules.xlsx", with_formulas)
    copy = tmp_path / "copie.xlsx"
    code, report, stderr = anonymise(source, copy)
    assert code == 0, stderr
    assert leaks(copy) == [] and report["formules_a_recalculer"] == 6
    a5, b5, c5, d5 = (cell_xml(copy, "Marchés", ref) for ref in ("A5", "B5", "C5", "D5"))
    assert "<f>Participants!B2</f>" in a5 and "<v>" not in a5  # kept, recomputed by Excel on opening
    assert "<f>YEAR(Participants!E2)</f>" in b5 and "<v>" not in b5  # the exact birth year of a date read
    assert "<f>" not in c5 and "Julie" not in c5  # its own text named her: emptied like a cell
    assert d5 == '<c r="D5"><f>SUM(Heures!C:C)</f><v>441.5</v></c>'  # reads no changed cell: as it was
    assert "<v>" not in cell_xml(copy, "Marchés", "E5")  # a structured reference to a changed column
    assert "<v>P002</v>" in cell_xml(copy, "Marchés", "F5")  # another person's ID, not changed
    assert "<v>1</v>" in cell_xml(copy, "Marchés", "G5")  # RSA is kept: the count keeps its value
    assert "<v>" not in cell_xml(copy, "Marchés", "H6")  # an array formula's other cells go with it
    assert re.search(r'<calcPr [^>]*fullCalcOnLoad="1"', part_texts(copy)["xl/workbook.xml"])
    af2, af3 = cell_xml(copy, "Participants", "AF2"), cell_xml(copy, "Participants", "AF3")
    assert "<f" not in af2 and "Martin" not in af2  # the anonymised row's helper cell is emptied
    assert "<f>B3&amp;\" \"&amp;C3</f>" in af3 and "Durand Karim" in af3  # the next row keeps its formula
    book = openpyxl.load_workbook(copy)
    assert book["Participants"]["AF3"].value == '=B3&" "&C3'


def test_a_workbook_whose_formulas_read_no_person_is_left_alone(tmp_path: Path):
    """No formula reads a changed cell: no value dropped, no recalculation asked."""
    def harmless(m: dict[str, bytes], parts: dict[str, str]) -> None:
        add_cell(m, parts["Marchés"], 5, b'<c r="A5"><f>SUM(Heures!C:C)</f><v>441.5</v></c>')

    source = repackaged(make_workbook(tmp_path, rows()), tmp_path / "formules.xlsx", harmless)
    copy = tmp_path / "copie.xlsx"
    code, report, stderr = anonymise(source, copy)
    assert code == 0 and report["formules_a_recalculer"] == 0, stderr
    assert part_texts(copy)["xl/workbook.xml"] == part_texts(source)["xl/workbook.xml"]
    assert "<v>441.5</v>" in cell_xml(copy, "Marchés", "A5")


# --- pivot tables ------------------------------------------------------------------------------------

def add_pivot(m: dict[str, bytes], parts: dict[str, str], source: str, host: str = "Tableau de bord",
              items: tuple[str, ...] = ("Martin", "Durand")) -> None:
    """A pivot table as Excel writes it: cache definition and records (linked from the workbook), the
    table on the `host` sheet (linked from it) with its result cells, content types."""
    shared = "".join(f'<s v="{v}"/>' for v in items)
    m["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><pivotCacheDefinition xmlns="{MAIN}" xmlns:r="{REL}" r:id="rId1" '
        f'refreshedBy="Claire" recordCount="{len(items)}"><cacheSource type="worksheet"><worksheetSource {source}/>'
        f'</cacheSource><cacheFields count="1"><cacheField name="Nom" numFmtId="0"><sharedItems count="{len(items)}">'
        f'{shared}</sharedItems></cacheField></cacheFields></pivotCacheDefinition>').encode()
    m["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{REL}/pivotCacheRecords" Target="pivotCacheRecords1.xml"/>'
        '</Relationships>').encode()
    records = "".join(f'<r><x v="{i}"/></r>' for i in range(len(items)))
    m["xl/pivotCache/pivotCacheRecords1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><pivotCacheRecords xmlns="{MAIN}" count="{len(items)}">{records}'
        '</pivotCacheRecords>').encode()
    m["xl/pivotTables/pivotTable1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><pivotTableDefinition xmlns="{MAIN}" name="TCD1" cacheId="7" '
        'dataCaption="Valeurs"><location ref="A3:A5" firstHeaderRow="1" firstDataRow="1" firstDataCol="0"/>'
        '</pivotTableDefinition>').encode()
    m["xl/pivotTables/_rels/pivotTable1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{REL}/pivotCacheDefinition" '
        'Target="../pivotCache/pivotCacheDefinition1.xml"/></Relationships>').encode()
    member = parts[host]
    rels = member.replace("worksheets/", "worksheets/_rels/") + ".rels"
    m[rels] = m.get(rels, b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
                          b'.org/package/2006/relationships"></Relationships>').replace(
        b"</Relationships>", f'<Relationship Id="rId42" Type="{REL}/pivotTable" '
                             'Target="../pivotTables/pivotTable1.xml"/></Relationships>'.encode())
    for row, text in zip((3, 4, 5), ("Étiquettes", *items)):
        add_cell(m, member, row, f'<c r="A{row}" t="inlineStr"><is><t>{text}</t></is></c>'.encode())
    m["xl/_rels/workbook.xml.rels"] = m["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rId77" Type="{REL}/pivotCacheDefinition" '
                             'Target="pivotCache/pivotCacheDefinition1.xml"/></Relationships>'.encode())
    book = m["xl/workbook.xml"]
    caches = f'<pivotCaches><pivotCache xmlns:r="{REL}" cacheId="7" r:id="rId77"/></pivotCaches>'.encode()
    at = book.index(b"</definedNames>") + len(b"</definedNames>") if b"</definedNames>" in book else \
        book.index(b"</sheets>") + len(b"</sheets>")
    m["xl/workbook.xml"] = book[:at] + caches + book[at:]
    types = ("/xl/pivotCache/pivotCacheDefinition1.xml", "pivotCacheDefinition"), \
        ("/xl/pivotCache/pivotCacheRecords1.xml", "pivotCacheRecords"), ("/xl/pivotTables/pivotTable1.xml", "pivotTable")
    m["[Content_Types].xml"] = m["[Content_Types].xml"].replace(b"</Types>", "".join(
        f'<Override PartName="{name}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        f'{kind}+xml"/>' for name, kind in types).encode() + b"</Types>")


@pytest.mark.parametrize("source", ['ref="A1:AC3" sheet="Participants"', 'name="T_Participants"',
                                    'name="Personnes"', 'ref="OFFSET(A1,0,0,10,5)"', 'name="T_Participants[#All]"',
                                    'ref="A1:AC3" sheet="PARTICIPANTS"', 'name="t_participants"'])
def test_pivot_table_over_people_is_removed_with_its_cache(tmp_path: Path, source: str):
    """By sheet, table, defined name or a dynamic source: the pivot table and its cache leave the copy,
    its cells are emptied, and the copy opens with nothing pointing to the removed parts."""
    def change(m: dict[str, bytes], parts: dict[str, str]) -> None:
        if "Personnes" in source:
            name = b"<definedName name=\"Personnes\">'Participants'!$A$1:$AC$3</definedName>"
            book = m["xl/workbook.xml"]
            m["xl/workbook.xml"] = book.replace(b"<definedNames>", b"<definedNames>" + name) \
                if b"<definedNames>" in book else book.replace(b"</sheets>", b"</sheets><definedNames>" + name
                                                               + b"</definedNames>")
        add_pivot(m, parts, source)

    original = repackaged(make_workbook(tmp_path, rows()), tmp_path / "tcd.xlsx", change)
    copy = tmp_path / "copie.xlsx"
    code, report, stderr = anonymise(original, copy)
    assert code == 0, stderr
    assert leaks(copy) == [] and report["tableaux_croises_supprimes"] == 1
    texts = part_texts(copy)
    assert not [n for n in texts if "pivot" in n.lower()]
    assert all("pivot" not in texts[n] for n in ("[Content_Types].xml", "xl/workbook.xml",
                                                 "xl/_rels/workbook.xml.rels"))
    assert not any("pivotTable" in t for n, t in texts.items() if n.endswith(".rels"))
    assert "Durand" not in cell_xml(copy, "Tableau de bord", "A5")  # the table's cells are emptied
    openpyxl.load_workbook(copy)


def test_pivot_table_over_other_data_is_kept(tmp_path: Path):
    """A pivot table over Marchés holds no person: copied byte for byte, its cells too."""
    original = repackaged(make_workbook(tmp_path, rows()), tmp_path / "tcd.xlsx",
                          lambda m, p: add_pivot(m, p, 'ref="A1:K2" sheet="Marchés"', items=("M2018-004", "Travaux")))
    copy = tmp_path / "copie.xlsx"
    code, report, stderr = anonymise(original, copy)
    assert code == 0 and report["tableaux_croises_supprimes"] == 0, stderr
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(copy) as b:
        for name in ("xl/pivotCache/pivotCacheDefinition1.xml", "xl/pivotTables/pivotTable1.xml"):
            assert a.read(name) == b.read(name)
    assert "M2018-004" in cell_xml(copy, "Tableau de bord", "A4")


def test_pivot_table_tied_to_a_slicer_is_refused(tmp_path: Path):
    """A slicer points into the pivot table: removing it would break the slicer, so the copy is refused."""
    def change(m: dict[str, bytes], parts: dict[str, str]) -> None:
        add_pivot(m, parts, 'name="T_Participants"')
        m["xl/slicerCaches/slicerCache1.xml"] = b'<slicerCacheDefinition name="Segment_Nom" sourceName="Nom"/>'

    original = repackaged(make_workbook(tmp_path, rows()), tmp_path / "tcd.xlsx", change)
    copy = tmp_path / "copie.xlsx"
    code, _, stderr = anonymise(original, copy)
    assert code == 2 and "segment" in stderr and len(stderr.strip().splitlines()) == 1
    assert not copy.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


def test_recalculation_is_asked_where_the_format_puts_it():
    """`calcPr` follows the sheets and defined names; an existing one gets the attribute."""
    from clausexl.adapters.formula_clean import recalculate_on_load

    assert recalculate_on_load(b'<workbook><sheets/><definedNames></definedNames><calcPr calcId="1" '
                               b'fullCalcOnLoad="0"/></workbook>') == \
        b'<workbook><sheets/><definedNames></definedNames><calcPr calcId="1" fullCalcOnLoad="1"/></workbook>'
    assert recalculate_on_load(b"<x:workbook><x:sheets></x:sheets><x:pivotCaches/></x:workbook>") == \
        b'<x:workbook><x:sheets></x:sheets><x:calcPr fullCalcOnLoad="1"/><x:pivotCaches/></x:workbook>'


def test_a_damaged_shared_formula_keeps_its_other_cells_values(tmp_path: Path):
    """A shared formula whose text cannot be read (a damaged file) and whose first cell is emptied: the other
    cells keep their last value without a formula, rather than pointing to a formula that is gone."""
    def damaged(m: dict[str, bytes], parts: dict[str, str]) -> None:
        people = parts["Participants"]
        add_cell(m, people, 2, b'<c r="AF2" t="str"><f t="shared" ref="AF2:AF3" si="0">"abc&amp;B2</f>'
                               b'<v>Martin</v></c>')
        add_cell(m, people, 3, b'<c r="AF3" t="str"><f t="shared" si="0"/><v>Durand</v></c>')

    source = repackaged(make_workbook(tmp_path, rows()), tmp_path / "abime.xlsx", damaged)
    copy = tmp_path / "copie.xlsx"
    code, _, stderr = anonymise(source, copy)
    assert code == 0, stderr
    af3 = cell_xml(copy, "Participants", "AF3")
    assert "<f" not in af3 and "<v>Durand</v>" in af3 and leaks(copy) == []


def test_a_pivot_table_with_odd_attributes_is_still_removed(tmp_path: Path):
    """A page-field count that is not a number (a damaged file) does not stop the removal."""
    def change(m: dict[str, bytes], parts: dict[str, str]) -> None:
        add_pivot(m, parts, 'name="T_Participants"')
        m["xl/pivotTables/pivotTable1.xml"] = m["xl/pivotTables/pivotTable1.xml"].replace(
            b'firstDataCol="0"', b'firstDataCol="0" rowPageCount="deux"')

    source = repackaged(make_workbook(tmp_path, rows()), tmp_path / "tcd.xlsx", change)
    copy = tmp_path / "copie.xlsx"
    code, report, stderr = anonymise(source, copy)
    assert code == 0 and report["tableaux_croises_supprimes"] == 1, stderr


# --- charts ------------------------------------------------------------------------------------------

def add_chart(m: dict[str, bytes], parts: dict[str, str]) -> None:
    """Two series as Excel writes them, each with the values it drew: names of Participants, amounts of Marchés."""
    def series(formula: str, cache: str) -> str:
        return f"<c:ser><c:cat><c:strRef><c:f>{formula}</c:f>{cache}</c:strRef></c:cat></c:ser>"

    names = '<c:strCache><c:ptCount val="2"/><c:pt idx="0"><c:v>Martin</c:v></c:pt><c:pt idx="1"><c:v>Durand</c:v>' \
            "</c:pt></c:strCache>"
    amounts = '<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>M2018-004</c:v></c:pt></c:strCache>'
    m["xl/charts/chart1.xml"] = (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea>'
        f"<c:barChart>{series('Participants!$B$2:$B$3', names)}{series('Marchés!$A$2', amounts)}</c:barChart>"
        "</c:plotArea></c:chart></c:chartSpace>").encode()


def test_chart_series_over_people_lose_their_drawn_values(tmp_path: Path):
    """A chart's series reading Participants keeps its formula and drops its cache (Excel redraws it); a series
    over Marchés is left as it was."""
    source = repackaged(make_workbook(tmp_path, rows()), tmp_path / "graphique.xlsx", add_chart)
    copy = tmp_path / "copie.xlsx"
    code, report, stderr = anonymise(source, copy)
    assert code == 0 and report["series_de_graphique"] == 1, stderr
    chart = part_texts(copy)["xl/charts/chart1.xml"]
    assert leaks(copy) == [] and "Durand" not in chart and "<c:f>Participants!$B$2:$B$3</c:f></c:strRef>" in chart
    assert "<c:v>M2018-004</c:v>" in chart
