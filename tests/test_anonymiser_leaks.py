"""anonymiser leaves no personal value in any part of the copy, or refuses with a sentence.

Each case hides the anonymised person's data somewhere a cell edit does not reach (a note, a
helper formula's cached value, a mailto: link, a pivot cache, the hours' comments) or writes the
sheet XML in a valid but less usual way. The oracle is the same for all: either exit 0 (or 1) and
no removed value in any part of the copy, or exit 2, one French sentence and no file at all.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bad_workbooks import base_rows
from clausexl.cli import main
from workbooks import make_workbook, repackaged

#: What P001 (follow-up ended in 2019, anonymised at 2040-01-01) holds that must disappear.
PERSON = ("Martin", "Julie", "3 rue des Fourches", "Mme Leroy", "17/05/1990", "1990-05-17")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rows() -> dict:
    data = base_rows()
    data["T_Heures"][0]["commentaire"] = "Julie Martin absente : hospitalisée"
    return data


def part_texts(path: Path) -> dict[str, str]:
    """Every part of a package as unescaped text (entities and character references resolved)."""
    with zipfile.ZipFile(path) as z:
        return {n: html.unescape(z.read(n).decode("utf-8", "replace")) for n in z.namelist()}


def leaks(path: Path) -> list[tuple[str, str]]:
    return [(name, value) for name, text in part_texts(path).items() for value in PERSON
            if value.casefold() in text.casefold()]


def anonymise(source: Path, copy: Path, *options: str) -> Result:
    """`clausexl anonymiser` in this process, at a date when every participant's retention is over."""
    return CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01", *options])


def patched(folder: Path, change: Callable[[dict[str, bytes], dict[str, str]], None]) -> Path:
    """The fixture workbook with its package changed by `change(members, sheet → member)`."""
    return repackaged(make_workbook(folder, rows(), name="classeur.xlsx"), folder / "classeur-modifie.xlsx", change)


def add_cell(members: dict[str, bytes], member: str, row: int, cell: bytes) -> None:
    """Put `cell` at the end of `row` in the sheet XML (creating the row if needed)."""
    xml = members[member]
    match = re.search(rb'<row r="%d"[^>]*>(.*?)</row>' % row, xml, re.S)
    if match:
        members[member] = xml[:match.end(1)] + cell + xml[match.end(1):]
    else:
        members[member] = xml.replace(b"</sheetData>", b'<row r="%d">' % row + cell + b"</row></sheetData>")


def with_note(m, parts):
    m["xl/comments1.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><comments xmlns="{MAIN}"><authors><author>Fac'
                             '</author></authors><commentList><comment ref="B2" authorId="0"><text><r><t>Martin '
                             'Julie, RSA, née le 17/05/1990</t></r></text></comment></commentList></comments>').encode()


def helper_same_row(m, parts):
    add_cell(m, parts["Participants"], 2, b'<c r="AF2" t="str"><f>B2&amp;" "&amp;C2</f><v>Martin Julie</v></c>')


def helper_other_sheet(m, parts):
    add_cell(m, parts["Marchés"], 5, b'<c r="A5" t="str"><f>Participants!B2</f><v>Martin</v></c>')


def mailto_link(m, parts):
    member = parts["Participants"]
    rels = member.replace("worksheets/", "worksheets/_rels/") + ".rels"
    old = m.get(rels, b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
                      b'.org/package/2006/relationships"></Relationships>')
    m[rels] = old.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                          b'officeDocument/2006/relationships/hyperlink" Target="mailto:julie.martin@exemple.fr" '
                          b'TargetMode="External"/></Relationships>')


def pivot_dynamic(m, parts):
    m["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f'<pivotCacheDefinition xmlns="{MAIN}"><cacheSource type="worksheet"><worksheetSource '
        'ref="OFFSET(A1,0,0,10,5)"/></cacheSource></pivotCacheDefinition>').encode()
    m["xl/pivotCache/pivotCacheRecords1.xml"] = (
        f'<pivotCacheRecords xmlns="{MAIN}" count="1"><r><s v="Diallo Camille"/><s v="Martin"/></r>'
        '</pivotCacheRecords>').encode()


