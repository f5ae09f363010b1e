"""reperer: DECP records of the territory classified against the workbook, read as a stream."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import python_calamine as calamine
from click.testing import CliRunner

from clausexl.adapters.decp_stream import DecpUnreadable, iter_records
from clausexl.cli import main
from clausexl.core import decp
from clausexl.verbs.reperer import reperer
from workbooks import d, make_workbook

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "decp"
BUYER = "21750001630040"     # Marche.json's buyer
AWARDEE = "55204599900869"   # Marche.json's awardee
UNKNOWN_AWARDEE = "81223113200026"


def market(id_: str, montant, *, buyer: str = BUYER, objet: str = "Travaux de voirie", considerations=None,
           cpv: str = "45233140-2", lieu: tuple[str, str] = ("75001", "Code postal"), titulaires=None,
           **extra) -> dict:
    """A v2 market record as the official schema writes it."""
    record = {
        "id": id_, "acheteur": {"id": buyer}, "nature": "Marché", "objet": objet, "codeCPV": cpv,
        "procedure": "Appel d'offres ouvert", "lieuExecution": {"code": lieu[0], "typeCode": lieu[1]},
        "dureeMois": 12, "dateNotification": "2024-03-01", "montant": montant,
        "titulaires": titulaires if titulaires is not None else [{"id": AWARDEE, "typeIdentifiant": "SIRET"}],
        "considerationsSociales": considerations or ["Pas de considération sociale"],
    }
    record.update(extra)
    return record


def write_decp(folder: Path, records: list, shape: str = "v2-list", name: str = "decp.json") -> Path:
    """A DECP file holding `records` in one of the three published shapes."""
    doc: dict[str, object]
    if shape == "v2-list":
        doc = {"marches": {"marche": records}}
    elif shape == "v2-one":
        assert len(records) == 1
        doc = {"marches": {"marche": records[0]}}
    else:
        doc = {"$schema": "paquet.json", "marches": records}
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def classeur(tmp_path: Path) -> Path:
    """A territory with one buyer known by SIRET, one followed market (with a DECP reference) and one company."""
    return make_workbook(tmp_path, {
        "T_DonneursOrdre": [
            {"id": "D1", "nom": "Ville de Paris", "categorie": "Commune", "siret": BUYER},
            {"id": "D2", "nom": "Sans SIRET", "categorie": "Commune"},
        ],
        "T_Entreprises": [{"id": "E1", "raison_sociale": "Bâtisseurs SA", "type": "Entreprise classique",
                           "siret": AWARDEE}],
        "T_Marches": [
            {"id": "M1", "donneur_ordre": "D1", "objet": "Réfection de l'école", "type_marche": "Travaux",
             "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 500000, "date_debut": d("2024-01-01"),
             "date_fin": d("2024-12-31"), "attributaire": "E1", "statut": "En cours",
             "reference_decp": f"{BUYER}2024-REF"},
            {"id": "M2", "donneur_ordre": "D1", "objet": "Nettoyage des locaux", "type_marche": "Services",
             "dispositif": "Condition d'exécution (L2112-2)", "montant_ht": 100000, "date_debut": d("2024-01-01"),
             "date_fin": d("2024-12-31"), "attributaire": "E1", "statut": "En cours"},
        ],
    })


def test_official_v2_example_is_a_market_with_a_clause_not_followed(classeur: Path):
    """Marche.json (v2, one object): its Clause sociale market is listed with 460 h and its awardee known."""
    r = reperer(SAMPLES / "Marche.json", classeur)
    assert r.counts()["enregistrements"] == 1
    [c] = r.a_suivre
    assert (c.uid, c.donneur_ordre, c.objet, c.montant, c.type_marche) == (
        f"{BUYER}Exemple1", "D1", "exemple marche", Decimal(575000), "Travaux")
    # 575 000 × 40 % × 7 % ÷ 35 = 460 exactly: decimal arithmetic keeps it at 460.
    assert c.heures_possibles == 460
    assert c.considerations == ("Clause sociale",)
    assert c.entreprises == ("E1",)
    assert r.titulaires() == [{"siret": AWARDEE, "entreprise": "E1", "raison_sociale": "Bâtisseurs SA",
                               "marches": 1, "montant": Decimal(575000)}]


def test_official_v1_paquet_by_departement(classeur: Path, tmp_path: Path):
    """paquet.json (v1 list) with --departement 35: the Rennes market without clause is listed, the concession
    counted and skipped, the record with no buyer nor place left outside; the TVA awardee is not a SIRET."""
    r = reperer(SAMPLES / "paquet.json", classeur, departements=("35",), seuil=90000)
    n = r.counts()
    assert (n["enregistrements"], n["concessions"], n["hors_territoire"], n["illisibles"]) == (3, 1, 1, 0)
    [c] = r.sans_clause
    assert (c.id, c.departement, c.montant, c.titulaires, c.entreprises) == (
        "2010-3452112", "35", Decimal(127000), (UNKNOWN_AWARDEE,), ())
    assert c.heures_possibles == 102  # 127 000 × 40 % × 7 % ÷ 35 = 101.6 → 102
    assert c.type_marche == "Services"  # CPV 77313000: division 77


MIXED = [
    market("A-SOCIAL", 200000, considerations=["Clause sociale", "Critère social"]),
    market("2024-REF", 500000, considerations=["Clause sociale"]),                    # followed by its reference
    market("OBJ", 100000, objet="  nettoyage des LOCAUX ", considerations=["Marché réservé"]),  # by object
    market("BIG-SERV", 300000, cpv="90910000-9", objet="Nettoyage"),                    # services, no clause
    market("BIG-WORKS", 95000),                                                         # works, no clause
    market("AT-THRESHOLD", 90000, cpv="79000000-4", objet="Conseil"),                   # threshold is inclusive
    market("SMALL", 89999.99),
    market("ELSEWHERE", 900000, buyer="21350238800019", lieu=("35238", "Code commune")),
    market("BAD-AMOUNT", "beaucoup"),
    market("NO-OBJECT", 100000, objet=""),
    market("BAD-SOCIAL", 100000, considerations=None) | {"considerationsSociales": 3},
    market("A-SOCIAL", 200000, considerations=["Clause sociale"]),                     # duplicate
    {"id": "C1", "nature": "Concession de service", "acheteur": {"id": BUYER}, "montant": 1},
    "pas un objet",
    market("FRENCH-COMMA", "120000,50", considerations=["Clause Sociale"]),
]


def test_every_kind_of_record_is_classified_and_counted(classeur: Path, tmp_path: Path):
    """A v2 list mixing every case: each record lands in exactly one count, malformed ones reported with a reason."""
    r = reperer(write_decp(tmp_path, MIXED), classeur, seuil=90000)
    assert r.counts() == {
        "enregistrements": 15, "concessions": 1, "hors_territoire": 1, "avant_date": 0, "apres_date": 0,
        "doublons": 1, "lignes_fusionnees": 0, "sous_seuil": 1, "illisibles": 4, "clauses_non_suivies": 2,
        "sans_clause": 3, "alertes_l2112": 0, "deja_suivis": 2,
    }
    assert [c.id for c in r.a_suivre] == ["A-SOCIAL", "FRENCH-COMMA"]
    assert [c.id for c in r.sans_clause] == ["BIG-WORKS", "BIG-SERV", "AT-THRESHOLD"]  # works first
    assert {c.id: c.suivi_par for c in r.deja_suivis} == {"2024-REF": "Référence DECP", "OBJ": "Donneur d'ordre et objet"}
    assert sorted((i, rid, why) for i, rid, why in r.tally.examples) == [
        (9, "BAD-AMOUNT", "montant illisible « beaucoup »"),
        (10, "NO-OBJECT", "objet manquant"),
        (11, "BAD-SOCIAL", "considérations sociales illisibles"),
        (14, None, "enregistrement qui n'est pas un objet JSON"),
    ]
    assert r.a_suivre[1].montant == Decimal("120000.50")
    assert r.a_suivre[1].considerations == ("Clause sociale",)


@pytest.mark.parametrize("shape", ["v2-list", "v1-list"])
def test_shapes_read_alike(classeur: Path, tmp_path: Path, shape: str):
    """The same records give the same result whether the file is v2 `marches.marche[]` or v1 `marches[]`."""
    r = reperer(write_decp(tmp_path, MIXED, shape), classeur)
    assert r.to_dict() == reperer(write_decp(tmp_path, MIXED, "v2-list", "ref.json"), classeur).to_dict() | {
        "fichier": "decp.json"}


def test_xml_shaped_fields_and_since(classeur: Path, tmp_path: Path):
    """Awardees as `[{"titulaire": {…}}]` and considerations as `{"considerationSociale": […]}` are read;
    --depuis leaves out markets notified before the date."""
    records = [
        market("X1", 100000, titulaires=[{"titulaire": {"id": AWARDEE, "typeIdentifiant": "SIRET"}}],
               considerations=None) | {"considerationsSociales": {"considerationSociale": ["Clause sociale"]}},
        market("OLD", 100000, dateNotification="2019-05-01"),
    ]
    r = reperer(write_decp(tmp_path, records), classeur, depuis=d("2020-01-01"))
    [c] = r.a_suivre
    assert (c.id, c.entreprises, c.considerations) == ("X1", ("E1",), ("Clause sociale",))
    assert r.counts()["avant_date"] == 1


@pytest.mark.parametrize("code, kind, expected", [
    ("50100", "Code postal", "50"), ("50129", "Code commune", "50"), ("97411", "Code postal", "974"),
    ("20000", "Code postal", "2A"), ("20200", "Code postal", "2B"), ("2B033", "Code commune", "2B"),
    ("50", "Code département", "50"), ("28", "Code région", None), ("FR", "Code pays", None),
    ("501", "Code postal", None), (None, None, None),
])
def test_departement_of_place(code, kind, expected):
    """The département of a place of execution, from a postal code, an INSEE code or the département itself."""
    assert decp.departement_of(code, kind) == expected


def test_truncated_file_keeps_what_was_read_and_says_so(classeur: Path, tmp_path: Path):
    """A file cut in the middle is not silently half-read: what was read is used, one French sentence on stderr
    and in the Lecture sheet, exit 1."""
    path = write_decp(tmp_path, MIXED)
    path.write_text(path.read_text(encoding="utf-8")[:-300], encoding="utf-8")
    out = tmp_path / "liste.xlsx"
    res = CliRunner().invoke(main, ["reperer", str(path), "--classeur", str(classeur), "--sortie", str(out),
                                    "--seuil", "90000"])
    assert res.exit_code == 1
    assert "interrompu ou mal formé après l'enregistrement 14 :" in res.stderr
    assert res.stderr.count("\n") == 2  # the malformed records' sentence, then the interruption's
    # counts agreed with their number (« 1 concession ignorée », « 4 … illisibles laissés »), never « (s) »
    assert res.stdout.startswith("decp.json : 14 enregistrements lus, 1 concession ignorée, 1 hors du territoire.\n")
    assert res.stderr.startswith("Attention : 4 enregistrements du territoire illisibles laissés de côté (détail ")
    assert "Traceback" not in res.output
    book = calamine.CalamineWorkbook.from_path(str(out))
    assert "interrompu" in str(book.get_sheet_by_name("Lecture").to_python()[1][0])
    r = reperer(path, classeur, seuil=90000)
    assert r.tally.records == 14 and [c.id for c in r.a_suivre] == ["A-SOCIAL"]
    # the diagnostic shown to a buyer says, above its figures, what of the file they do not count
    notes = [str(c) for row in book.get_sheet_by_name("Diagnostic").to_python()[:14] for c in row if c]
    unread = r.counts()["illisibles"]
    assert unread > 1
    assert f"{unread} enregistrements illisibles du fichier sont laissés de côté : ni ce diagnostic ni les listes " \
           "ne les comptent (motifs : feuilles Illisibles et Lecture)." in notes
    assert any(n.startswith(f"Le fichier « {path.name} » est interrompu") for n in notes)


def test_file_without_markets_is_refused(tmp_path: Path):
    """A JSON file without `marches` is not a DECP file."""
    path = tmp_path / "autre.json"
    path.write_text('{"concessions": []}', encoding="utf-8")
    with pytest.raises(DecpUnreadable):
        list(iter_records(path))


def test_no_territory_is_a_bad_option(tmp_path: Path):
    """Without any buyer SIRET nor --departement there is no territory to look for: exit 2."""
    empty = make_workbook(tmp_path, {})
    res = CliRunner().invoke(main, ["reperer", str(SAMPLES / "Marche.json"), "--classeur", str(empty)])
    assert res.exit_code == 2
    assert "--departement" in res.output


def test_cli_json_agrees_with_library_and_workbook_lists_markets(classeur: Path, tmp_path: Path):
    """`--json` prints the library's dict; `--sortie` writes the list with an empty « À importer » column; exit 1
    because some records were malformed."""
    path = write_decp(tmp_path, MIXED)
    out = tmp_path / "liste.xlsx"
    res = CliRunner().invoke(main, ["reperer", str(path), "--classeur", str(classeur), "--json", "--sortie", str(out),
                                    "--seuil", "90000"])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == json.loads(json.dumps(reperer(path, classeur, seuil=90000).to_dict(), default=str))
    book = calamine.CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Diagnostic", "Clauses non suivies", "Sans clause", "Pour la feuille Marchés",
                                "Donneurs à créer", "Titulaires", "Seuils", "Lecture", "Illisibles"]
    rows = book.get_sheet_by_name("Sans clause").to_python()
    header = rows.index(next(r for r in rows if r and r[0] == "À importer"))
    table = [dict(zip(rows[header], r)) for r in rows[header + 1:]]
    assert [(t["À importer"], t["Référence DECP"], t["Montant HT (€)"], t["Heures possibles"]) for t in table] == [
        ("", f"{BUYER}BIG-WORKS", 95000, 76), ("", f"{BUYER}BIG-SERV", 300000, 240),
        ("", f"{BUYER}AT-THRESHOLD", 90000, 72)]
    again = CliRunner().invoke(main, ["reperer", str(path), "--classeur", str(classeur), "--sortie", str(out)])
    assert again.exit_code == 2  # never overwrites without --force


def test_invalid_sirets_and_postal_codes_the_territory_is_matched_on_are_said(tmp_path: Path):
    """A buyer's SIRET or a commune's postal code that valider calls invalid is kept (the DECP may carry the same
    typing) but said: one sentence per sheet on stderr, in JSON `alertes` and on the Diagnostic sheet; exit 1.
    Valid values say nothing."""
    mistyped = BUYER[:-1] + "1"  # the control key no longer holds
    path = make_workbook(tmp_path, {
        "T_DonneursOrdre": [{"id": "D1", "nom": "Ville de Paris", "categorie": "Commune", "siret": BUYER},
                            {"id": "D2", "nom": "Ville voisine", "categorie": "Commune", "siret": mistyped},
                            {"id": "D3", "nom": "Syndicat", "categorie": "EPCI", "siret": "123"}],
        "T_Territoire": [{"commune": "Saint-Lô", "code_postal": "50000"}, {"commune": "Agneaux", "code_postal": "5O160"}],
    })
    decp_file = write_decp(tmp_path, [market("A", 300000, buyer=mistyped, considerations=["Clause sociale"])])
    out = tmp_path / "liste.xlsx"
    res = CliRunner().invoke(main, ["reperer", str(decp_file), "--classeur", str(path), "--json", "--sortie", str(out)])
    assert res.exit_code == 1
    buyers = ("Attention : dans la feuille Donneurs d'ordre, les SIRET des lignes 3 et 4 sont invalides : mal saisis, "
              "ils ne retrouvent pas les marchés de ces donneurs d'ordre dans la DECP ; vérifiez-les (clausexl "
              "valider : siret-invalide).")
    communes = ("Attention : dans la feuille Territoire, le code postal de la ligne 3 est invalide : mal saisi, il ne "
                "retrouve pas les marchés exécutés dans cette commune dans la DECP ; vérifiez-le (clausexl valider : "
                "code-postal-invalide).")
    assert json.loads(res.stdout)["alertes"] == [buyers, communes]
    assert res.stderr.splitlines()[-2:] == [buyers, communes]
    # kept all the same: the market of the mistyped SIRET, as the DECP spells it too, is the buyer's
    assert [c.donneur_ordre for c in reperer(decp_file, path).a_suivre] == ["D2"]
    notes = [str(c) for row in calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Diagnostic")
             .to_python()[:14] for c in row if c]
    assert buyers in notes and communes in notes
    clean = make_workbook(tmp_path / "propre", {
        "T_DonneursOrdre": [{"id": "D1", "nom": "Ville de Paris", "categorie": "Commune", "siret": BUYER}]})
    res = CliRunner().invoke(main, ["reperer", str(decp_file), "--classeur", str(clean), "--json"])
    assert (res.exit_code, json.loads(res.stdout)["alertes"]) == (0, [])
