"""What every command shares: options, turning errors into one French sentence, exit codes.

Exit codes (docs/cli.md): 0 done; 1 done with findings of severity "erreur" (valider) or rows left
out (other verbs); 2 could not proceed.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from ..core.errors import ClausexlError, InvalidOption

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT = 0, 1, 2

classeur_argument = click.argument(
    "classeur", type=click.Path(path_type=Path, dir_okay=True, exists=False), metavar="CLASSEUR"
)
json_option = click.option("--json", "as_json", is_flag=True, help="Écrit un objet JSON sur la sortie standard.")
force_option = click.option("--force", is_flag=True, help="Remplace les fichiers existants du même nom.")
au_option = click.option("--au", "au", metavar="JJ/MM/AAAA",
                         help="Date de référence, JJ/MM/AAAA ou AAAA-MM-JJ (défaut : aujourd'hui).")
sortie_fichier_option = click.option(
    "--sortie", type=click.Path(path_type=Path, dir_okay=False), help="Écrit aussi un classeur .xlsx (nouveau fichier)."
)
sortie_dossier_option = click.option(
    "--sortie", type=click.Path(path_type=Path, file_okay=False), help="Dossier où écrire les documents."
)
modeles_option = click.option(
    "--modeles", type=click.Path(path_type=Path, file_okay=False), help="Dossier de modèles qui remplacent ceux fournis."
)
pdf_option = click.option("--pdf", is_flag=True, help="Produit aussi un PDF de chaque document (LibreOffice).")


def verb(func: Callable[..., int | None]) -> Callable[..., None]:
    """Add `--debug` and turn the project's errors into one French sentence on stderr, exit 2."""

    @click.option("--debug", is_flag=True, help="Affiche la trace complète en cas d'erreur.")
    @functools.wraps(func)
    def wrapper(*args: Any, debug: bool = False, **kwargs: Any) -> None:
        warn_if_open_in_excel(kwargs.get("classeur"))
        stop_cleanly_on_sigterm()
        try:
            code = func(*args, **kwargs)
        except ClausexlError as err:
            if debug:
                traceback.print_exc(file=sys.stderr)
            click.echo(f"Erreur : {err}", err=True)
            sys.exit(EXIT_CANNOT)
        except KeyboardInterrupt:
            click.echo("Interrompu : aucun fichier partiel n'a été laissé.", err=True)
            sys.exit(EXIT_CANNOT)
        except Exception as err:  # noqa: BLE001 - the edge: never a bare traceback for the user
            if debug:
                traceback.print_exc(file=sys.stderr)
            click.echo(
                f"Erreur inattendue ({type(err).__name__}) : {err}. Relancez avec --debug et transmettez "
                "la trace à l'équipe clausexl.",
                err=True,
            )
            sys.exit(EXIT_CANNOT)
        sys.exit(code or EXIT_OK)

    return wrapper


def stop_cleanly_on_sigterm() -> None:
    """A terminated run (SIGTERM) unwinds like Ctrl-C, so temporary files are removed."""
    import signal
    import threading

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def warn_if_open_in_excel(classeur: Any) -> None:
    """Excel's lock file beside the workbook: it still reads, but unsaved changes are not seen."""
    from ..adapters.workbook_reader import excel_lock_warning

    if isinstance(classeur, Path):
        message = excel_lock_warning(classeur)
        if message:
            click.echo(message, err=True)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def show(result: Any, as_json: bool, print_human: Callable[[Any], None], written: Iterable[Path] = ()) -> None:
    """The result as one JSON object on stdout, or for a person; then the files written
    (on stderr under --json, so stdout stays one JSON object)."""
    if as_json:
        print_json(result.to_dict())
    else:
        print_human(result)
    report_written(written, to_stderr=as_json)


def report_written(paths: Iterable[Path], to_stderr: bool = False) -> None:
    """List the files written, at the end (on stderr when stdout carries JSON)."""
    paths = list(paths)
    if not paths:
        return
    click.echo(f"Fichiers écrits ({len(paths)}) :", err=to_stderr)
    for p in paths:
        click.echo(f"  {p}", err=to_stderr)


def report_rejected(count: int) -> int:
    """One line on stderr for rows left out; exit code 1 when there are any."""
    if count:
        click.echo(
            f"Attention : {count} ligne(s) illisible(s) ou mal reliée(s) ont été laissées de côté ; "
            "lancez « clausexl valider » pour les voir.",
            err=True,
        )
        return EXIT_FINDINGS
    return EXIT_OK


def parse_date_option(text: str | None, name: str = "--au"):
    """`JJ/MM/AAAA` or `AAAA-MM-JJ` → date; anything else is a bad option (exit 2)."""
    import datetime as dt

    if text is None:
        return None
    try:
        if "/" in text:
            return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
        return dt.date.fromisoformat(text.strip())
    except ValueError as err:
        raise InvalidOption(f"L'option {name} attend une date JJ/MM/AAAA (ou AAAA-MM-JJ), pas « {text} ».") from err


def reference_date(text: str | None):
    """The verb's reference date: `--au` when given, else today — the one place a command reads the clock."""
    import datetime as dt

    return parse_date_option(text) or dt.date.today()


def parse_month_option(text: str | None, name: str = "--mois"):
    """`AAAA-MM` → first day of that month."""
    import datetime as dt

    if text is None:
        return None
    try:
        year, month = text.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError as err:
        raise InvalidOption(f"L'option {name} attend un mois AAAA-MM, pas « {text} ».") from err