def prefixed(m, parts):
    member = parts["Participants"]
    xml = m[member].decode()
    xml = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s>/])", r"<\1x:\2", xml)
    m[member] = xml.replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"').encode()


def single_quotes(m, parts):
    member = parts["Participants"]
    m[member] = re.sub(rb'(\s[\w:]+)="([^"]*)"', rb"\1='\2'", m[member])


def without_r(m, parts):
    """Addresses left out wherever the format allows it (a cell right after the one before, a row after the row
    before): the sheet means the same, read by position."""
    member = parts["Participants"]
    m[member] = _without_addresses(m[member])


def _without_addresses(xml: bytes) -> bytes:
    from clausexl.adapters.sheet_xml import column_number

    last_row = 0

    def row(match: re.Match) -> bytes:
        nonlocal last_row
        number = int(match.group(1))
        last_column, consecutive, last_row = 0, number == last_row + 1, number

        def cell(c: re.Match) -> bytes:
            nonlocal last_column
            column = column_number(c.group(1).decode())
            follows, last_column = column == last_column + 1, column
            return b"<c" if follows else c.group(0)

        head = b"<row" if consecutive else b'<row r="%d"' % number
        return head + re.sub(rb'<c r="([A-Z]+)\d+"', cell, match.group(2))

    return re.sub(rb'<row r="(\d+)"(.*?</row>)', row, xml, flags=re.S)


def strict(m, parts):
    for name in list(m):
        if name.endswith((".xml", ".rels")):
            m[name] = (m[name].replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                       b"http://purl.oclc.org/ooxml/spreadsheetml/main")
                       .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                b"http://purl.oclc.org/ooxml/officeDocument/relationships"))


def entities(m, parts):
    """The name spelled with character references in the shared strings of another sheet's note."""
    m["xl/comments2.xml"] = (f'<comments xmlns="{MAIN}"><commentList><comment ref="A1"><text><t>&#77;artin</t>'
                             '</text></comment></commentList></comments>').encode()


def threaded(m, parts):
    """A threaded comment (Excel 365) on the person's name, its legacy note, and its author in the persons part."""
    member = parts["Participants"]
    rels = member.replace("worksheets/", "worksheets/_rels/") + ".rels"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    m[rels] = m[rels].replace(b"</Relationships>", (
        f'<Relationship Id="rId7" Type="{rel}/comments" Target="../comments9.xml"/>'
        '<Relationship Id="rId8" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" '
        'Target="../threadedComments/threadedComment1.xml"/></Relationships>').encode())
    m["xl/comments9.xml"] = (f'<comments xmlns="{MAIN}"><authors><author>tc={{1}}</author></authors><commentList>'
                             '<comment ref="C2" authorId="0"><text><t>[Threaded comment] Julie rappelle lundi'
                             '</t></text></comment></commentList></comments>').encode()
    m["xl/threadedComments/threadedComment1.xml"] = (
        b'<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        b'<threadedComment ref="C2" dT="2019-01-01T10:00:00" personId="{A}" id="{1}"><text>Julie rappelle lundi</text>'
        b'</threadedComment><threadedComment ref="C2" dT="2019-01-02T10:00:00" personId="{A}" id="{2}" '
        b'parentId="{1}"><text>Vu avec Mme Leroy</text></threadedComment></ThreadedComments>')
    m["xl/persons/person.xml"] = (
        b'<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        b'<person displayName="Julie Martin" id="{A}" userId="julie.martin@exemple.fr" providerId="None"/>'
        b'</personList>')
    m["xl/_rels/workbook.xml.rels"] = m["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2017/10/relationships/person" '
        b'Target="persons/person.xml"/></Relationships>'))


def orphan_part(m, parts):
    """A part no relationship points to (so nothing tells what it is): it cannot be cleaned, only refused."""
    m["xl/inconnu/donnees1.xml"] = b"<donnees><nom>Martin Julie</nom></donnees>"


def title(m, parts):
    m["docProps/core.xml"] = m["docProps/core.xml"].replace(
        b"</cp:coreProperties>", b"<dc:title>Suivi de Julie Martin</dc:title></cp:coreProperties>")


