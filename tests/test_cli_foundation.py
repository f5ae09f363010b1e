"""The command line: exit codes 0/1/2, JSON shape of valider, French errors without traceback.

The verbs run in this process (click's runner): what is tested is the command, not the interpreter's
start-up; one test runs `python -m clausexl` as a real process, for the entry point itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from clausexl.cli import main
from test_validation import BASE, with_change
from workbooks import make_workbook


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process, its outcome shaped like a finished process's."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(["clausexl", *args], result.exit_code, result.stdout, result.stderr)


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clausexl", *args], capture_output=True, text=True)


def test_valider_clean_workbook_exits_0(tmp_path):
    """A workbook without errors exits 0 and says so."""
    out = run("valider", str(make_workbook(tmp_path, BASE)))
    assert out.returncode == 0, out.stderr
    assert "aucune erreur" in out.stdout


def test_valider_json_shape_and_exit_1(tmp_path):
    """Errors give exit 1 and the JSON object of docs/cli.md, keys and types exactly."""
    path = make_workbook(tmp_path, with_change("T_Contrats", 0, marche="M2018-099"))
    out = run("valider", str(path), "--json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert set(data) == {"erreurs", "avertissements", "constats"}
    assert data["erreurs"] == 1 and data["avertissements"] == 0
    assert data["constats"] == [{
        "code": "reference-inconnue", "gravite": "erreur", "feuille": "Contrats", "ligne": 2,
        "colonne": "Marché", "valeur": "M2018-099",
        "message": "Le marché « M2018-099 » n'existe pas dans la feuille Marchés.",
    }]


def test_valider_rapport_links_to_cells_and_refuses_overwrite(tmp_path):
    """--rapport writes a new workbook with one row per finding; a second run without --force exits 2."""
    path = make_workbook(tmp_path, with_change("T_Heures", 0, heures_travaillees=-3))
    report = tmp_path / "controles.xlsx"
    assert run("valider", str(path), "--rapport", str(report)).returncode == 1
    sheet = openpyxl.load_workbook(report).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Feuille"))
    assert rows[header + 1][:5] == ("Heures", 2, "Heures travaillées", "heures-negatives", "erreur")
    assert sheet.cell(header + 2, 8).hyperlink is not None
    again = run("valider", str(path), "--rapport", str(report))
    assert again.returncode == 2 and "existe déjà" in again.stderr and "--force" in again.stderr
    assert run("valider", str(path), "--rapport", str(report), "--force").returncode == 1


def test_valider_rapport_links_are_relative_to_the_report(tmp_path):
    """The links follow the workbook when both files are moved together (here, into another folder)."""
    path = make_workbook(tmp_path / "suivi", with_change("T_Heures", 0, heures_travaillees=-3))
    report = tmp_path / "suivi" / "rapports" / "Contrôles.xlsx"
    report.parent.mkdir()
    assert run("valider", str(path), "--rapport", str(report)).returncode == 1
    moved = tmp_path / "ailleurs"
    (tmp_path / "suivi").rename(moved)
    sheet = openpyxl.load_workbook(moved / "rapports" / "Contrôles.xlsx").active
    links = [c.hyperlink for row in sheet.iter_rows() for c in row if c.hyperlink is not None]
    assert links
    for link in links:
        assert link.target.replace("\\", "/") == f"../{path.name}"
        assert link.location.startswith("'Heures'!")
        assert (moved / "rapports" / link.target.replace("\\", "/")).resolve() == (moved / path.name).resolve()
    assert not any(str(tmp_path) in link.target for link in links)


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda p: p / "absent.xlsm", "n'existe pas"),
        (lambda p: p, "est un dossier"),
        (lambda p: _write(p / "vieux.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "ancien classeur .xls"),
        (lambda p: _write(p / "calc.ods", b"PK\x03\x04"), "classeur OpenDocument .ods"),
        (lambda p: _write(p / "vide.xlsx", b""), "est vide"),
        (lambda p: _write(p / "casse.xlsx", b"PK\x03\x04 pas un zip"), "endommagé"),
        (lambda p: _write(p / "protege.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le")),
         "protégé par un mot de passe"),
    ],
    ids=["absent", "dossier", "xls", "ods", "vide", "corrompu", "mot-de-passe"],
)
def test_unreadable_files_exit_2_with_one_french_sentence(tmp_path, setup, expected):
    """Every way a file cannot be read gives exit 2, one French sentence on stderr, no traceback."""
    out = run("valider", str(setup(tmp_path)))
    assert out.returncode == 2
    assert expected in out.stderr
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1


def test_missing_required_column_names_sheet_and_column(tmp_path):
    """A table without a required column cannot be read: the sheet and the header are named."""
    path = make_workbook(tmp_path, BASE)
    book = openpyxl.load_workbook(path)
    sheet = book["Marchés"]
    sheet.cell(1, 4).value = "Intitulé"
    sheet.tables["T_Marches"].tableColumns[3].name = "Intitulé"
    book.save(path)
    out = run("valider", str(path))
    assert out.returncode == 2
    assert "« Marchés »" in out.stderr and "« Objet »" in out.stderr


def test_debug_shows_the_traceback(tmp_path):
    """--debug adds the traceback to the French sentence (a real `python -m clausexl` process)."""
    out = run_process("valider", str(tmp_path / "absent.xlsm"), "--debug")
    assert out.returncode == 2 and "Traceback" in out.stderr and "n'existe pas" in out.stderr


def test_init_creates_a_valid_workbook_and_never_overwrites(tmp_path):
    """init writes the template, which validates cleanly; a second init on the same path exits 2."""
    target = tmp_path / "nouveau.xlsm"
    assert run("init", str(target)).returncode == 0
    assert run("valider", str(target)).returncode == 0
    before = target.read_bytes()
    again = run("init", str(target))
    assert again.returncode == 2 and target.read_bytes() == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_process_ends_with_the_verbs_status_and_everything_it_printed(tmp_path):
    """`python -m clausexl` ends without freeing each object (cli.run): the verb's exit status, its whole
    output through a pipe, the exit functions run (a library's registered clean-up), `sys.exit("…")`'s text."""
    path = make_workbook(tmp_path, with_change("T_Contrats", 0, marche="M2018-099"))
    out = run_process("valider", str(path), "--json")
    assert out.returncode == 1 and json.loads(out.stdout)["erreurs"] == 1
    assert run_process("valider", str(tmp_path / "absent.xlsm")).returncode == 2
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print('nettoyé', flush=True))\n"
             "import clausexl.cli as cli\n"
             "sys.argv = ['clausexl', '--version']\n"
             "cli.run()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stdout.split()) == (0, ["clausexl", __import__("clausexl").__version__, "nettoyé"])
    probe = "import sys\nimport clausexl.cli as cli\ncli.main = lambda: sys.exit('Arrêt demandé')\ncli.run()\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (1, "Arrêt demandé\n")
