"""What every command shares: options, turning errors into one French sentence, exit codes.

Exit codes (docs/cli.md): 0 done; 1 done with findings of severity "erreur" (valider) or rows left
out (other verbs); 2 could not proceed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import click

from ..adapters.output import protecting_inputs
from ..core.errors import ClausexlError, InvalidOption

if TYPE_CHECKING:  # pandas only in the verbs that read a workbook
    from ..core.exclusion import LeftOutRow

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT = 0, 1, 2
#: Dates given as options: wide enough for any history, narrow enough that `--au` minus the retention
#: period or plus a follow-up stays a valid date.
MIN_OPTION_YEAR, MAX_OPTION_YEAR = 1900, 2199

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
    "--modeles", type=click.Path(path_type=Path, file_okay=False),
    help="Dossier de modèles qui remplacent ceux fournis."
)
pdf_option = click.option("--pdf", is_flag=True, help="Produit aussi un PDF de chaque document (LibreOffice).")


def stacked(*decorators: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The decorators as one, applied as if written one above the other in this order."""

    def apply(func: Any) -> Any:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


#: The options every verb that writes a results workbook ends with (docs/cli.md): --json, --sortie F.xlsx, --force.
workbook_options = stacked(json_option, sortie_fichier_option, force_option)
#: The options every verb that writes documents ends with (docs/cli.md): --modeles, --pdf, --au, --force.
document_options = stacked(modeles_option, pdf_option, au_option, force_option)


def verb(func: Callable[..., int | None]) -> Callable[..., None]:
    """Add `--debug` and turn the project's errors into one French sentence on stderr, exit 2."""

    @click.option("--debug", is_flag=True, help="Affiche la trace complète en cas d'erreur.")
    @functools.wraps(func)
    def wrapper(*args: Any, debug: bool = False, **kwargs: Any) -> None:
        with controls_escaped():
            warn_if_open_in_excel(kwargs.get("classeur"))
            stop_cleanly_on_sigterm()
            sys.exit(run_verb(func, args, kwargs, debug))

    return wrapper


def run_verb(func: Callable[..., int | None], args: Any, kwargs: dict[str, Any], debug: bool) -> int:
    """Run the verb; every way it can fail becomes one French sentence on stderr and exit 2."""
    try:
        with protecting_inputs(*command_inputs(kwargs)):
            return func(*args, **kwargs) or EXIT_OK
    except ClausexlError as err:
        return cannot(f"Erreur : {err}", debug)
    except KeyboardInterrupt:
        return cannot("Interrompu : aucun fichier partiel n'a été laissé.", False)
    except BrokenPipeError:  # `clausexl … | head`: the reader left; what was to be written is written
        quiet_stdout()
        return EXIT_OK
    except OSError as err:  # a file the library could not read or write: the system's reason, in French
        return cannot(f"Erreur : {os_sentence(err)}", debug)
    except BaseException as err:
        if isinstance(err, (SystemExit, GeneratorExit)):
            raise
        if type(err).__name__ == "PanicException":  # the Excel reader's internal failure (Rust panic)
            return cannot("Erreur : le classeur ne peut pas être lu (fichier endommagé ou d'une forme inattendue) : "
                          "ouvrez-le dans Excel et enregistrez-le de nouveau.", debug)
        return cannot(f"Erreur inattendue ({type(err).__name__}) : {err}. Relancez avec --debug et transmettez "
                      "la trace à l'équipe clausexl.", debug)


def cannot(sentence: str, debug: bool) -> int:
    """Print the sentence (and the trace under --debug): exit 2."""
    if debug:
        traceback.print_exc(file=sys.stderr)
    click.echo(sentence, err=True)
    return EXIT_CANNOT


def os_sentence(err: OSError) -> str:
    """An operating-system error as a sentence: which file, and why, in French."""
    from ..adapters.output import reason

    where = f"le fichier « {err.filename} »" if err.filename else "un fichier"
    return f"{where[0].upper()}{where[1:]} n'a pas pu être lu ou écrit ({reason(err)}) : rien n'a été écrit à sa place."


def quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again on the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


#: The parameters of the commands that name files they read (never written over, --force or not).
INPUT_PARAMETERS = ("classeur", "decp", "bilans", "fichiers")


def command_inputs(kwargs: dict[str, Any]) -> list[Path]:
    """The files a command line names as inputs."""
    found: list[Path] = []
    for name in INPUT_PARAMETERS:
        value = kwargs.get(name)
        found.extend(value if isinstance(value, (list, tuple)) else [value] if value is not None else [])
    return found


