"""Every verb that writes, as one table of CLI calls, and a disk that fills up half-way.

`WRITERS` maps a case name to a function `(inputs, workbook, out) -> argv` that prepares what the
verb reads besides the workbook (a DECP file, a funders' workbook) in `inputs` and writes only
into the folder `out`. `full_disk` makes every write into a folder fail once a byte budget is
spent, whatever library does the writing (zipfile, XlsxWriter, os.fdopen, Path.write_bytes).
"""

from __future__ import annotations

import builtins
import copy
import errno
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausexl.cli import main
from documents_data import PARAMS, ROWS
from workbooks import d, make_workbook

Argv = Callable[[Path, Path, Path], list[str]]


def pool_rows(rows: dict | None = None) -> dict:
    """The documents' territory plus one candidate in the pool, so `rapprocher` ranks a person."""
    rows = copy.deepcopy(rows or ROWS)
    rows["T_Participants"].append(
        {"id": "P4", "nom": "Moreau", "prenom": "Denis", "sexe": "H", "date_naissance": d("1987-11-03"),
         "adresse": "12 impasse des Lilas", "niveau_qualification": "3 (CAP, BEP)", "rsa": True, "aah": True,
         "statut": "Orienté", "metiers": "F1703", "date_eligibilite": d("2018-03-01"), "referent": "Mme Hamon"})
    return rows


def workbook(folder: Path, rows: dict | None = None, params: dict | None = None) -> Path:
    """The fixture workbook every case reads."""
    folder.mkdir(parents=True, exist_ok=True)
    return make_workbook(folder, pool_rows(rows), {**PARAMS, **(params or {})})


#: Text that a spreadsheet would run as a formula, and template code typed into cells.
FORMULA = "=HYPERLINK(\"http://exemple.invalid\",\"clic\")"
JINJA_EXPR = "{{ 7*7 }}"
JINJA_LOOP = "{% for x in range(3) %}{{ x }}{% endfor %}"


def dangerous_rows() -> tuple[dict, dict]:
    """Rows and parameters whose text, flowing into every output, starts with =, +, -, @ or holds Jinja2."""
    rows = pool_rows()
    by_id = {t: {r.get("id"): r for r in rows[t]} for t in rows}
    by_id["T_DonneursOrdre"]["D1"].update(nom="@Ville " + JINJA_EXPR, contact="-Service achats")
    by_id["T_Entreprises"]["E1"].update(raison_sociale="-Dupont " + JINJA_EXPR, contact="+33 2 33 00 00 00")
    by_id["T_Entreprises"]["E3"].update(raison_sociale="=1+1 Nettoyage", contact=JINJA_LOOP)
    by_id["T_Marches"]["M2018-004"].update(objet=FORMULA, lot=JINJA_LOOP, referent="@Paul")
    by_id["T_Marches"]["M2018-005"].update(objet="+Provinces " + JINJA_EXPR)
    by_id["T_Marches"]["M2017-010"].update(objet="@SUM(1+1)", avis=JINJA_LOOP + " " + JINJA_EXPR)
    by_id["T_Offres"]["O2018-006"].update(poste="=1+1 Maçon", profil=JINJA_LOOP, lieu="@Cherbourg")
    by_id["T_Partenaires"]["PA1"].update(nom="-Mission locale " + JINJA_EXPR, contact="=Julie")
    by_id["T_Participants"]["P3"].update(nom="=1+1", prenom="-Chloé")
    by_id["T_Participants"]["P4"].update(nom="@Moreau", prenom="+Denis " + JINJA_EXPR)
    return rows, {"structure": "=MEF " + JINJA_EXPR, "facilitateur": JINJA_LOOP, "territoire": "+Cotentin"}


def decp_file(inputs: Path) -> Path:
    """A one-market DECP file: a market with a clause the workbook does not follow."""
    record = {"id": "2018-DECP-1", "acheteur": {"id": "21500129300014"}, "nature": "Marché",
              "objet": "=HYPERLINK(\"http://exemple.invalid\",\"clic\")", "codeCPV": "45233140-2",
              "procedure": "Appel d'offres ouvert", "lieuExecution": {"code": "50100", "typeCode": "Code postal"},
              "dureeMois": 12, "dateNotification": "2018-03-01", "montant": 500000,
              "titulaires": [{"id": "73282932000074", "typeIdentifiant": "SIRET"}],
              "considerationsSociales": ["Clause sociale"]}
    path = inputs / "decp.json"
    path.write_text(json.dumps({"marches": {"marche": [record]}}, ensure_ascii=False), encoding="utf-8")
    return path


