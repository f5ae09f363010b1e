"""Personal data are declared once, in the schema; anonymiser, the right of access, the no-leak tests
and the RGPD documentation all follow that declaration."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from click.testing import CliRunner

from bad_workbooks import base_rows
from clausexl.cli import main
from clausexl.core import rgpd, schema
from clausexl.docs_tables import personal_markdown
from clausexl.verbs import extraire_personne
from workbooks import make_workbook

ROOT = Path(__file__).resolve().parents[1]
PARTICIPANT_TABLES = [t for t in schema.TABLES if schema.belongs_to_participant(t)]


def undeclared(tables) -> list[str]:
    """Columns of a participant's rows that say neither how they are anonymised nor why they are kept."""
    return [f"{t.name}.{c.key}" for t in tables for c in t.columns
            if c.personal is None or (c.personal is schema.Personal.KEPT and not c.kept_because.strip())]


def test_every_column_of_a_participants_rows_is_declared():
    """Each column of Participants, Contrats, Heures, Suivi, Candidatures is anonymised or kept for a reason."""
    assert {t.name for t in PARTICIPANT_TABLES} == {"T_Participants", "T_Contrats", "T_Heures", "T_Suivi",
                                                     "T_Candidatures"}
    assert undeclared(PARTICIPANT_TABLES) == []


def test_a_new_undeclared_column_is_caught():
    """Adding a column to T_Participants without a mark makes the check above fail."""
    table = schema.table("T_Participants")
    grown = dataclasses.replace(table, columns=(*table.columns, schema.Column("Situation familiale", "famille")))
    assert undeclared([grown]) == ["T_Participants.famille"]
    justified = dataclasses.replace(table, columns=(*table.columns, schema.Column(
        "Situation familiale", "famille", personal=schema.Personal.KEPT)))
    assert undeclared([justified]) == ["T_Participants.famille"]  # kept needs its reason written


def test_anonymiser_and_access_follow_the_marks():
    """What anonymiser changes and the tables extraire-personne reads come from the schema."""
    p = schema.table("T_Participants")
    assert rgpd.RENAMED == tuple(c.key for c in p.columns if c.personal is schema.Personal.PSEUDONYM) == ("nom", "prenom")
    assert rgpd.BIRTH == "date_naissance"
    assert rgpd.EMPTIED == {"T_Participants": ("adresse", "referent"), "T_Heures": ("commentaire",),
                            "T_Suivi": ("commentaire",), "T_Candidatures": ("commentaire",)}
    assert set(extraire_personne.NAMES) >= {t.name for t in PARTICIPANT_TABLES}


def test_rgpd_documentation_is_generated_from_the_marks():
    doc = (ROOT / "docs" / "fiabilite.md").read_text("utf-8")
    assert personal_markdown() in doc
    for t in PARTICIPANT_TABLES:
        for c in t.columns:
            assert f"| {t.sheet} | {c.header} |" in doc


def test_a_marked_column_is_really_erased(tmp_path: Path):
    """Every ERASED/PSEUDONYM/BIRTH_YEAR column of a participant's rows changes in the anonymised copy."""
    from clausexl.adapters.workbook_reader import read_classeur

    rows = base_rows()
    rows["T_Heures"][0]["commentaire"] = "Arrêt maladie"
    rows["T_Suivi"] = [{"participant": "P001", "echeance": schema.ECHEANCES[0], "date": rows["T_Contrats"][0]["date_fin"],
                        "situation": next(iter(schema.SITUATIONS)), "commentaire": "Déménage chez sa sœur"}]
    source = make_workbook(tmp_path, rows)
    copy = tmp_path / "copie.xlsx"
    result = CliRunner().invoke(main, ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01"])
    assert result.exit_code == 0, result.stderr
    before, after = read_classeur(source), read_classeur(copy)
    for t in PARTICIPANT_TABLES:
        for c in t.columns:
            if c.personal in (schema.Personal.ERASED, schema.Personal.PSEUDONYM, schema.Personal.BIRTH_YEAR):
                old, new = list(before[t.name][c.key]), list(after[t.name][c.key])
                changed = [o for o, n in zip(old, new) if o is not None and o == o and o == n]
                assert changed == [], (t.name, c.key, changed)
