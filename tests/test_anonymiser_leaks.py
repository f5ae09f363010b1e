"""anonymiser leaves no personal value in any part of the copy, or refuses with a sentence.

Each case hides the anonymised person's data somewhere a cell edit does not reach (a note, a
helper formula's cached value, a mailto: link, a pivot cache, the hours' comments) or writes the
sheet XML in a valid but less usual way. The oracle is the same for all: either exit 0 (or 1) and
no removed value in any part of the copy, or exit 2, one French sentence and no file at all.
"""

from __future__ import annotations

import hashlib
import html
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

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
    member = parts["Participants"]
    m[member] = re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", m[member])


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


CASES = {
    "note": (with_note, "note"),
    "formule-meme-ligne": (helper_same_row, None),
    "formule-autre-feuille": (helper_other_sheet, "Marchés"),
    "lien-mailto": (mailto_link, "lien hypertexte"),
    "tableau-croise-source-dynamique": (pivot_dynamic, "tableau croisé dynamique"),
    "prefixe-x": (prefixed, ...),
    "apostrophes": (single_quotes, ...),
    "cellules-sans-r": (without_r, ...),
    "strict-ooxml": (strict, ...),
    "references-de-caracteres": (entities, "note"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_personal_value_survives_or_refused(tmp_path: Path, case: str):
    change, expected = CASES[case]
    source = patched(tmp_path, change)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    copy = tmp_path / "copie.xlsx"
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01"])
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
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01"])
    assert result.exit_code == 0, result.stderr
    assert leaks(copy) == [] and any("hospitalisée" in t for t in part_texts(source).values())
    assert not any("hospitalisée" in t for t in part_texts(copy).values())


def test_a_name_kept_elsewhere_is_not_a_leak(tmp_path: Path):
    """The same text typed in a kept cell (a company's contact) stays, and the copy is written."""
    data = rows()
    data["T_Entreprises"][0]["contact"] = "Mme Leroy"
    source = make_workbook(tmp_path, data, name="classeur.xlsx")
    copy = tmp_path / "copie.xlsx"
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01"])
    assert result.exit_code == 0, result.stderr
    assert [v for _, v in leaks(copy)] == ["Mme Leroy"]
