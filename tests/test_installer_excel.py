"""installer-excel writes this PC's Python into an xlwings.conf file, never into the workbook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from clausexl.core.errors import InvalidOption, OutputExists, WorkbookUnreadable
from clausexl.verbs.installer_excel import installer_excel, read_conf

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
    out = subprocess.run([sys.executable, "-m", "clausexl", "installer-excel", str(classeur)],
                         capture_output=True, text=True)
    if sys.platform in ("win32", "darwin"):
        assert out.returncode == 0 and sys.executable in out.stdout
    else:
        assert out.returncode == 2 and "Excel n'existe pas sur ce système" in out.stderr
        assert "Traceback" not in out.stderr


def test_other_settings_with_quotes_are_kept_byte_for_byte(classeur: Path) -> None:
    """--force rewrites only our line: another setting holding a quote or a comma is not re-quoted."""
    conf = classeur.parent / "xlwings.conf"
    others = b'"LICENSE_KEY","ab"c"\r\n"PYTHONPATH","C:\\a,b;C:\\\'x\'"\r\n'
    conf.write_bytes(others + b'"INTERPRETER_WIN","C:\\Python39\\python.exe"\r\n')
    installer_excel(classeur, force=True, platform="win32", interpreter=PYTHON_WIN)
    assert conf.read_bytes() == others + f'"INTERPRETER_WIN","{PYTHON_WIN}"\r\n'.encode("cp1252")
