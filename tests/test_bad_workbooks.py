"""The corpus of bad workbooks: each gives its documented finding, or one French sentence and exit 2.

Every case runs the real command line (`valider --json --rapport`): never a traceback, and on
exit 2 no report file at all. docs/fiabilite.md lists the same cases for the facilitator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from bad_workbooks import Formula, base_rows, edit_zip, raw_book, sheet_member
from clausexl.adapters.workbook_reader import read_classeur
from clausexl.cli import main
from clausexl.core import schema
from workbooks import d, make_workbook

Found = tuple[str, str, int | None, str | None]


@dataclass(frozen=True)
class Case:
    """A bad workbook, built in `tmp_path`, and what the program must say about it."""

    build: Callable[[Path], Path]
    findings: tuple[Found, ...] = ()
    error: str | None = None  # a piece of the French sentence (exit 2)
    absent: tuple[str, ...] = ()  # codes that must not appear
    check: Callable[[Path], None] | None = None  # more about what was read
    exit_code: int | None = None
    extra: dict = field(default_factory=dict)


def with_rows(edit: Callable[[dict], object], **kwargs) -> Callable[[Path], Path]:
    """The clean base workbook (real build) after `edit(rows)`."""
    def build(tmp: Path) -> Path:
        rows = base_rows()
        edit(rows)
        return make_workbook(tmp, rows, **kwargs)
    return build


def raw(edit: Callable[[dict], object] | None = None, **kwargs) -> Callable[[Path], Path]:
    """The base rows written by `raw_book` (formulas, merges, hidden rows…)."""
    def build(tmp: Path) -> Path:
        rows = base_rows()
        if edit:
            edit(rows)
        return raw_book(tmp / "classeur.xlsx", rows, **kwargs)
    return build


def set_cell(table: str, index: int, key: str, value) -> Callable[[dict], object]:
    def edit(rows: dict) -> None:
        rows[table][index][key] = value
    return edit


def add_row(table: str, row: dict) -> Callable[[dict], object]:
    def edit(rows: dict) -> None:
        rows[table].append(row)
    return edit


def file_bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path
    return build


def damaged(name: str, damage: Callable[[Path], object]) -> Callable[[Path], Path]:
    """The clean workbook, then `damage(path)`, saved as `name`."""
    def build(tmp: Path) -> Path:
        path = make_workbook(tmp, base_rows(), name=name)
        damage(path)
        return path
    return build


def headers_of(table: str, replace: dict[str, str] | None = None, append: tuple[str, ...] = ()) -> dict:
    labels = [c.label for c in schema.table(table).columns]
    labels = [replace.get(h, h) for h in labels] if replace else labels
    return {table: labels + list(append)}


def protected(tmp: Path) -> Path:
    """An encrypted OOXML file is an OLE container holding an EncryptionInfo stream."""
    from pyopenvba.cfb import CFB

    vba = zipfile_member(make_workbook(tmp, base_rows(), name="modele.xlsm"), "xl/vbaProject.bin")
    cfb = CFB.from_bytes(vba)
    cfb.add_stream_at([], "EncryptionInfo", b"\x04\x00\x04\x00" + bytes(200))
    cfb.add_stream_at([], "EncryptedPackage", bytes(4096))
    path = tmp / "protege.xlsx"
    path.write_bytes(cfb.to_bytes())
    return path


def old_xls(name: str) -> Callable[[Path], Path]:
    """An OLE compound file without encryption: what an .xls is."""
    def build(tmp: Path) -> Path:
        from pyopenvba.cfb import CFB

        vba = zipfile_member(make_workbook(tmp, base_rows(), name="modele.xlsm"), "xl/vbaProject.bin")
        cfb = CFB.from_bytes(vba)
        cfb.add_stream_at([], "Workbook", bytes(4096))
        path = tmp / name
        path.write_bytes(cfb.to_bytes())
        return path
    return build


def zipfile_member(path: Path, member: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(member)


def ods(tmp: Path) -> Path:
    import zipfile

    path = tmp / "classeur.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return path


def ods_renamed(tmp: Path) -> Path:
    path = ods(tmp)
    return path.rename(tmp / "classeur.xlsx")


def lock_file(tmp: Path) -> Path:
    path = make_workbook(tmp, base_rows(), name="classeur.xlsm")
    (tmp / "~$classeur.xlsm").write_bytes(b"\x0bFacilitateur" + bytes(150))
    return path


def hidden_row(sheets: dict, book) -> None:
    sheets["T_Heures"].set_row(2, None, None, {"hidden": True})


def merged_cells(sheets: dict, book) -> None:
    # Donneur d'ordre merged over the market rows 2 and 3: row 3 holds nothing of its own.
    sheets["T_Marches"].merge_range(1, 1, 2, 1, "D1")


def read_value(table: str, key: str, expected) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        frame = read_classeur(path, [table])[table]
        assert frame[key].iloc[0] == expected
    return check


def second_market(rows: dict) -> None:
    """A second market whose Donneur d'ordre is left to the merged cell above (Excel keeps only its first cell)."""
    market = dict(rows["T_Marches"][0], id="M2018-005", donneur_ordre=None)
    rows["T_Marches"].append(market)


