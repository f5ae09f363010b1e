"""installer-excel: tell the workbook's xlwings module which Python of this PC runs the buttons.

The interpreter path differs per PC, so it never goes into the workbook (whose `xlwings.conf`
sheet holds only what is the same everywhere): it goes into the `xlwings.conf` file beside the
workbook, or into the user's own `xlwings.conf`, which xlwings reads after the sheet. The file
format is the one the xlwings VBA module reads with `Input #`: one `"KEY","VALUE"` line per
setting; other settings already in the file are kept.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..adapters.output import write_atomic
from ..adapters.vba_version import workbook_xlwings_version
from ..adapters.workbook_reader import check_path
from ..core.errors import InvalidOption, OutputExists

CONF_NAME = "xlwings.conf"
KEYS = {"win32": "INTERPRETER_WIN", "darwin": "INTERPRETER_MAC"}


@dataclass(frozen=True)
class Installation:
    """What was done: the file, the setting, the interpreter, and whether the file changed."""

    path: Path
    key: str
    interpreter: str
    changed: bool


@dataclass(frozen=True)
class Check:
    """One line of the checklist: what was checked, whether it holds, what to do otherwise."""

    ok: bool
    text: str
    fix: str = ""


def installer_excel(
    classeur: Path,
    utilisateur: bool | None = None,
    force: bool = False,
    *,
    platform: str = sys.platform,
    interpreter: str = sys.executable,
    home: Path | None = None,
) -> Installation:
    """Write this PC's Python (`interpreter`) into the xlwings.conf file the workbook will read.

    `utilisateur` None is the platform's default: the user's own file on macOS (Excel runs
    sandboxed there, and a file beside the workbook may be unreadable or prompt for access), the
    file beside the workbook on Windows.
    """
    key = KEYS.get(platform)
    if key is None:
        raise InvalidOption(
            "clausexl installer-excel se lance sur le PC Windows ou Mac où Excel ouvre le classeur : "
            "Excel n'existe pas sur ce système."
        )
    if '"' in interpreter:
        raise InvalidOption(f"Le chemin de Python « {interpreter} » contient un guillemet : "
                            "xlwings ne sait pas le lire.")
    if platform == "darwin" and " " in interpreter:
        raise InvalidOption(
            f"Le chemin de Python « {interpreter} » contient une espace, qu'Excel pour Mac ne sait pas passer à "
            "Python : installez Python depuis python.org (dans /Library/Frameworks, sans espace) ou créez "
            "l'environnement dans un dossier sans espace, puis relancez cette commande avec ce Python."
        )
    classeur = Path(classeur)
    check_path(classeur)
    if utilisateur is None:
        utilisateur = platform == "darwin"
    path = conf_path(classeur, utilisateur, platform, home)
    encoding = file_encoding(platform)
    settings = read_conf(path, encoding) if path.exists() else {}
    current = next((v for k, v in settings.items() if k.upper() == key), None)
    if current == interpreter:
        return Installation(path, key, interpreter, changed=False)
    if current is not None and not force:
        raise OutputExists(
            f"Le fichier « {path} » désigne déjà un autre Python ({current}) : ajoutez --force pour le "
            f"remplacer par {interpreter}."
        )
    text = path.read_bytes().decode(encoding, errors="replace") if path.exists() else ""
    write_atomic(path, lambda tmp: tmp.write_bytes(with_setting(text, key, interpreter).encode(encoding)),
                 force=True)
    return Installation(path, key, interpreter, changed=True)


def conf_path(classeur: Path, utilisateur: bool, platform: str, home: Path | None = None) -> Path:
    """The xlwings.conf file written: the user's own, or the one beside the workbook."""
    if utilisateur:
        return user_conf_path(platform, home or Path.home())
    return Path(classeur).resolve().parent / CONF_NAME


