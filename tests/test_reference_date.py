"""One reference date: `--au` in either French or ISO form, on every verb; the core reads no clock."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilan_fixture import territory
from clausexl.cli import main
from workbooks import d, make_workbook

CORE = Path(__file__).resolve().parent.parent / "src" / "clausexl" / "core"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_au_accepts_the_french_form(tmp_path):
    book = territory(tmp_path)
    french = json.loads(run("heures", book, "--au", "31/12/2018", "--json")[1])
    iso = json.loads(run("heures", book, "--au", "2018-12-31", "--json")[1])
    assert french == iso and french["au"] == "2018-12-31"


def test_valider_looks_from_its_reference_date(tmp_path):
    """A person of the pool checked on 01/03/2017: stale at 01/06/2019, not at 01/06/2018."""
    person = {"id": "P1", "nom": "Martin", "prenom": "Léa", "sexe": "F", "date_naissance": d("1990-01-01"),
              "niveau_qualification": "3 (CAP, BEP)", "statut": "Repéré", "date_eligibilite": d("2017-03-01")}
    book = make_workbook(tmp_path, {"T_Participants": [person]})

    def codes(au):
        out = json.loads(run("valider", book, "--au", au, "--json")[1])
        return [c for c in out["constats"] if c["code"] == "eligibilite-ancienne"]

    stale = codes("01/06/2019")
    assert len(stale) == 1 and "plus de 24 mois avant le 01/06/2019" in stale[0]["message"]
    assert codes("01/06/2018") == []


@pytest.mark.parametrize("verb", ["valider", "heures", "echeances", "bilan", "clause", "courriers", "attestations",
                                  "offres", "rapprocher", "anonymiser"])
def test_every_dated_verb_takes_au(verb):
    assert "--au" in run(verb, "--help")[1]


def test_the_core_reads_no_clock():
    """No module of the core asks the system for the date: verbs pass theirs."""
    clock = re.compile(r"\b(date|datetime)\.(today|now|utcnow)\(|\btime\.time\(")
    readers = [p.name for p in CORE.rglob("*.py") if clock.search(p.read_text(encoding="utf-8"))]
    assert readers == []
