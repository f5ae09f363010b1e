"""installer-excel writes this PC's Python into an xlwings.conf file, never into the workbook."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwings
from click.testing import CliRunner

from clausexl.adapters.vba_version import workbook_xlwings_version
from clausexl.cli import main
from clausexl.core.errors import InvalidOption, OutputExists, WorkbookUnreadable
from clausexl.verbs.installer_excel import installer_excel, read_conf, verifier

PYTHON_WIN = r"C:\Users\Hélène\AppData\Local\Programs\Python\Python311\python.exe"


@pytest.fixture()
def classeur(tmp_path: Path) -> Path:
    path = tmp_path / "clauses.xlsm"
    path.write_bytes(b"PK\x03\x04 stand-in: only the path is used")
    return path


def test_writes_the_windows_interpreter_beside_the_workbook(classeur: Path) -> None:
    """On Windows: one `"INTERPRETER_WIN","…"` line in xlwings.conf beside the workbook, ANSI-encoded."""
    before = classeur.read_bytes()
    done = installer_excel(classeur, platform="win32", interpreter=PYTHON_WIN)
    conf = classeur.parent / "xlwings.conf"
    assert (done.path, done.key, done.changed) == (conf, "INTERPRETER_WIN", True)
    assert conf.read_bytes() == f'"INTERPRETER_WIN","{PYTHON_WIN}"\r\n'.encode("cp1252")
    assert classeur.read_bytes() == before


def test_macos_key_and_user_file(classeur: Path, tmp_path: Path) -> None:
    """On macOS the key is INTERPRETER_MAC; --utilisateur writes the user's file in Excel's container."""
    home = tmp_path / "home"
    done = installer_excel(classeur, utilisateur=True, platform="darwin", interpreter="/usr/local/bin/python3",
                           home=home)
    expected = home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    assert done.path == expected
    assert read_conf(expected, "utf-8") == {"INTERPRETER_MAC": "/usr/local/bin/python3"}
    assert not (classeur.parent / "xlwings.conf").exists()


def test_windows_user_file_keeps_other_settings(classeur: Path, tmp_path: Path) -> None:
    """The user's %USERPROFILE%\\.xlwings\\xlwings.conf keeps its other lines; ours is added."""
    home = tmp_path / "home"
    user = home / ".xlwings" / "xlwings.conf"
    user.parent.mkdir(parents=True)
    user.write_bytes(b'"LICENSE_KEY","abc"\r\n"SHOW CONSOLE","False"\r\n')
    installer_excel(classeur, utilisateur=True, platform="win32", interpreter=PYTHON_WIN, home=home)
    assert read_conf(user, "cp1252") == {"LICENSE_KEY": "abc", "SHOW CONSOLE": "False", "INTERPRETER_WIN": PYTHON_WIN}


def test_another_python_is_replaced_only_with_force(classeur: Path) -> None:
    """A different interpreter already set stops without --force; the same one is left as is."""
    conf = classeur.parent / "xlwings.conf"
    conf.write_bytes(b'"INTERPRETER_WIN","C:\\Python39\\python.exe"\r\n')
    with pytest.raises(OutputExists, match=r"désigne déjà un autre Python \(C:\\Python39\\python.exe\)"):
        installer_excel(classeur, platform="win32", interpreter=PYTHON_WIN)
    assert read_conf(conf, "cp1252") == {"INTERPRETER_WIN": "C:\\Python39\\python.exe"}
    assert installer_excel(classeur, force=True, platform="win32", interpreter=PYTHON_WIN).changed
    assert read_conf(conf, "cp1252") == {"INTERPRETER_WIN": PYTHON_WIN}
    assert not installer_excel(classeur, platform="win32", interpreter=PYTHON_WIN).changed


def test_refuses_without_excel_or_workbook(classeur: Path, tmp_path: Path) -> None:
    """On Linux, or for a missing workbook, one French sentence and nothing written."""
    with pytest.raises(InvalidOption, match="Excel n'existe pas sur ce système"):
        installer_excel(classeur, platform="linux", interpreter="/usr/bin/python3")
    with pytest.raises(WorkbookUnreadable, match="n'existe pas"):
        installer_excel(tmp_path / "absent.xlsm", platform="win32", interpreter=PYTHON_WIN)
    assert not (tmp_path / "xlwings.conf").exists()


def test_cli_on_this_system(classeur: Path) -> None:
    """The command exits 2 with the French sentence on Linux (no Excel), 0 elsewhere."""
    out = CliRunner().invoke(main, ["installer-excel", str(classeur)])
    if sys.platform in ("win32", "darwin"):
        assert out.exit_code == 0 and sys.executable in out.stdout
    else:
        assert out.exit_code == 2 and "Excel n'existe pas sur ce système" in out.stderr
        assert "Traceback" not in out.stderr


def test_other_settings_with_quotes_are_kept_byte_for_byte(classeur: Path) -> None:
    """--force rewrites only our line: another setting holding a quote or a comma is not re-quoted."""
    conf = classeur.parent / "xlwings.conf"
    others = b'"LICENSE_KEY","ab"c"\r\n"PYTHONPATH","C:\\a,b;C:\\\'x\'"\r\n'
    conf.write_bytes(others + b'"INTERPRETER_WIN","C:\\Python39\\python.exe"\r\n')
    installer_excel(classeur, force=True, platform="win32", interpreter=PYTHON_WIN)
    assert conf.read_bytes() == others + f'"INTERPRETER_WIN","{PYTHON_WIN}"\r\n'.encode("cp1252")


# --- macOS (simulated on Linux), the checklist -----------------------------------------------------