def bilan_file(inputs: Path, source: Path) -> Path:
    """The workbook's 2018 funders' workbook, the input of `consolider`."""
    path = inputs / "bilan.xlsx"
    if path.exists():
        return path
    result = CliRunner().invoke(main, ["bilan", str(source), "--annee", "2018", "--sortie", str(path)])
    assert result.exit_code in (0, 1), result.stderr
    return path


WRITERS: dict[str, Argv] = {
    "clause": lambda i, w, o: ["clause", str(w), "--marche", "M2018-004", "--sortie", str(o)],
    "courriers --mois": lambda i, w, o: ["courriers", str(w), "--mois", "2018-06", "--sortie", str(o)],
    "courriers --annee": lambda i, w, o: ["courriers", str(w), "--annee", "2018", "--sortie", str(o)],
    "attestations": lambda i, w, o: ["attestations", str(w), "--sortie", str(o)],
    "offres": lambda i, w, o: ["offres", str(w), "--offre", "O2018-006", "--au", "2018-07-03", "--sortie", str(o)],
    "echeances": lambda i, w, o: ["echeances", str(w), "--au", "2018-12-31", "--sortie", str(o / "À faire.xlsx")],
    "rapprocher": lambda i, w, o: ["rapprocher", str(w), "--offre", "O2018-006", "--au", "2018-08-01",
                                   "--sortie", str(o / "Candidats.xlsx")],
    "reperer": lambda i, w, o: ["reperer", str(decp_file(i)), "--classeur", str(w), "--departement", "50",
                                "--sortie", str(o / "Repérage.xlsx")],
    "consolider": lambda i, w, o: ["consolider", str(bilan_file(i, w)), str(bilan_file(i, w)),
                                   "--sortie", str(o / "Réseau.xlsx")],
    "bilan": lambda i, w, o: ["bilan", str(w), "--annee", "2018", "--sortie", str(o / "Bilan.xlsx")],
    "init": lambda i, w, o: ["init", str(o / "nouveau.xlsm")],
}

#: Verbs whose output is a workbook built from workbook (or DECP) text.
WORKBOOK_OUTPUTS = ("echeances", "rapprocher", "reperer", "consolider", "bilan")

#: Verbs whose outputs are .docx (and .eml) documents.
DOCUMENT_OUTPUTS = ("clause", "courriers --mois", "courriers --annee", "attestations", "offres")


def run(case: str, tmp_path: Path, rows: dict | None = None, *extra: str, params: dict | None = None):
    """Run `case` on a fresh workbook; the outputs go to `tmp_path / "sorties"` (returned with the result)."""
    inputs = tmp_path / "entrees"
    source = workbook(inputs, rows, params)
    out = tmp_path / "sorties"
    argv = WRITERS[case](inputs, source, out)
    return CliRunner().invoke(main, [*argv, *extra]), out


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included) with its bytes."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Budget:
    """Bytes still allowed into the watched folder before the "disk" is full."""

    def __init__(self, folder: Path, limit: float, error: OSError) -> None:
        self.folder, self.limit, self.error, self.written = folder.resolve(), limit, error, 0
        self.failed = False

    def watches(self, file: object) -> bool:
        if isinstance(file, int):
            try:
                file = os.readlink(f"/proc/self/fd/{file}")
            except OSError:
                return False
        try:
            return Path(os.fspath(file)).resolve().is_relative_to(self.folder)  # type: ignore[call-overload]
        except TypeError:
            return False


class _LimitedFile:
    """A file object whose writes fail once the budget is spent."""

    def __init__(self, inner, budget: _Budget) -> None:
        self._inner, self._budget = inner, budget

    def write(self, data):
        room = int(self._budget.limit - self._budget.written)
        if len(data) > room:  # like a real disk: what fits is written, then the error
            self._inner.write(data[:max(room, 0)])
            self._budget.written += max(room, 0)
            self._budget.failed = True
            raise self._budget.error
        self._budget.written += len(data)
        return self._inner.write(data)

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._inner.__exit__(*exc)

    def __iter__(self):
        return iter(self._inner)


def full_disk(monkeypatch: pytest.MonkeyPatch, folder: Path, limit: float,
              error: OSError | None = None) -> _Budget:
    """From now on, writes into `folder` raise `error` (disk full by default) after `limit` bytes."""
    budget = _Budget(folder, limit, error or OSError(errno.ENOSPC, "No space left on device"))
    real = io.open

    def guarded(file, mode="r", *args, **kwargs):
        handle = real(file, mode, *args, **kwargs)
        if any(m in mode for m in "wax+") and budget.watches(file):
            return _LimitedFile(handle, budget)
        return handle

    monkeypatch.setattr(io, "open", guarded)
    monkeypatch.setattr(builtins, "open", guarded)
    return budget
