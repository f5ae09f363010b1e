"""Personal data: anonymiser keeps every figure and the macros, extraire-personne gives everything held.

Funders' outputs (bilan, heures) are checked to hold no name, address, referent or birth date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
from collections.abc import Set
from pathlib import Path
from xml.sax.saxutils import unescape

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from bad_workbooks import base_rows
from clausexl.adapters.workbook_build import build_workbook
from clausexl.adapters.workbook_reader import read_classeur
from clausexl.cli import main
from clausexl.core import rgpd, schema
from clausexl.core.contexts.offres import sendable
from clausexl.core.exclusion import screen
from clausexl.core.rgpd import anonymous_birth_dates
from clausexl.demo_territory import decp_sample, demo_parameters, demo_rows
from clausexl.demo_territory.dates import REF_DATE
from clausexl.verbs.bilan import bilan
from clausexl.verbs.heures import heures
from workbooks import d, make_workbook

AU = dt.date(2026, 1, 1)
PERSONAL = (*rgpd.RENAMED, *rgpd.EMPTIED["T_Participants"])  # from the schema's marks


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo territory as a real .xlsm (VBA project and ribbon)."""
    path = tmp_path_factory.mktemp("demo") / "clauses.xlsm"
    build_workbook(path, demo_rows(), demo_parameters())
    return path


@pytest.fixture(scope="module")
def anonymised(demo: Path) -> Path:
    copy = demo.with_name("copie.xlsm")
    result = CliRunner().invoke(main, ["anonymiser", str(demo), "--sortie", str(copy), "--au", AU.isoformat()])
    assert result.exit_code == 0, result.stderr
    return copy


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def sheet_of(path: Path, sheet: str) -> str:
    from clausexl.adapters.sheet_xml import sheet_parts

    return sheet_parts(path)[sheet]


def test_indicators_identical_after_anonymising(demo: Path, anonymised: Path):
    """The year's indicators (2018 and 2019, with N-1) are identical before and after anonymiser."""
    for year in (2018, 2019):
        before = bilan(demo, year, AU).to_dict()
        after = bilan(anonymised, year, AU).to_dict()
        assert after == before


def test_hours_identical_after_anonymising(demo: Path, anonymised: Path):
    """Hours per market, company, participant and month are identical before and after."""
    assert heures(anonymised, AU).to_dict() == heures(demo, AU).to_dict()


def test_anonymised_rows_hold_no_personal_data(demo: Path, anonymised: Path):
    """Ended follow-ups lose name, address, referent, exact birth date; others keep them; IDs stay."""
    before = read_classeur(demo)["T_Participants"].set_index("id")
    after = read_classeur(anonymised)["T_Participants"].set_index("id")
    assert list(after.index) == list(before.index)
    gone = after["nom"] == "Anonyme"
    assert 0 < gone.sum() < len(after)
    assert (after.loc[gone, "prenom"] == "Anonyme").all()
    assert after.loc[gone, "adresse"].isna().all() and after.loc[gone, "referent"].isna().all()
    births = after.loc[gone, "date_naissance"]
    assert ((births.dt.month == 1) & (births.dt.day == 1) | (births.dt.month == 12) & (births.dt.day == 31)).all()
    assert (births.dt.year == before.loc[gone, "date_naissance"].dt.year).all()
    kept = ~gone
    pd.testing.assert_frame_equal(after[kept], before[kept])
    criteria = ["rsa", "rqth", "aah", "deld", "qpv", "niveau_qualification", "sexe"]
    pd.testing.assert_frame_equal(after[criteria], before[criteria])


