"""Golden documents: the full text of each kind of document, compared with a copy kept in tests/golden/.

Each document is rendered from a small territory built in code (documents_data, plus a QPV and its
residents for NPNRU), at fixed dates, then read back as text: every paragraph and every table row
in the order of the page, headers and footers included (docread.document_lines). A change of
wording, figure or order fails here with the lines that differ.

To accept a deliberate change, regenerate the copies and review them before committing:
    CLAUSEXL_GOLDEN=update PYTHONPATH=src python -m pytest tests/test_golden_documents.py
    git diff tests/golden/
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import email
import os
from collections.abc import Callable
from email import policy
from pathlib import Path

import pytest

from clausexl.verbs.attestations import attestations
from clausexl.verbs.clause import clause
from clausexl.verbs.courriers import courriers
from clausexl.verbs.offres import offres
from docread import document_lines
from documents_data import PARAMS, ROWS
from workbooks import d, make_workbook

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CLAUSEXL_GOLDEN") == "update"


def _rows() -> dict[str, list[dict[str, object]]]:
    """The documents' territory, with a QPV, one of its residents working on the NPNRU market M2018-005
    (May and June) and another person on it whose June is missing."""
    rows = copy.deepcopy(ROWS)
    rows["T_QPV"] = [{"code": "QN05001M", "nom": "Les Provinces", "commune": "Cherbourg-en-Cotentin"}]
    person = {"sexe": "F", "date_naissance": d("1990-01-01"), "niveau_qualification": "3 (CAP, BEP)"}
    rows["T_Participants"] += [{**person, "id": "P4", "nom": "Diallo", "prenom": "Awa", "qpv": "QN05001M"},
                               {**person, "id": "P5", "nom": "Moreau", "prenom": "Eve"}]
    contract = {"marche": "M2018-005", "employeur": "E3", "modalite": "Embauche directe", "type_contrat": "CDD",
                "poste": "Peintre", "date_debut": d("2018-05-02")}
    rows["T_Contrats"] += [{**contract, "id": "C4", "participant": "P4"}, {**contract, "id": "C5", "participant": "P5"}]
    rows["T_Heures"] += [{"contrat": "C4", "mois": d("2018-05-01"), "heures_travaillees": 30},
                         {"contrat": "C4", "mois": d("2018-06-01"), "heures_travaillees": 40},
                         {"contrat": "C5", "mois": d("2018-05-01"), "heures_travaillees": 60}]
    return rows


def _eml_lines(path: Path) -> list[str]:
    """An e-mail as its reader sees it: recipient, subject, then the lines of its text."""
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content().replace("\u00a0", " ")
    return [f"À : {msg['To']}", f"Objet : {msg['Subject']}",
            *(line.rstrip() for line in text.splitlines() if line.strip())]


JUNE, JULY_3 = dt.date(2018, 6, 1), dt.date(2018, 7, 3)


def _clause(market: str, today: dt.date) -> Callable[[Path, Path], object]:
    return lambda w, o: clause(w, market, sortie=o, today=today)


def june_letters(w: Path, o: Path) -> object:
    return courriers(w, mois=JUNE, sortie=o, today=JULY_3)


def august_letters(w: Path, o: Path) -> object:
    """August: no contract of M2018-004 has its hours (a month written « d'août », two contracts named)."""
    return courriers(w, mois=dt.date(2018, 8, 1), sortie=o, today=dt.date(2018, 9, 3))


def buyers_bilans(w: Path, o: Path) -> object:
    return courriers(w, annee=2018, sortie=o, today=dt.date(2019, 1, 10))


def final_certificates(w: Path, o: Path) -> object:
    return attestations(w, marche="M2017-010", sortie=o, today=dt.date(2018, 2, 1))


def interim_certificates(w: Path, o: Path) -> object:
    return attestations(w, marche="M2018-004", sortie=o, today=JULY_3)


def offer(w: Path, o: Path) -> object:
    return offres(w, "O2018-006", sortie=o, today=dt.date(2018, 8, 1))


def fresh_workbook_letters(w: Path, o: Path) -> object:
    """A workbook as `clausexl init` leaves its Paramètres (no structure, name, address, phone, e-mail), where
    a contract of M2018-004 ended in May: no orphan « Tél. » nor « – », and « terminé le 31 mai 2018 »."""
    rows = _rows()
    rows["T_Contrats"].append({"id": "C7", "participant": "P5", "marche": "M2018-004", "employeur": "E1",
                               "modalite": "Embauche directe", "type_contrat": "CDD", "poste": "Peintre",
                               "date_debut": d("2018-05-02"), "date_fin": d("2018-05-31")})
    rows["T_Heures"].append({"contrat": "C7", "mois": d("2018-05-01"), "heures_travaillees": 45})
    return courriers(make_workbook(o, rows, {}, name="neuf.xlsx"), mois=JUNE, sortie=o, today=JULY_3)


#: golden copy → (the document's file name, what writes it into a folder from the workbook)
# One row per golden copy, alike by design (the duplicates tool lists two of them as a pair).
DOCUMENTS: dict[str, tuple[str, Callable[[Path, Path], object]]] = {
    "clause-condition-execution": ("Clause - M2018-004 - Ville de Cherbourg-en-Cotentin.docx",
                                   _clause("M2018-004", dt.date(2018, 2, 1))),
    "clause-npnru": ("Clause - M2018-005 - Presqu'île Habitat.docx", _clause("M2018-005", dt.date(2018, 2, 1))),
    "clause-critere-attribution": ("Clause - M2017-010 - Ville de Cherbourg-en-Cotentin.docx",
                                   _clause("M2017-010", dt.date(2016, 11, 2))),
    "clause-marche-reserve-siae": ("Clause - M2019-001 - Ville de Cherbourg-en-Cotentin.docx",
                                   _clause("M2019-001", dt.date(2018, 10, 1))),
    "clause-marche-reserve-ea-esat": ("Clause - M2019-002 - Presqu'île Habitat.docx",
                                      _clause("M2019-002", dt.date(2018, 10, 1))),
    "clause-marche-insertion": ("Clause - M2019-003 - Ville de Cherbourg-en-Cotentin.docx",
                                _clause("M2019-003", dt.date(2018, 10, 1))),
    "releve-mensuel": ("Relevé 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx", june_letters),
    "releve-mensuel-npnru": ("Relevé 2018-06 - M2018-005 - Nettoyage Plus.docx", june_letters),
    "releve-mensuel-classeur-neuf": ("Relevé 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx",
                                     fresh_workbook_letters),
    "relance-retard": ("Relance 2018-06 - M2018-004 - Bâtiment Dupont & Fils.docx", june_letters),
    "relance-heures-manquantes": ("Relance 2018-06 - M2018-005 - Nettoyage Plus.docx", june_letters),
    "relance-releve-aout": ("Relance 2018-08 - M2018-004 - Bâtiment Dupont & Fils.docx", august_letters),
    "attestation-finale-entreprise": ("Attestation - M2017-010 - Nettoyage Plus.docx", final_certificates),
    "attestation-finale-donneur-ordre": ("Attestation - M2017-010 - Ville de Cherbourg-en-Cotentin.docx",
                                         final_certificates),
    "attestation-intermediaire": ("Attestation - M2018-004 - Bâtiment Dupont & Fils.docx", interim_certificates),
    "offre-partenaire": ("Offre O2018-006 - Mission locale du Cotentin.docx", offer),
    "offre-courriel": ("Offre O2018-006 - Mission locale du Cotentin.eml", offer),
    "bilan-donneur-ordre": ("Bilan 2018 - Ville de Cherbourg-en-Cotentin.docx", buyers_bilans),
    "bilan-donneur-ordre-npnru": ("Bilan 2018 - Presqu'île Habitat.docx", buyers_bilans),
}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workbook(tmp_path_factory.mktemp("golden"), _rows(), PARAMS)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[object, Path]:
    """Each way of making documents run once (several golden copies come from one run)."""
    return {}


@pytest.mark.parametrize("golden", sorted(DOCUMENTS))
def test_document_text_is_the_golden_copy(golden: str, workbook: Path, rendered: dict[object, Path],
                                          tmp_path_factory: pytest.TempPathFactory) -> None:
    name, render = DOCUMENTS[golden]
    if render not in rendered:
        rendered[render] = tmp_path_factory.mktemp(golden)
        render(workbook, rendered[render])
    path = rendered[render] / name
    assert path.exists(), f"{name} n'a pas été écrit : {sorted(p.name for p in rendered[render].iterdir())}"
    lines = [f"# {name}", *(_eml_lines(path) if path.suffix == ".eml" else document_lines(path))]
    copy_path = GOLDEN / f"{golden}.txt"
    if UPDATE:
        copy_path.parent.mkdir(exist_ok=True)
        copy_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    assert copy_path.exists(), f"no golden copy {copy_path.name}: run with CLAUSEXL_GOLDEN=update (module docstring)"
    expected = copy_path.read_text(encoding="utf-8").splitlines()
    diff = "\n".join(difflib.unified_diff(expected, lines, "golden", "rendered", lineterm=""))
    assert lines == expected, f"{golden} differs from its golden copy:\n{diff}"