def folder(path: Path) -> Path:
    """A folder where the workbook should be."""
    path.mkdir()
    return path


def empty_rows_inside(rows: dict) -> None:
    rows["T_Heures"][1:1] = [{}, {}]
    rows["T_Heures"][-1]["heures_travaillees"] = -5.0


H, M, P, C = "Heures", "Marchés", "Participants", "Contrats"

CASES: dict[str, Case] = {
    # --- files that are not a workbook of the contract ------------------------------------------
    "fichier-absent": Case(lambda tmp: tmp / "absent.xlsm", error="n'existe pas"),
    "dossier": Case(lambda tmp: folder(tmp / "classeur.xlsm"), error="est un dossier"),
    "fichier-vide": Case(file_bytes("classeur.xlsm", b""), error="est vide"),
    "zip-corrompu": Case(file_bytes("classeur.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8), error="endommagé"),
    "zip-tronque": Case(lambda tmp: file_bytes("classeur.xlsx", make_workbook(tmp, base_rows(), name="ok.xlsx")
                                               .read_bytes()[:6000])(tmp), error="endommagé"),
    "texte-renomme": Case(file_bytes("classeur.xlsx", b"ID;Nom\nP001;Martin\n"), error="endommagé"),
    "protege-mot-de-passe": Case(protected, error="protégé par un mot de passe"),
    "ancien-xls": Case(old_xls("classeur.xls"), error="est un ancien classeur .xls"),
    "xls-renomme-xlsx": Case(old_xls("classeur.xlsx"), error="ancien classeur .xls renommé"),
    "ods": Case(ods, error="est un classeur OpenDocument .ods"),
    "ods-renomme-xlsx": Case(ods_renamed, error="endommagé"),
    "csv": Case(file_bytes("classeur.csv", b"ID;Nom\n"), error="est un fichier CSV"),
    "extension-inconnue": Case(file_bytes("classeur.numbers", b"PK\x03\x04"), error="n'est pas au format .xlsm"),
    "xml-classeur-illisible": Case(damaged("classeur.xlsx", lambda p: edit_zip(
        p, {"xl/workbook.xml": lambda b: b[: len(b) // 2]})), error="endommagé"),
    "xml-feuille-illisible": Case(damaged("classeur.xlsx", lambda p: edit_zip(
        p, {sheet_member(p, M): lambda b: b[: len(b) // 2]})), error="endommagé"),
    # --- structure: tables, sheets, headers ---------------------------------------------------
    "feuille-manquante": Case(raw(skip={"T_Marches"}), error="n'a pas le tableau T_Marches"),
    "feuille-parametres-manquante": Case(raw(skip={"T_Parametres"}), error="n'a pas le tableau T_Parametres"),
    "en-tete-renomme": Case(raw(headers=headers_of("T_Marches", {"Objet*": "Objet du marché"})),
                            error="n'a pas la colonne obligatoire « Objet »"),
    "en-tete-en-double": Case(raw(headers=headers_of("T_Marches", append=("Objet",)), as_table=False),
                              findings=(("colonne-en-double", M, 1, "Objet"),)),
    "en-tete-casse-accents-espaces": Case(raw(headers=headers_of("T_Marches", {"Objet*": "  OBJET ",
                                                                                 "Date de début*": "date de debut"})),
                                          absent=("colonne-en-double",), exit_code=0),
    "colonne-ajoutee": Case(raw(headers=headers_of("T_Marches", append=("Mes notes",))), exit_code=0),
    "tableau-renomme": Case(raw(as_table=False), exit_code=0),
    "en-tete-sous-un-titre": Case(raw(set_cell("T_Heures", 0, "heures_travaillees", -1.0), as_table=False,
                                      title="Suivi mensuel des heures"),
                                  findings=(("heures-negatives", H, 4, "Heures travaillées"),)),
    "ligne-de-totaux": Case(raw(totals={"T_Heures"}), exit_code=0, absent=("valeur-obligatoire",),
                            check=lambda p: _count(p, "T_Heures", 3)),
    "lignes-vides-dans-le-tableau": Case(raw(empty_rows_inside), findings=(("heures-negatives", H, 6,
                                                                            "Heures travaillées"),)),
    "cellules-fusionnees": Case(raw(second_market, as_table=False, hook=merged_cells),
                                findings=(("valeur-obligatoire", M, 3, "Donneur d'ordre"),)),
    "lignes-masquees": Case(raw(set_cell("T_Heures", 1, "heures_travaillees", 300.0), hook=hidden_row),
                            findings=(("heures-excessives", H, 3, "Heures travaillées"),)),
    # --- formulas -----------------------------------------------------------------------------
    "formule-valeur-en-cache": Case(raw(set_cell("T_Marches", 0, "montant_ht", Formula("=500000*2", 1_000_000))),
                                    exit_code=0, check=read_value("T_Marches", "montant_ht", 1_000_000.0)),
    "formule-ref": Case(raw(set_cell("T_Marches", 0, "objet", Formula("=#REF!", "#REF!"))),
                        findings=(("erreur-formule", M, 2, "Objet"),)),
    "formule-na-dans-une-date": Case(raw(set_cell("T_Contrats", 0, "date_debut", Formula("=NA()", "#N/A"))),
                                     findings=(("erreur-formule", C, 2, "Date de début"),)),
    "formule-div0-dans-des-heures": Case(raw(set_cell("T_Heures", 0, "heures_travaillees",
                                                      Formula("=1/0", "#DIV/0!"))),
                                         findings=(("erreur-formule", H, 2, "Heures travaillées"),)),
    "formule-erreur-dans-un-id": Case(raw(set_cell("T_Participants", 0, "id", Formula("=#REF!", "#REF!"))),
                                      findings=(("erreur-formule", P, 2, "ID"),)),
    "formule-circulaire": Case(raw(lambda rows: (
        rows["T_Heures"][0].update(heures_formation=Formula("=C2+1", 0)),
        rows["T_Heures"][0].update(heures_travaillees=Formula("=D2", 0)))),
        findings=(("erreur-formule", H, 2, "Heures travaillées"), ("erreur-formule", H, 2, "Heures de formation"))),
    # --- numbers and dates --------------------------------------------------------------------
    "nombre-texte-virgule": Case(with_rows(set_cell("T_Heures", 0, "heures_travaillees", "150,5")),
                                 findings=(("texte-converti", H, 2, "Heures travaillées"),),
                                 check=read_value("T_Heures", "heures_travaillees", 150.5)),
    "nombre-texte-milliers-euros": Case(with_rows(set_cell("T_Marches", 0, "montant_ht", "1 000 000,50 €")),
                                        findings=(("texte-converti", M, 2, "Montant HT (€)"),),
                                        check=read_value("T_Marches", "montant_ht", 1_000_000.5)),
    "nombre-illisible": Case(with_rows(set_cell("T_Heures", 0, "heures_travaillees", "cent")),
                             findings=(("type-invalide", H, 2, "Heures travaillées"),)),
    "date-texte-francaise": Case(with_rows(set_cell("T_Contrats", 0, "date_debut", "01/04/2018")),
                                 findings=(("texte-converti", C, 2, "Date de début"),)),
    "date-texte-iso": Case(with_rows(set_cell("T_Contrats", 0, "date_debut", "2018-04-01")),
                           findings=(("texte-converti", C, 2, "Date de début"),)),
    "date-texte-impossible": Case(with_rows(set_cell("T_Contrats", 0, "date_debut", "31/02/2018")),
                                  findings=(("type-invalide", C, 2, "Date de début"),)),
    "mois-en-lettres": Case(with_rows(set_cell("T_Heures", 0, "mois", "avril 2018")),
                            findings=(("texte-converti", H, 2, "Mois"),)),
    "systeme-de-dates-1904": Case(raw(options={"date_1904": True}), exit_code=0,
                                  check=read_value("T_Participants", "date_naissance",
                                                   __import__("numpy").datetime64("1990-05-17"))),
    "date-avant-1900": Case(with_rows(set_cell("T_Participants", 0, "date_naissance", "12/03/1850")),
                            findings=(("date-hors-plage", P, 2, "Date de naissance"),)),
    "date-en-2100": Case(with_rows(set_cell("T_Contrats", 0, "date_fin", d("2100-01-01"))),
                         findings=(("date-hors-plage", C, 2, "Date de fin"),)),
    "heures-negatives": Case(with_rows(set_cell("T_Heures", 0, "heures_travaillees", -7.0)),
                             findings=(("heures-negatives", H, 2, "Heures travaillées"),)),
    "nombre-enorme": Case(with_rows(lambda rows: (rows["T_Heures"][0].update(heures_travaillees=1e300),
                                                  rows["T_Marches"][0].update(montant_ht=1e308))),
                          findings=(("nombre-hors-plage", H, 2, "Heures travaillées"),
                                    ("nombre-hors-plage", M, 2, "Montant HT (€)"))),
    "pourcentage-sur-100": Case(with_rows(set_cell("T_Marches", 0, "taux_insertion", 7.0)),
                                findings=(("pourcentage-sur-100", M, 2, "Taux d'insertion (%)"),)),
    # --- text ---------------------------------------------------------------------------------
    "texte-tres-long": Case(with_rows(set_cell("T_Marches", 0, "objet", "École " * 5000)), exit_code=0),
    "caracteres-de-controle": Case(with_rows(set_cell("T_Participants", 0, "nom", "Mar\x01tin\x1f\x7f")),
                                   exit_code=0),
    "emoji": Case(with_rows(set_cell("T_Participants", 0, "prenom", "Julie 👷‍♀️")), exit_code=0,
                  check=read_value("T_Participants", "prenom", "Julie 👷‍♀️")),
    "valeur-hors-liste": Case(with_rows(set_cell("T_Marches", 0, "type_marche", "Travaux publics")),
                              findings=(("valeur-hors-liste", M, 2, "Type de marché"),)),
    "oui-non-illisible": Case(with_rows(set_cell("T_Participants", 0, "rsa", "peut-être")),
                              findings=(("valeur-hors-liste", P, 2, "RSA"),)),
    "texte-formule-injection": Case(with_rows(set_cell("T_Marches", 0, "objet", "=HYPERLINK(\"http://x\")")),
                                    exit_code=0, check=read_value("T_Marches", "objet", "=HYPERLINK(\"http://x\")")),
    "parametre-illisible": Case(with_rows(lambda rows: None, parameters={"heures_par_etp": "beaucoup"}),
                                findings=(("parametre-hors-plage", "Paramètres", 11, "Valeur"),)),
    # --- keys and references ------------------------------------------------------------------
    "id-en-double": Case(with_rows(add_row("T_Participants", dict(base_rows()["T_Participants"][0]))),
                         findings=(("cle-en-double", P, 3, "ID"),)),
    "reference-pendante": Case(with_rows(set_cell("T_Contrats", 0, "marche", "M2018-099")),
                               findings=(("reference-inconnue", C, 2, "Marché"),)),
    "id-saisi-comme-nombre": Case(with_rows(lambda rows: (rows["T_Participants"][0].update(id=12),
                                                          rows["T_Contrats"][0].update(participant="12"))),
                                  exit_code=0),
    "mois-en-double": Case(with_rows(add_row("T_Heures", {"contrat": "C001", "mois": d("2018-04-15"),
                                                          "heures_travaillees": 10.0})),
                           findings=(("mois-en-double", H, 5, "Mois"),)),
    "dates-inversees": Case(with_rows(set_cell("T_Contrats", 0, "date_fin", d("2018-03-01"))),
                            findings=(("dates-inversees", C, 2, "Date de fin"),)),
    # --- Excel itself ---------------------------------------------------------------------------
    "ouvert-dans-excel": Case(lock_file, exit_code=0, extra={"stderr": "est ouvert dans Excel"}),
}


def _count(path: Path, table: str, rows: int) -> None:
    assert len(read_classeur(path, [table])[table]) == rows


def test_corpus_is_large_enough():
    """The issue asks for at least 40 kinds of bad workbook."""
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_workbook(name: str, tmp_path: Path):
    """Each bad workbook gives its documented finding or one French sentence, exit 2, no partial file."""
    case = CASES[name]
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    path = case.build(source_dir)
    report = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(main, ["valider", str(path), "--json", "--rapport", str(report)])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert not list(tmp_path.rglob(".~clausexl-*")), "temporary file left behind"
    if case.error:
        assert result.exit_code == 2, result.stdout + result.stderr
        assert case.error in result.stderr
        assert result.stderr.startswith("Erreur : ") and "inattendue" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert not report.exists()
        return
    assert result.exit_code in (0, 1), result.stderr
    assert report.exists()
    found = {(c["code"], c["feuille"], c["ligne"], c["colonne"]) for c in json.loads(result.stdout)["constats"]}
    for expected in case.findings:
        assert expected in found, (expected, found)
    codes = {f[0] for f in found}
    assert not codes & set(case.absent)
    if case.exit_code is not None:
        assert result.exit_code == case.exit_code, found
    if case.findings:
        assert result.exit_code == (1 if any(f[0] != "texte-converti" and f[0] != "pourcentage-sur-100"
                                             and f[0] != "colonne-en-double" for f in case.findings) else 0)
    for key, text in case.extra.items():
        assert text in getattr(result, key)
    if case.check:
        case.check(path)


def test_every_case_is_documented():
    """docs/fiabilite.md lists every bad input of the corpus, by its name."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "fiabilite.md").read_text("utf-8")
    assert [name for name in CASES if f"`{name}`" not in doc] == []