def test_no_trace_of_anonymised_names_in_the_package(demo: Path, anonymised: Path):
    """No part of the copy (shared strings included) holds an anonymised person's name or address.

    A text still typed elsewhere (a company contact with the same name) rightly stays.
    """
    before = read_classeur(demo)["T_Participants"].set_index("id")
    after = read_classeur(anonymised)["T_Participants"].set_index("id")
    gone = before[after["nom"] == "Anonyme"]
    copy = read_classeur(anonymised)
    still_used = {v for frame in copy.tables.values() for col in frame.columns if frame[col].dtype == object
                  for v in frame[col].dropna() if isinstance(v, str)}  # e.g. a company's contact of the same name
    texts = package_strings(anonymised)
    removed = set(gone[list(PERSONAL)].stack().dropna()) - still_used
    assert removed and not removed & texts


def package_strings(path: Path) -> set[str]:
    """Every text item of a package (shared strings, inline strings), unescaped."""
    found: set[str] = set()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode("utf-8", "replace")
                found.update(unescape(t) for t in re.findall(r"<t(?:\s[^>]*)?>([^<]*)</t>", xml))
    return found


def test_copy_keeps_vba_ribbon_tables_and_lists(demo: Path, anonymised: Path):
    """Every part but the edited sheets and shared strings is byte-identical: VBA, ribbon, tables, lists."""
    src, out = members(demo), members(anonymised)
    assert list(out) == list(src)
    edited = {sheet_of(demo, schema.table(n).sheet) for n in rgpd.EMPTIED} | {"xl/sharedStrings.xml"}
    for name in src:
        if name not in edited:
            assert out[name] == src[name], name
    assert out["xl/vbaProject.bin"] == src["xl/vbaProject.bin"]
    assert b"ui/extensibility" in out["_rels/.rels"] and "customUI/customUI14.xml" in out
    assert out["xl/workbook.xml"].count(b"<definedName ") > 10
    for name in edited - {"xl/sharedStrings.xml"}:  # data validations, table parts, frozen panes
        for marker in (b"<dataValidations", b"<tableParts", b"<pane "):
            assert src[name].count(marker) == out[name].count(marker), (name, marker)


def test_source_is_never_modified_and_copy_not_overwritten(demo: Path, anonymised: Path):
    """The workbook given is only read; an existing copy is replaced only with --force."""
    digest = hashlib.sha256(demo.read_bytes()).hexdigest()
    copy_digest = hashlib.sha256(anonymised.read_bytes()).hexdigest()
    runner = CliRunner()
    refused = runner.invoke(main, ["anonymiser", str(demo), "--sortie", str(anonymised)])
    assert refused.exit_code == 2 and "existe déjà" in refused.stderr
    assert hashlib.sha256(anonymised.read_bytes()).hexdigest() == copy_digest
    same = runner.invoke(main, ["anonymiser", str(demo), "--sortie", str(demo), "--force"])
    assert same.exit_code == 2
    other = runner.invoke(main, ["anonymiser", str(demo), "--sortie", str(demo.with_name("x.xlsx"))])
    assert other.exit_code == 2 and "extension" in other.stderr
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("birth, first_start, expected", [
    ("1990-05-17", "2018-04-01", "1990-12-31"),  # birthday not yet reached: 27, as on 31 December
    ("1990-03-01", "2018-04-01", "1990-01-01"),  # birthday reached: 28, as on 1 January
    ("1990-04-01", "2018-04-01", "1990-01-01"),  # birthday that very day
    ("1992-02-29", "2018-02-28", "1992-12-31"),  # 29 February reached on 1 March only
    ("1992-02-29", "2018-03-01", "1992-01-01"),
    ("1985-07-14", None, "1985-01-01"),           # no contract: 1 January
])
def test_birth_date_keeps_age_at_first_contract(birth, first_start, expected):
    """The new birth date is 1 January or 31 December, whichever keeps the age at the first contract."""
    start = np.array([np.datetime64(first_start) if first_start else np.datetime64("NaT")], dtype="datetime64[s]")
    result = anonymous_birth_dates(pd.Series([pd.Timestamp(birth)]), start)
    assert str(result[0]) == expected