def rich_text_note(m, parts):
    """A note whose runs cut the name where the format changes: `Mar` in bold, `tin` plain."""
    m["xl/comments3.xml"] = (f'<comments xmlns="{MAIN}"><commentList><comment ref="A1"><text><r><rPr><b/></rPr>'
                             '<t>Mar</t></r><r><t>tin, à rappeler</t></r></text></comment></commentList></comments>'
                             ).encode()


def page_header(m, parts):
    member = parts["Participants"]
    m[member] = m[member].replace(b"<pageMargins", b"<headerFooter><oddHeader>&amp;LSuivi de Julie Martin</oddHeader>"
                                  b"<oddFooter>&amp;CPage &amp;P</oddFooter></headerFooter><pageMargins")


def sheet_named_after(m, parts):
    m["xl/workbook.xml"] = m["xl/workbook.xml"].replace(b'name="Territoire"', b'name="Julie Martin"')


CASES = {
    "note-sans-relation": (with_note, "note"),
    "note-en-texte-enrichi": (rich_text_note, "note"),
    "en-tete-de-page": (page_header, None),
    "feuille-au-nom-de-la-personne": (sheet_named_after, "nom de feuille"),
    "partie-inconnue": (orphan_part, "inconnu/donnees1.xml"),
    "commentaire-en-fil": (threaded, None),
    "titre-du-document": (title, None),
    "formule-meme-ligne": (helper_same_row, None),
    "formule-autre-feuille": (helper_other_sheet, None),
    "lien-mailto": (mailto_link, None),
    "tableau-croise-source-dynamique": (pivot_dynamic, "tableau croisé dynamique"),
    "prefixe-x": (prefixed, ...),
    "apostrophes": (single_quotes, ...),
    "cellules-sans-r": (without_r, ...),
    "strict-ooxml": (strict, ...),
    "references-de-caracteres": (entities, "note"),  # comments2.xml linked from no sheet
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_personal_value_survives_or_refused(tmp_path: Path, case: str):
    change, expected = CASES[case]
    source = patched(tmp_path, change)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    copy = tmp_path / "copie.xlsx"
    result = anonymise(source, copy)
    assert "Traceback" not in result.stderr and "inattendue" not in result.stderr, result.stderr
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Erreur : ")
        assert not copy.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]
        assert expected is not None, result.stderr  # a case the copy can clean must not be refused
        if isinstance(expected, str):
            assert expected in result.stderr, result.stderr
    else:
        assert result.exit_code in (0, 1), result.stderr
        assert expected in (None, ...), f"written although {expected!r} holds personal data"
        assert leaks(copy) == []


def test_hours_comments_of_an_anonymised_person_are_emptied(tmp_path: Path):
    """T_Heures's Commentaire of the person's contracts goes, like Suivi's and Candidatures'."""
    source = make_workbook(tmp_path, rows(), name="classeur.xlsx")
    copy = tmp_path / "copie.xlsx"
    result = anonymise(source, copy)
    assert result.exit_code == 0, result.stderr
    assert leaks(copy) == [] and any("hospitalisée" in t for t in part_texts(source).values())
    assert not any("hospitalisée" in t for t in part_texts(copy).values())


def test_a_name_kept_elsewhere_is_not_a_leak(tmp_path: Path):
    """The same text typed in a kept cell (a company's contact) stays, and the copy is written."""
    data = rows()
    data["T_Entreprises"][0]["contact"] = "Mme Leroy"
    source = make_workbook(tmp_path, data, name="classeur.xlsx")
    copy = tmp_path / "copie.xlsx"
    result = anonymise(source, copy)
    assert result.exit_code == 0, result.stderr
    assert [v for _, v in leaks(copy)] == ["Mme Leroy"]