PYTHON_MAC = "/Library/Frameworks/Python.framework/Versions/3.12/bin/python3"
ROOT = Path(__file__).resolve().parents[1]


def test_macos_writes_the_users_own_file_by_default(classeur: Path, tmp_path: Path) -> None:
    """Excel for Mac is sandboxed: without option, the user's file in Excel's container, nothing beside."""
    home = tmp_path / "home"
    done = installer_excel(classeur, platform="darwin", interpreter=PYTHON_MAC, home=home)
    assert done.path == home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    assert read_conf(done.path, "utf-8") == {"INTERPRETER_MAC": PYTHON_MAC}
    assert not (classeur.parent / "xlwings.conf").exists()
    beside = installer_excel(classeur, utilisateur=False, platform="darwin", interpreter=PYTHON_MAC, home=home)
    assert beside.path == classeur.parent / "xlwings.conf"


def test_macos_refuses_an_interpreter_path_with_a_space(classeur: Path, tmp_path: Path) -> None:
    """xlwings' AppleScript call breaks on a space: one sentence with the fix, nothing written."""
    home = tmp_path / "home"
    with pytest.raises(InvalidOption) as refused:
        installer_excel(classeur, platform="darwin", interpreter="/Users/Marie Dupont/venv/bin/python", home=home)
    assert str(refused.value) == (
        "Le chemin de Python « /Users/Marie Dupont/venv/bin/python » contient une espace, qu'Excel pour Mac ne "
        "sait pas passer à Python : installez Python depuis python.org (dans /Library/Frameworks, sans espace) ou "
        "créez l'environnement dans un dossier sans espace, puis relancez cette commande avec ce Python.")
    assert not home.exists() and not (classeur.parent / "xlwings.conf").exists()
    spaced = r"C:\Program Files\Python312\python.exe"  # Windows quotes the path: a space is fine there
    assert installer_excel(classeur, platform="win32", interpreter=spaced).interpreter == spaced


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    """A copy of the committed workbook (its xlwings module is the pinned version)."""
    return Path(shutil.copy(ROOT / "workbook" / "clauses.xlsm", tmp_path / "clauses.xlsm"))


def test_checklist_when_everything_is_in_place(workbook: Path, tmp_path: Path) -> None:
    """Installed on a Mac: configuration, Python with clausexl, same xlwings as the workbook, writable folder."""
    home = tmp_path / "home"
    installer_excel(workbook, platform="darwin", interpreter=PYTHON_MAC, home=home)
    asked: list[list[str]] = []

    def run(command: list[str]) -> str:
        asked.append(command)
        return f"{xlwings.__version__}\n"

    checks = verifier(workbook, platform="darwin", interpreter="/autre/python", home=home, run=run)
    assert [c.ok for c in checks] == [True, True, True, True]
    assert asked[0][0] == PYTHON_MAC  # the Python Excel will start, not the one running the check
    assert checks[2].text == f"Version d'xlwings : {xlwings.__version__} pour Python, {xlwings.__version__} dans le classeur"


def test_checklist_says_what_to_do(workbook: Path, tmp_path: Path) -> None:
    """No configuration yet, another xlwings, a Python that does not start: each line gives its fix."""
    checks = verifier(workbook, platform="win32", interpreter=PYTHON_WIN, home=tmp_path, run=lambda c: "0.30.0\n")
    assert [c.ok for c in checks] == [False, True, False, True]
    assert checks[0].fix == "lancez « clausexl installer-excel » sans --verifier"
    assert checks[2].fix.startswith(f"« {PYTHON_WIN} -m pip install xlwings=={xlwings.__version__} »")

    def broken(command: list[str]) -> str:
        raise subprocess.CalledProcessError(1, command)

    checks = verifier(workbook, platform="win32", interpreter=PYTHON_WIN, home=tmp_path, run=broken)
    assert [c.ok for c in checks] == [False, False, False, True]
    assert checks[1].fix == f"vérifiez le chemin, puis « {PYTHON_WIN} -m pip install clausexl »"
    assert checks[2].text == f"Version d'xlwings : inconnue pour Python, {xlwings.__version__} dans le classeur"


def test_cli_verifier_prints_the_checklist_and_writes_nothing(workbook: Path) -> None:
    """`--verifier` on this PC: the French checklist; exit 1 while the configuration is missing."""
    out = subprocess.run([sys.executable, "-m", "clausexl", "installer-excel", str(workbook), "--verifier"],
                         capture_output=True, text=True)
    lines = out.stdout.splitlines()
    assert out.returncode == 1, out.stderr
    assert lines[0] == "Vérifications :"
    assert lines[1].startswith("  [À FAIRE] Fichier de configuration : ")
    assert lines[2] == f"  [OK] Python trouvé et clausexl importable : {sys.executable}"
    assert lines[3] == f"  [OK] Version d'xlwings : {xlwings.__version__} pour Python, {xlwings.__version__} dans le classeur"
    assert lines[4] == f"  [OK] Dossier du classeur accessible en écriture (sorties, journal) : {workbook.parent}"
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["clauses.xlsm"]


def test_the_workbook_xlwings_version_is_read_from_its_vba_project(tmp_path: Path) -> None:
    """Our built workbook and xlwings' own Excel-saved one (with a performance cache); none without VBA."""
    assert workbook_xlwings_version(ROOT / "workbook" / "clauses.xlsm") == xlwings.__version__
    standalone = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    assert workbook_xlwings_version(standalone) == xlwings.__version__
    plain = tmp_path / "sans macros.xlsx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    assert workbook_xlwings_version(plain) is None