@pytest.mark.parametrize("date_fin, au, anonymised", [
    (d("2018-06-30"), "2024-07-01", True),    # end of follow-up 30/06/2019, + 5 years = 30/06/2024
    (d("2018-06-30"), "2024-06-30", False),   # exactly 5 years: not yet
    (None, "2040-01-01", False),              # a running contract: follow-up not ended
])
def test_retention_period(tmp_path: Path, date_fin, au, anonymised):
    """A participant is anonymised once follow-up months + retention years have passed since the last contract."""
    rows = base_rows()
    rows["T_Contrats"][0]["date_fin"] = date_fin
    source = make_workbook(tmp_path, rows)
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(tmp_path / "copie.xlsx"),
                                       "--au", au, "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ids"] == (["P001"] if anonymised else [])


def test_comments_of_follow_up_and_proposals_emptied(tmp_path: Path):
    """The person's Suivi and Candidatures comments are emptied; other people's stay."""
    rows = base_rows()
    rows["T_Participants"].append(dict(rows["T_Participants"][0], id="P002", nom="Durand"))
    rows["T_Contrats"].append(dict(rows["T_Contrats"][0], id="C002", participant="P002", date_fin=None))
    rows["T_Suivi"] = [
        {"participant": "P001", "echeance": "Fin de contrat", "date": d("2018-06-30"), "situation": "CDI",
         "commentaire": "Julie a signé chez Bâtiments du Cotentin"},
        {"participant": "P002", "echeance": "Fin de contrat", "date": d("2018-06-30"), "situation": "CDI",
         "commentaire": "Ali en CDI"},
    ]
    source = make_workbook(tmp_path, rows)
    copy = tmp_path / "copie.xlsx"
    assert CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2030-01-01"]).exit_code == 0
    suivi = read_classeur(copy)["T_Suivi"]
    assert list(suivi["commentaire"]) == [None, "Ali en CDI"]
    assert b"Julie a sign" not in b"".join(members(copy).values())


def test_extraire_personne_gives_every_row(tmp_path: Path):
    """Right of access: the person's row, contracts, hours, follow-ups, proposals, as JSON and .xlsx."""
    rows = base_rows()
    rows["T_Suivi"] = [{"participant": "P001", "echeance": "6 mois", "date": d("2018-12-31"),
                        "situation": "CDI", "commentaire": "=suivi par téléphone"}]
    source = make_workbook(tmp_path, rows)
    runner = CliRunner()
    result = runner.invoke(main, ["extraire-personne", str(source), "--participant", "P001", "--json",
                                  "--sortie", str(tmp_path / "P001.xlsx")])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)["feuilles"]
    assert data["Participants"][0]["Nom"] == "Martin" and data["Participants"][0]["Date de naissance"] == "1990-05-17"
    assert [len(data[s]) for s in ("Participants", "Contrats", "Heures", "Suivi", "Candidatures")] == [1, 1, 3, 1, 0]
    assert data["Heures"][1]["Heures travaillées"] == 151.5
    book = read_xlsx_strings(tmp_path / "P001.xlsx")
    assert "Martin" in book and "=suivi par téléphone" in book
    with zipfile.ZipFile(tmp_path / "P001.xlsx") as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    unknown = runner.invoke(main, ["extraire-personne", str(source), "--participant", "P999"])
    assert unknown.exit_code == 2 and "P999" in unknown.stderr


