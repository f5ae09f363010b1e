"""The `clausexl` command: one sub-command per verb, each a thin view over the library.

Start-up waits for nothing: a verb's CLI module is imported only when that verb runs (or when
`--help` lists it), and it imports its library module (pandas, XlsxWriter, docxtpl, ijson…) only
inside the command itself, so `clausexl --help` costs little more than importing click.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import sys

import click

from .. import __version__
from . import click_fr

click_fr.install()  # before any command is declared: click's own texts in French

#: One CLI module per verb, each exposing `command`, in the order `clausexl --help` lists them.
COMMAND_MODULES = (
    "init",
    "valider",
    "heures",
    "bilan",
    "clause",
    "courriers",
    "releves",
    "importer_releves",
    "attestations",
    "offres",
    "echeances",
    "rapprocher",
    "reperer",
    "consolider",
    "anonymiser",
    "extraire_personne",
    "installer_excel",
    "guide",
    "demo",
)


def command_name(module: str) -> str:
    """`extraire_personne` → `extraire-personne`."""
    return module.replace("_", "-")


class LazyVerbs(click.Group):
    """A group that imports a verb's CLI module the first time the verb is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [command_name(module) for module in COMMAND_MODULES]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.list_commands(ctx):
            module = importlib.import_module(f".{cmd_name.replace('-', '_')}", __name__)
            self.add_command(click_fr.frenchify(module.command))
        return self.commands.get(cmd_name)


@click.group(cls=LazyVerbs, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="clausexl", message="%(prog)s %(version)s")
def main() -> None:
    """Le classeur du facilitateur des clauses sociales, en ligne de commande.

    Le classeur donné n'est jamais modifié : tout ce qui est écrit est un nouveau fichier.
    """


click_fr.frenchify(main)


def run() -> None:
    """The console script and `python -m clausexl`: the command, then an end without freeing each object.

    Once a verb has written its files and printed its lines, the interpreter's usual end spends 0,1–0,2 s
    freeing pandas', polars' and the verb's objects one by one (measured on `reperer` over a national DECP
    file); the system frees the whole process at once. What a usual end does that matters is done first:
    the exit functions run and the standard streams are flushed. A background thread still running is
    stopped rather than waited for: the verbs' threads only read (the DECP file, the workbook's XML) and
    every file is written, atomically, before this point. mypy ends its command the same way, for the same
    reason. `main` itself, which the tests call in-process, exits as click does."""
    try:
        main()
        status: object = 0
    except SystemExit as end:
        status = end.code
    if status is not None and not isinstance(status, int):
        print(status, file=sys.stderr)  # what `sys.exit("…")` would print
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that left (`| head`), a stream closed
            stream.flush()
    os._exit(status or 0)