def with_notes_and_links(folder: Path) -> Path:
    """The fixture saved by openpyxl as Excel saves notes and links: notes (and their VML shapes) on the
    person's name, on another sheet naming her, and on a kept cell; mailto: links on her row and elsewhere."""
    import openpyxl
    from openpyxl.comments import Comment

    source = make_workbook(folder, rows(), name="base.xlsx")
    book = openpyxl.load_workbook(source)
    people, markets = book["Participants"], book["Marchés"]
    people["B2"].comment = Comment("Martin Julie, RSA, née le 17/05/1990", "Claire")
    people["A1"].comment = Comment("Colonne des identifiants", "Claire")
    markets["A2"].comment = Comment("Candidate pressentie : Julie MARTIN", "Claire")
    markets["B2"].comment = Comment("Marché suivi de près", "Claire")
    people["AD2"] = "courriel"
    people["AD2"].hyperlink = "mailto:julie.martin@exemple.fr"
    markets["AA2"] = "écrire"
    markets["AA2"].hyperlink = "mailto:j.martin@exemple.fr?subject=Julie"
    markets["AB2"] = "site"
    markets["AB2"].hyperlink = "https://exemple.fr/marches"
    out = folder / "classeur-notes.xlsx"
    book.save(out)
    return out


def test_notes_and_links_holding_personal_values_are_removed(tmp_path: Path):
    """Each note or link on the person's row or naming her goes (its shape and relationship too); the others stay,
    and the copy opens (openpyxl reads it back) with its other notes and links."""
    import openpyxl

    source = with_notes_and_links(tmp_path)
    copy = tmp_path / "copie.xlsx"
    result = anonymise(source, copy, "--json")
    assert result.exit_code == 0, result.stderr
    assert leaks(copy) == []
    book = openpyxl.load_workbook(copy)
    people, markets = book["Participants"], book["Marchés"]
    assert people["B2"].comment is None and markets["A2"].comment is None
    assert people["A1"].comment.text.startswith("Colonne") and markets["B2"].comment.text == "Marché suivi de près"
    assert people["AD2"].hyperlink is None and markets["AA2"].hyperlink is None
    assert markets["AB2"].hyperlink.target == "https://exemple.fr/marches"
    texts = part_texts(copy)
    vml = [t for n, t in texts.items() if n.endswith(".vml")]
    assert sum(len(re.findall(r"<\w+:Row>", t)) for t in vml) == 2  # the two notes left, each with its shape
    report = json.loads(result.stdout)
    assert report["notes_supprimees"] == 2 and report["liens_supprimes"] == 2


def test_sheet_without_addresses_is_edited_by_position(tmp_path: Path):
    """A sheet whose cells leave out `r=` is anonymised like the same sheet with them: same cells in the copy."""
    import python_calamine

    def read(path: Path) -> list:
        return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Participants").to_python()

    plain = make_workbook(tmp_path, rows(), name="classeur.xlsx")
    bare = patched(tmp_path, without_r)
    assert b'<c s="' in zipfile.ZipFile(bare).read("xl/worksheets/sheet5.xml")  # addresses really left out
    copies = []
    for name, source in (("a.xlsx", plain), ("b.xlsx", bare)):
        copies.append(tmp_path / name)
        result = anonymise(source, copies[-1])
        assert result.exit_code == 0, result.stderr
    assert read(copies[0]) == read(copies[1]) and read(copies[0])[1][1] == "Anonyme"


# --- binary parts: the VBA project, embedded documents ----------------------------------------------

def with_vba_module(folder: Path, text: str) -> Path:
    """The fixture as an .xlsm whose VBA project has one more module holding `text` (a comment)."""
    from pyopenvba import ExcelFile, VBAModuleKind

    path = make_workbook(folder, rows(), name="classeur.xlsm")
    with ExcelFile(path) as excel:
        excel.vba_project().add_module("Suivi", f"Attribute VB_Name = \"Suivi\"\r\n' {text}\r\nSub Rien()\r\nEnd Sub\r\n",
                                     kind=VBAModuleKind.standard)
        excel.save(path)
    return path


def test_a_name_in_the_vba_code_is_found_and_refused(tmp_path: Path):
    """The module sources are compressed inside vbaProject.bin: they are read, and a removed value stops the copy."""
    source = with_vba_module(tmp_path, "Appeler Julie MARTIN le lundi")
    copy = tmp_path / "copie.xlsm"
    result = anonymise(source, copy)
    assert result.exit_code == 2 and "projet VBA" in result.stderr and "Suivi" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not copy.exists()


