"""The glue every ribbon entry point shares: the caller's workbook, the message, the log, the date.

An entry point is a function `run(live) -> message` decorated by `entry_point`: it reads the tables
its verb needs, calls the same library function as the CLI, writes its result sheet and returns the
French message. `xw.Book.caller()` appears here and nowhere else. Every error ends as a French
message box; its traceback goes to `clausexl.log` beside the workbook.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlwings as xw

from ..adapters.excel_live import LiveWorkbook
from ..adapters.output import protecting_inputs
from ..core.classeur import Classeur
from ..core.errors import ClausexlError, UnknownItem
from ..core.exclusion import LeftOutRow, summary_line
from ..core.values import agreed, counted
from .buttons import button

if TYPE_CHECKING:  # the documents' machinery (Jinja, Babel) only for the buttons that make documents
    from ..verbs.documents import Documents


def entry_point(run: Callable[..., str]) -> Callable[..., None]:
    """Run `run` on the caller's workbook and show its message, or the error in French.

    `run(live, *arguments)`: the arguments are the text the VBA callback passes (a chosen file).
    """
    label = button(run.__name__).label

    @functools.wraps(run)
    def entry(*arguments: str) -> None:
        live = LiveWorkbook(xw.Book.caller())
        try:
            with protecting_inputs(live.path):  # the open workbook is never written over
                message = run(live, *arguments)
        except ClausexlError as err:
            live.log_error(label)
            live.alert(f"{err}", error=True)
        except Exception as err:
            log = live.log_error(label)
            live.alert(
                f"« {label} » s'est arrêté sur une erreur inattendue ({type(err).__name__} : {err}).\n\n"
                f"Le détail est dans le fichier {log} : transmettez-le à la personne qui a installé clausexl.",
                error=True,
            )
        else:
            live.alert(message)

    return entry


def today() -> dt.date:
    """The reference date of every button (read here once; tests fix it by replacing this function)."""
    return dt.date.today()


def label(function: str) -> str:
    """The label the facilitator reads on the button that runs `function`."""
    return button(function).label


def anchor(live: LiveWorkbook) -> Path:
    """Where the workbook stands for the output and templates folders (its local folder, else home)."""
    return live.folder / live.path.name


def selected_id(live: LiveWorkbook, c: Classeur, table: str, label: str) -> str:
    """The ID on the row the user selected in `table`; otherwise say what to select."""
    row = live.selected_row(table, label)
    frame = c[table]
    ids = frame.loc[frame["_ligne"] == row, "id"]
    if ids.empty or not isinstance(ids.iloc[0], str) or not ids.iloc[0].strip():
        raise UnknownItem(f"La ligne {row} de la feuille « {c.sheet(table)} » n'a pas d'identifiant (colonne ID) : "
                          f"complétez-la ou sélectionnez une autre ligne, puis cliquez de nouveau sur « {label} ».")
    return ids.iloc[0].strip()


def left_out(rows: Sequence[LeftOutRow]) -> str:
    """The closing sentence when rows in error were left out (docs/calculs.md §0), as the CLI says it."""
    line = summary_line(rows)
    return f"\n\n{line}" if line else ""


def documents_message(result: Documents, what: str) -> str:
    """How many files were written and where, the warnings, the rows left out."""
    folders = sorted({str(p.parent) for p in result.fichiers})
    if result.fichiers:
        written = counted(len(result.fichiers), "fichier écrit", "fichiers écrits")
        text = f"{what} : {written} dans {agreed(len(folders), 'le dossier', 'les dossiers')} {', '.join(folders)}."
    else:
        text = f"{what} : aucun fichier écrit."
    warnings = "".join(f"\n• {w}" for w in result.avertissements)
    return text + (f"\n\nÀ noter :{warnings}" if warnings else "") + left_out(result.left_out)


def rows_after(rows: list[list[Any]], labels: tuple[str, ...]) -> list[int]:
    """Excel rows of the header lines that follow the section titles `labels`."""
    return [i + 2 for i, r in enumerate(rows) if r and r[0] in labels]