def verifier(classeur: Path, utilisateur: bool | None = None, *, platform: str = sys.platform,
             interpreter: str = sys.executable, home: Path | None = None,
             run: Callable[[list[str]], str] | None = None) -> list[Check]:
    """What can be checked on this PC before the first click, as a checklist (nothing is written).

    The Python in the xlwings.conf file Excel reads (else this one) must start and import clausexl;
    its xlwings must be the version of the workbook's xlwings module; the workbook's folder must
    accept new files (outputs, log). `run` runs a command and returns its output (tests replace it).
    """
    classeur = Path(classeur)
    check_path(classeur)
    if utilisateur is None:
        utilisateur = platform == "darwin"
    key = KEYS.get(platform, "INTERPRETER_WIN")
    path = conf_path(classeur, utilisateur, platform, home)
    written = read_conf(path, file_encoding(platform)).get(key) if path.exists() else None
    python = written or interpreter
    checks = [Check(written is not None, f"Fichier de configuration : {path} ({key} = {written})" if written else
                    f"Fichier de configuration : {path} n'indique pas de Python",
                    "lancez « clausexl installer-excel » sans --verifier")]
    version = _python_xlwings(python, run or _run)
    checks.append(Check(version is not None, f"Python trouvé et clausexl importable : {python}",
                        f"vérifiez le chemin, puis « {python} -m pip install clausexl »"))
    expected = workbook_xlwings_version(classeur)
    if expected is None:
        checks.append(Check(False, f"Module xlwings du classeur : absent de « {classeur.name} »",
                            "reprenez un classeur créé par « clausexl init »"))
    else:
        same = version == expected
        checks.append(Check(same, f"Version d'xlwings : {version or 'inconnue'} pour Python, {expected} "
                            "dans le classeur",
                            f"« {python} -m pip install xlwings=={expected} », ou le classeur qui accompagne "
                            "votre version de clausexl"))
    checks.append(Check(_writable(classeur.resolve().parent), f"Dossier du classeur accessible en écriture "
                        f"(sorties, journal) : {classeur.resolve().parent}",
                        "déplacez le classeur dans un dossier à vous (par exemple Documents)"))
    return checks


def _python_xlwings(python: str, run: Callable[[list[str]], str]) -> str | None:
    """The xlwings version of `python` when it starts and imports clausexl, else None."""
    try:
        out = run([python, "-c", "import clausexl, xlwings; print(xlwings.__version__)"])
    except (OSError, subprocess.SubprocessError):
        return None
    return out.strip().splitlines()[-1] if out.strip() else None


def _run(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


def _writable(folder: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".clausexl-essai-"):
            return True
    except OSError:
        return False


def user_conf_path(platform: str, home: Path) -> Path:
    """The user's own xlwings.conf, where the xlwings VBA module looks for it (GetConfigFilePath)."""
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / CONF_NAME
    return home / ".xlwings" / CONF_NAME


def file_encoding(platform: str) -> str:
    """VBA reads text files in the ANSI code page on Windows (cp1252 on a French PC)."""
    if platform == "win32":
        try:
            "".encode("mbcs")
            return "mbcs"
        except LookupError:
            return "cp1252"
    return "utf-8"


def read_conf(path: Path, encoding: str) -> dict[str, str]:
    """The settings of an xlwings.conf file (lines `"KEY","VALUE"`), in file order."""
    text = path.read_bytes().decode(encoding, errors="replace")
    return {row[0]: row[1] if len(row) > 1 else "" for row in csv.reader(io.StringIO(text)) if row}


def with_setting(text: str, key: str, value: str) -> str:
    """The conf file's text with `key` set to `value`: every other line is kept exactly as it was
    (a value holding a quote or a comma is not re-quoted, so xlwings reads it as before)."""
    kept = [line for line in text.splitlines() if line.strip() and _line_key(line).upper() != key.upper()]
    return "".join(f"{line}\r\n" for line in kept) + conf_text({key: value})


def _line_key(line: str) -> str:
    row = next(csv.reader([line]), [])
    return row[0] if row else ""


def conf_text(settings: dict[str, str]) -> str:
    """Lines as VBA's `Write #` writes them: both fields quoted, CRLF ends."""
    return "".join(f'"{k}","{v}"\r\n' for k, v in settings.items())