def json_strings(data) -> set[str]:
    """Every string (keys and values) of a JSON document."""
    if isinstance(data, dict):
        return set(map(str, data)) | set().union(*(json_strings(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(json_strings(v) for v in data))
    return {data} if isinstance(data, str) else set()


def read_xlsx_strings(path: Path) -> str:
    """All text of an .xlsx (shared and inline strings), to look for personal data."""
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def test_funders_outputs_hold_no_personal_data(demo: Path, tmp_path: Path):
    """bilan and heures workbooks and JSON hold no participant name, first name, address, referent or birth date."""
    people = read_classeur(demo)["T_Participants"]
    runner = CliRunner()
    strings: set[str] = set()
    outputs = []
    for args, out in ((["bilan", str(demo), "--annee", "2018", "--json"], "bilan.xlsx"),
                      (["heures", str(demo), "--au", "2019-12-31", "--json"], "heures.xlsx")):
        result = runner.invoke(main, [*args, "--sortie", str(tmp_path / out)])
        assert result.exit_code in (0, 1), result.stderr
        strings |= json_strings(json.loads(result.stdout)) | package_strings(tmp_path / out)
        outputs.append(result.stdout)
        outputs.append(read_xlsx_strings(tmp_path / out))
    text = "\n".join(outputs)
    for key in PERSONAL:
        assert not set(people[key].dropna()) & strings, key
    full_names = set(people["prenom"] + " " + people["nom"]) | set(people["nom"] + " " + people["prenom"])
    assert not any(name in text for name in full_names)
    for birth in people["date_naissance"].dropna():
        assert birth.strftime("%Y-%m-%d") not in text and birth.strftime("%d/%m/%Y") not in text


# --- every output that leaves the structure: funders, network, partners ---------------------------

FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def birth_texts(birth: pd.Timestamp) -> set[str]:
    """A birth date as someone might find it in a file: ISO, French, compact, in words."""
    return {birth.strftime(f) for f in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y%m%d",
                                        "%Y/%m/%d")} | {f"{birth.day} {FRENCH_MONTHS[birth.month - 1]} {birth.year}"}


def package_text(path: Path) -> str:
    """Every XML part of a package (all sheets, hidden ones too, shared strings, document properties)."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(unescape(z.read(n).decode("utf-8", "replace")) for n in z.namelist()
                         if n.endswith((".xml", ".rels")))


def workbook_values(path: Path) -> list:
    """Every cell value of every sheet (hidden ones too) and every document property."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    props = book.properties
    return values + [getattr(props, k) for k in ("title", "subject", "creator", "keywords", "description",
                                                 "lastModifiedBy", "category") if getattr(props, k)]


def json_values(data) -> list:
    if isinstance(data, dict):
        return [*data, *(v for x in data.values() for v in json_values(x))]
    if isinstance(data, list):
        return [v for x in data for v in json_values(x)]
    return [data]


class Outputs:
    """Everything a set of output files and JSON documents says: text, string values, numbers."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.strings: set[str] = set()
        self.numbers: set[float] = set()
        self.dates: set[dt.date] = set()

    def add_values(self, values) -> None:
        for v in values:
            if isinstance(v, str):
                self.strings.add(v.strip())
            elif isinstance(v, (dt.date, dt.datetime)):
                self.dates.add(dt.date(v.year, v.month, v.day))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                self.numbers.add(float(v))

    def add_workbook(self, path: Path) -> None:
        self.text.append(package_text(path))
        self.add_values(workbook_values(path))

    def add_json(self, stdout: str) -> None:
        self.text.append(stdout)
        self.add_values(json_values(json.loads(stdout)))


def typed_elsewhere(path: Path) -> set[str]:
    """Texts of the tables holding no personal data (a buyer's address, a company contact, a referent).

    The same text typed there (the fictitious territory reuses streets and names) is that other
    thing, not the participant: it may rightly appear in an output.
    """
    from clausexl.core import schema

    c = read_classeur(path)
    return {str(v).strip() for t in schema.TABLES if not t.personal and t.name in c.tables
            for col in c[t.name].columns if c[t.name][col].dtype == object for v in c[t.name][col].dropna()}


def assert_no_participant(people: pd.DataFrame, found: Outputs, elsewhere: Set[str] = frozenset()) -> None:
    """No Nom, Prénom, Adresse, full name or birth date (text, date cell, Excel serial) of any participant."""
    text = "\n".join(found.text)
    for key in ("nom", "prenom", "adresse"):
        assert not set(people[key].dropna().str.strip()) & found.strings - elsewhere, key
    for address in set(people["adresse"].dropna()) - elsewhere:
        assert address not in text, address
    full_names = set(people["prenom"] + " " + people["nom"]) | set(people["nom"] + " " + people["prenom"])
    assert not [n for n in full_names - elsewhere if n in text]
    births = people["date_naissance"].dropna()
    assert not [b for b in births if birth_texts(b) & {t for t in birth_texts(b) if t in text}]
    assert not {dt.date(b.year, b.month, b.day) for b in births} & found.dates
    serials = {float((dt.date(b.year, b.month, b.day) - EXCEL_EPOCH).days) for b in births}
    assert not serials & found.numbers


@pytest.fixture(scope="module")
def network_outputs(demo: Path, tmp_path_factory) -> Outputs:
    """bilan (.xlsx, JSON), consolider (.xlsx, JSON) and reperer (.xlsx) on the demo territory."""
    folder = tmp_path_factory.mktemp("financeurs")
    other = folder / "autre structure"  # consolider needs the same year twice: a second copy of 2018
    other.mkdir()
    decp = folder / "decp.json"
    decp.write_text(json.dumps(decp_sample(demo_rows()), ensure_ascii=False), encoding="utf-8")
    runner, found = CliRunner(), Outputs()
    calls = [
        (["bilan", str(demo), "--annee", "2018", "--json", "--sortie", str(folder / "bilan.xlsx")], "bilan.xlsx"),
        (["bilan", str(demo), "--annee", "2018", "--json", "--sortie", str(other / "bilan.xlsx")], "autre structure/bilan.xlsx"),
        (["consolider", str(folder / "bilan.xlsx"), str(other / "bilan.xlsx"), "--json",
          "--sortie", str(folder / "reseau.xlsx")], "reseau.xlsx"),
        (["reperer", str(decp), "--classeur", str(demo), "--json", "--sortie", str(folder / "reperage.xlsx")],
         "reperage.xlsx"),
    ]
    for args, out in calls:
        result = runner.invoke(main, args)
        assert result.exit_code in (0, 1), result.stderr
        found.add_json(result.stdout)
        found.add_workbook(folder / out)
    return found


def test_no_participant_data_in_any_funders_or_network_output(demo: Path, network_outputs: Outputs):
    """bilan, consolider and reperer outputs (every sheet, hidden too, every cell, properties, JSON) hold no person."""
    people = read_classeur(demo)["T_Participants"]
    assert len(people) > 100 and network_outputs.numbers and network_outputs.strings
    assert_no_participant(people, network_outputs, typed_elsewhere(demo))


def test_the_check_would_see_a_leak(demo: Path, tmp_path: Path):
    """The checker itself finds a name, an address and a birth date (as text, date or serial) when they are there."""
    people = read_classeur(demo)["T_Participants"]
    person = people.iloc[0]
    born = person["date_naissance"]
    serial = float((dt.date(born.year, born.month, born.day) - EXCEL_EPOCH).days)
    for leak in ([person["nom"]], [f"Dossier de {person['prenom']} {person['nom']}"], [person["adresse"]],
                 [f"né le {born:%d/%m/%Y}"], [born.to_pydatetime()], [serial]):
        found = Outputs()
        found.add_values(leak)
        found.text.append(" ".join(str(v) for v in leak))
        with pytest.raises(AssertionError):
            assert_no_participant(people, found)


CRITERIA_WORDS = re.compile(r"\b(RSA|RQTH|AAH|ASS|DELD|QPV)\b")


def test_offer_letters_and_emails_carry_no_participant(demo: Path, tmp_path: Path):
    """Letters and e-mails to partners name no participant, not even next to a criterion (RSA, RQTH, AAH)."""
    c = read_classeur(demo)
    proposed = c["T_Candidatures"]["offre"].value_counts()
    open_ids = set(sendable(screen(c)["T_Offres"], REF_DATE)["id"])
    # the offer still sendable with the most people proposed: the most to leak
    offer = str(next(o for o in proposed.index if o in open_ids))
    out = tmp_path / "offres"
    result = CliRunner().invoke(main, ["offres", str(demo), "--offre", offer, "--au", REF_DATE.isoformat(), "--sortie", str(out)])
    assert result.exit_code in (0, 1), result.stderr
    from email import message_from_bytes, policy

    from docread import docx_text

    texts = {}
    for path in sorted(out.iterdir()):
        if path.suffix == ".docx":
            texts[path.name] = docx_text(path)
        else:
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            texts[path.name] = "\n".join(part.get_content() for part in message.walk()
                                         if part.get_content_type() == "text/plain") + str(message["Subject"])
    assert any(n.endswith(".eml") for n in texts) and any(n.endswith(".docx") for n in texts)
    people = c["T_Participants"]
    found = Outputs()
    found.text = list(texts.values())
    found.strings = {line.strip() for t in texts.values() for line in t.splitlines()}
    elsewhere = typed_elsewhere(demo)
    assert len(elsewhere & set(people["adresse"].dropna())) < 10  # a few streets shared with buyers, partners
    assert_no_participant(people, found, elsewhere)
    ids = set(people["id"])
    words = set(people["nom"]) | set(people["prenom"])
    for name, text in texts.items():
        assert not ids & set(re.findall(r"\b\w+\b", text)), name
        for line in text.splitlines():
            if CRITERIA_WORDS.search(line):  # the list of eligible publics: no person on those lines
                assert not words & set(re.findall(r"[\w'-]+", line)), (name, line)


# --- pivot tables: their cache copies the source rows ------------------------------------------

def with_pivot_cache(path: Path, source: str, items: tuple[str, str] = ("Martin", "3 rue des Fourches")) -> Path:
    """`path` with a pivot cache (as Excel writes it) whose source is `source`, records holding `items`."""
    definition = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1" '
        f'refreshedBy="Claire" recordCount="1"><cacheSource type="worksheet"><worksheetSource {source}/>'
        '</cacheSource><cacheFields count="2"><cacheField name="Nom" numFmtId="0"><sharedItems>'
        f'<s v="{items[0]}"/></sharedItems></cacheField><cacheField name="Adresse" numFmtId="0"><sharedItems>'
        f'<s v="{items[1]}"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>')
    records = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><pivotCacheRecords '
               'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"><r><x v="0"/><x v="0"/>'
               '</r></pivotCacheRecords>')
    with zipfile.ZipFile(path, "a") as z:  # the refusal reads these parts only
        z.writestr("xl/pivotCache/pivotCacheDefinition1.xml", definition)
        z.writestr("xl/pivotCache/pivotCacheRecords1.xml", records)
    return path


def test_pivot_cache_linked_from_nowhere_is_refused(tmp_path: Path):
    """Cache parts that no relationship links (nothing says which pivot table uses them) cannot be removed
    safely: a removed name in them stops anonymiser. Linked pivot tables are removed: test_anonymiser_cleaning."""
    source_path = with_pivot_cache(make_workbook(tmp_path, base_rows()), 'ref="A1:Z2" sheet="Participants"')
    copy = tmp_path / "copie.xlsx"
    result = CliRunner().invoke(main, ["anonymiser", str(source_path), "--sortie", str(copy), "--au", "2040-01-01"])
    assert result.exit_code == 2 and "tableau croisé dynamique" in result.stderr
    assert not copy.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


def test_pivot_cache_over_another_sheet_is_copied(tmp_path: Path):
    """A pivot table over Marchés does not hold people: the copy is made and its cache copied byte for byte.
    (A cache holding a removed name is refused whatever its source: tests/test_anonymiser_leaks.py.)"""
    source_path = with_pivot_cache(make_workbook(tmp_path, base_rows()), 'ref="A1:Z2" sheet="Marchés"',
                                   ("Réhabilitation de l'école", "M2018-004"))
    copy = tmp_path / "copie.xlsx"
    result = CliRunner().invoke(main, ["anonymiser", str(source_path), "--sortie", str(copy), "--au", "2040-01-01",
                                       "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ids"] == ["P001"]
    name = "xl/pivotCache/pivotCacheDefinition1.xml"
    assert members(copy)[name] == members(source_path)[name]