#: Characters a terminal obeys rather than shows (ESC sequences, bell, C1 controls, bidi overrides).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """`\x1b[2J` typed in a cell → the visible text `\u001b[2J` (also valid inside a JSON string)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _EscapingStream(io.TextIOBase):
    """A text stream that writes through `inner` with control characters escaped."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(escape_controls(text))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return bool(self._inner.isatty())

    def fileno(self) -> int:
        return int(self._inner.fileno())

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._inner, "errors", None)


@contextlib.contextmanager
def controls_escaped() -> Iterator[None]:
    """Everything the command prints (workbook text included) reaches the terminal with its control
    characters escaped: a cell cannot clear the screen, ring, or rewrite what is shown."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _EscapingStream(out), _EscapingStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


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
    from ..adapters.excel_lock import excel_lock_warning

    if isinstance(classeur, Path):
        message = excel_lock_warning(classeur)
        if message:
            click.echo(message, err=True)


def print_json(data: Any) -> None:
    from .json_text import dumps

    click.echo(dumps(data))


def show(result: Any, as_json: bool, print_human: Callable[[Any], None], written: Iterable[Path] = ()) -> None:
    """The result as one JSON object on stdout, or for a person; then the files written
    (on stderr under --json, so stdout stays one JSON object)."""
    if as_json:
        print_json(result.to_dict())
    else:
        print_human(result)
    report_written(written, to_stderr=as_json)


def finish_results(result: Any, as_json: bool, print_human: Callable[[Any], None],
                   write: Callable[[Any, Path, bool], Path], sortie: Path | None, force: bool) -> int:
    """The end of a verb that computes a result: its workbook written under --sortie, the result shown,
    the rows left out said; the exit code."""
    written = [write(result, sortie, force)] if sortie else []
    show(result, as_json, print_human, written)
    return report_left_out(result.left_out)


def report_written(paths: Iterable[Path], to_stderr: bool = False) -> None:
    """List the files written, at the end (on stderr when stdout carries JSON)."""
    paths = list(paths)
    if not paths:
        return
    click.echo(f"Fichiers écrits ({len(paths)}) :", err=to_stderr)
    for p in paths:
        click.echo(f"  {p}", err=to_stderr)


def report_left_out(rows: Sequence[LeftOutRow]) -> int:
    """One line on stderr for the rows in error left out (docs/calculs.md §0); exit code 1 when there are any."""
    from ..core.exclusion import summary_line

    line = summary_line(rows)
    if line:
        click.echo(line, err=True)
        return EXIT_FINDINGS
    return EXIT_OK


@overload
def parse_date_option(text: str, name: str = ...) -> dt.date: ...
@overload
def parse_date_option(text: None, name: str = ...) -> None: ...
@overload
def parse_date_option(text: str | None, name: str = ...) -> dt.date | None: ...
def parse_date_option(text: str | None, name: str = "--au") -> dt.date | None:
    """`JJ/MM/AAAA` or `AAAA-MM-JJ` → date; anything else is a bad option (exit 2)."""
    if text is None:
        return None
    try:
        if "/" in text:
            day = dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
        else:
            day = dt.date.fromisoformat(text.strip())
    except ValueError as err:
        raise InvalidOption(f"L'option {name} attend une date JJ/MM/AAAA (ou AAAA-MM-JJ), pas « {text} ».") from err
    if not MIN_OPTION_YEAR <= day.year <= MAX_OPTION_YEAR:  # ages, retention and offsets stay computable
        raise InvalidOption(f"L'option {name} attend une date entre {MIN_OPTION_YEAR} et {MAX_OPTION_YEAR}, "
                            f"pas « {text} ».")
    return day


def reference_date(text: str | None) -> dt.date:
    """The verb's reference date: `--au` when given, else today — the one place a command reads the clock."""
    return parse_date_option(text) or dt.date.today()


# The overloads repeat parse_date_option's: mypy's way of saying "None in, None out; a text in, a date out".
@overload
def parse_month_option(text: str, name: str = ...) -> dt.date: ...
@overload
def parse_month_option(text: None, name: str = ...) -> None: ...
@overload
def parse_month_option(text: str | None, name: str = ...) -> dt.date | None: ...
def parse_month_option(text: str | None, name: str = "--mois") -> dt.date | None:
    """`AAAA-MM` → first day of that month."""
    if text is None:
        return None
    try:
        year, month = text.split("-")
        first = dt.date(int(year), int(month), 1)
    except ValueError as err:
        raise InvalidOption(f"L'option {name} attend un mois AAAA-MM, pas « {text} ».") from err
    if not MIN_OPTION_YEAR <= first.year <= MAX_OPTION_YEAR:
        raise InvalidOption(f"L'option {name} attend un mois entre {MIN_OPTION_YEAR} et {MAX_OPTION_YEAR}, "
                            f"pas « {text} ».")
    return first