def test_vba_code_without_personal_values_passes(tmp_path: Path):
    source = with_vba_module(tmp_path, "Relances du lundi")
    copy = tmp_path / "copie.xlsm"
    result = anonymise(source, copy)
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(copy) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")


def test_a_vba_project_that_cannot_be_read_through_is_refused(tmp_path: Path):
    """Nothing can be proven about a damaged project: the copy is refused with a sentence, not written."""
    source = make_workbook(tmp_path, rows(), name="classeur.xlsm")
    broken = repackaged(source, tmp_path / "abime.xlsm", lambda m, p: m.update(
        {"xl/vbaProject.bin": m["xl/vbaProject.bin"][:1536] + b"\x00" * 512}))
    copy = tmp_path / "copie.xlsm"
    result = anonymise(broken, copy)
    assert result.exit_code == 2 and "ne peut pas être vérifiée" in result.stderr and "projet VBA" in result.stderr
    assert not copy.exists()


def test_a_name_in_an_embedded_document_is_found(tmp_path: Path):
    """An embedded Word document (a zip inside the zip) is read part by part."""
    import io

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as doc:
        doc.writestr("word/document.xml", f'<w:document xmlns:w="{MAIN}"><w:t>Entretien avec Julie Martin</w:t>'
                                          '</w:document>')
    source = patched(tmp_path, lambda m, p: m.update({"xl/embeddings/Document1.docx": inner.getvalue()}))
    copy = tmp_path / "copie.xlsx"
    result = anonymise(source, copy)
    assert result.exit_code == 2 and "objet incorporé" in result.stderr and "Document1.docx" in result.stderr


# Alike test_a_name_kept_elsewhere_is_not_a_leak in shape only: each types one cell, then says what the copy keeps.
def test_clausexl_own_vba_code_is_not_a_leak(tmp_path: Path):
    """A participant called « Long » is not found in `Dim n As Long` of the xlwings module: only lines that are
    not clausexl's own code are searched."""
    data = rows()
    data["T_Participants"][0]["nom"] = "Long"
    source = make_workbook(tmp_path, data, name="classeur.xlsm")
    copy = tmp_path / "copie.xlsm"
    result = anonymise(source, copy)
    assert result.exit_code == 0, result.stderr


def test_a_reference_typed_in_another_case_is_the_same_person(tmp_path: Path):
    """A contract whose Participant is typed ` p001 ` is P001's (valider reads it so): the comments of its hours
    are emptied with the rest of P001's data."""
    data = rows()
    data["T_Contrats"][0]["participant"] = " p001 "
    data["T_Heures"][1]["commentaire"] = "hospitalisée en mai"
    source = make_workbook(tmp_path, data, name="classeur.xlsx")
    copy = tmp_path / "copie.xlsx"
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01"])
    assert result.exit_code == 0, result.stderr
    assert not any("hospitalisée" in t for t in part_texts(copy).values()) and leaks(copy) == []


def test_ids_differing_only_by_case_are_a_duplicate_not_anonymised(tmp_path: Path):
    """`P001` and ` p001 ` are one ID for valider (cle-en-double): neither row is anonymised until it is fixed."""
    data = rows()
    other = dict(data["T_Participants"][0], id=" p001 ", nom="Durand", prenom="Karim")
    data["T_Participants"].append(other)
    source = make_workbook(tmp_path, data, name="classeur.xlsx")
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(tmp_path / "copie.xlsx"),
                                       "--au", "2040-01-01", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["ids"] == [], result.stderr


def test_words_glued_in_camel_case_are_found():
    """`mailto:JulieMartin@…` holds Julie and Martin; `Martine` is not Martin, nor `Marché` Marc."""
    from clausexl.adapters.package_scan import Finder, words

    assert words("mailto:JulieMartin@exemple.fr") == ("mailto", "julie", "martin", "exemple", "fr")
    assert words("1990-05-17T00:00:00") == ("1990", "05", "17", "t", "00", "00", "00")
    finder = Finder(["Martin", "Marc"], [])
    assert finder.find("mailto:JulieMartin@exemple.fr") == "Martin"
    assert finder.find("Martine et le Marché") is None and finder.find("MARTIN") == "Martin"
