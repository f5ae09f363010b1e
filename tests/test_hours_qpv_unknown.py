"""An NPNRU market never loses hours silently: the hours of participants whose QPV code is not in the QPV
sheet (valider: qpv-inconnu) do not count toward its target, and `heures` says how many and why."""

from __future__ import annotations

import json

import openpyxl
from click.testing import CliRunner

from clausexl.cli import main
from workbooks import TableRows, d, make_workbook

PERSON = {"sexe": "F", "date_naissance": d("1990-01-01"), "niveau_qualification": "3 (CAP, BEP)", "rsa": True,
          "resident_qpv": True}
ROWS: TableRows = {
    "T_DonneursOrdre": [{"id": "D1", "nom": "Presqu'île Habitat", "categorie": "Bailleur social"}],
    "T_Entreprises": [{"id": "E1", "raison_sociale": "Bâti Nord", "type": "Entreprise classique"}],
    "T_QPV": [{"code": "QN050001M", "nom": "Les Provinces", "commune": "Cherbourg-en-Cotentin"}],
    # 400 h fixed; P1 (known QPV) 120 h count, P2 (code typed with a wrong digit) 80 h do not:
    # counted 120 h, reste 280 h, penalty 280 × 50 € = 14 000 €.
    "T_Marches": [{"id": "N1", "donneur_ordre": "D1", "objet": "Réhabilitation des Provinces", "type_marche": "Travaux",
                   "dispositif": "Condition d'exécution (L2112-2)", "npnru": True, "mode_calcul": "Heures fixées",
                   "heures_prevues": 400, "montant_ht": 300_000, "date_debut": d("2026-01-01"), "date_fin": d("2026-12-31"),
                   "attributaire": "E1", "statut": "En cours", "penalite": 50}],
    "T_Participants": [{**PERSON, "id": "P1", "nom": "Lefèvre", "prenom": "Alice", "qpv": "QN050001M"},
                       {**PERSON, "id": "P2", "nom": "Leroy", "prenom": "Bruno", "qpv": "QN050009M"}],
    "T_Contrats": [{"id": "C1", "participant": "P1", "marche": "N1", "employeur": "E1", "modalite": "Embauche directe",
                    "type_contrat": "CDD", "poste": "Maçon", "date_debut": d("2026-02-01")},
                   {"id": "C2", "participant": "P2", "marche": "N1", "employeur": "E1", "modalite": "Embauche directe",
                    "type_contrat": "CDD", "poste": "Manœuvre", "date_debut": d("2026-02-01")}],
    "T_Heures": [{"contrat": "C1", "mois": d("2026-02-01"), "heures_travaillees": 120},
                 {"contrat": "C2", "mois": d("2026-02-01"), "heures_travaillees": 80}],
}
WARNING = ("Marché NPNRU N1 : 80\u00a0h de participants dont le code QPV n'est pas dans la feuille QPV ne "
           "comptent pas pour l'objectif, le taux, le reste et la pénalité ; complétez la feuille QPV ou corrigez "
           "le code (clausexl valider : qpv-inconnu).")
#: The line on stderr (and in heures' `alertes`): the warning after « Attention : », lowered after the colon.
SENTENCE = "Attention : m" + WARNING[1:]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_heures_says_how_many_npnru_hours_do_not_count_and_why(tmp_path):
    path = make_workbook(tmp_path, ROWS)
    out = run("heures", path, "--au", "31/03/2026", "--json")
    assert out.exit_code == 1, out.output
    data = json.loads(out.stdout)
    n1 = data["marches"][0]
    assert (n1["heures_realisees"], n1["heures_residents_qpv"], n1["heures_qpv_inconnu"], n1["heures_comptees"],
            n1["reste"], n1["penalite"]) == (200, 120, 80, 120, 280, 14_000)
    assert data["alertes"] == [SENTENCE]
    assert SENTENCE in out.stderr

    sortie = tmp_path / "heures.xlsx"
    assert run("heures", path, "--au", "31/03/2026", "--sortie", sortie).exit_code == 1
    cells = [c for row in openpyxl.load_workbook(sortie)["Marchés"].iter_rows(values_only=True) for c in row]
    assert SENTENCE in cells


def test_an_empty_qpv_sheet_leaves_every_typed_code_unknown(tmp_path):
    rows = {**ROWS, "T_QPV": []}
    out = run("heures", make_workbook(tmp_path, rows), "--au", "31/03/2026", "--json")
    n1 = json.loads(out.stdout)["marches"][0]
    assert (n1["heures_qpv_inconnu"], n1["heures_comptees"], out.exit_code) == (200, 0, 1)
    assert "Attention : marché NPNRU N1 : 200\u00a0h de participants" in out.stderr


def test_known_codes_say_nothing(tmp_path):
    rows = {**ROWS, "T_QPV": [*ROWS["T_QPV"], {"code": "QN050009M", "nom": "Octeville", "commune": "Cherbourg"}]}
    out = run("heures", make_workbook(tmp_path, rows), "--au", "31/03/2026", "--json")
    assert (out.exit_code, json.loads(out.stdout)["alertes"], "Attention" in out.stderr) == (0, [], False)


def test_letters_of_the_month_say_it_too(tmp_path):
    """The monthly statement and reminder of N1 show a shortfall: `courriers` gives the same sentence."""
    from clausexl.verbs.courriers import courriers

    result = courriers(make_workbook(tmp_path, ROWS), mois=d("2026-02-01"), sortie=tmp_path / "out",
                       today=d("2026-03-10"))
    assert result.fichiers
    assert WARNING in result.avertissements


def test_the_letters_cli_says_it_once_after_one_attention(tmp_path):
    """A document verb's warnings are bare sentences; its CLI adds « Attention : » once (never twice)."""
    path = make_workbook(tmp_path, ROWS)
    out = run("courriers", path, "--mois", "2026-02", "--sortie", tmp_path / "out")
    assert out.exit_code == 0, out.output
    assert out.stderr.count(SENTENCE) == 1
    assert "Attention : Attention" not in out.stderr


def test_certificates_say_it_too(tmp_path):
    from clausexl.verbs.attestations import attestations

    rows = {**ROWS, "T_Marches": [{**ROWS["T_Marches"][0], "statut": "Terminé", "date_fin": d("2026-02-28")}]}
    result = attestations(make_workbook(tmp_path, rows), sortie=tmp_path / "out", today=d("2026-03-10"))
    assert result.fichiers
    assert WARNING in result.avertissements
