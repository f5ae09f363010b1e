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
import sys
from dataclasses import dataclass
from pathlib import Path

from ..adapters.output import write_atomic
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


def installer_excel(
    classeur: Path,
    utilisateur: bool = False,
    force: bool = False,
    *,
    platform: str = sys.platform,
    interpreter: str = sys.executable,
    home: Path | None = None,
) -> Installation:
    """Write this PC's Python (`interpreter`) into the xlwings.conf file the workbook will read."""
    key = KEYS.get(platform)
    if key is None:
        raise InvalidOption(
            "clausexl installer-excel se lance sur le PC Windows ou Mac où Excel ouvre le classeur : "
            "Excel n'existe pas sur ce système."
        )
    if '"' in interpreter:
        raise InvalidOption(f"Le chemin de Python « {interpreter} » contient un guillemet : "
                            "xlwings ne sait pas le lire.")
    classeur = Path(classeur)
    check_path(classeur)
    path = user_conf_path(platform, home or Path.home()) if utilisateur else classeur.resolve().parent / CONF_NAME
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
