"""The `clausexl` command: one sub-command per verb, each a thin view over the library."""

from __future__ import annotations

import importlib

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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="clausexl", message="%(prog)s %(version)s")
def main() -> None:
    """Le classeur du facilitateur des clauses sociales, en ligne de commande.

    Le classeur donné n'est jamais modifié : tout ce qui est écrit est un nouveau fichier.
    """


for _name in COMMAND_MODULES:
    main.add_command(importlib.import_module(f".{_name}", __name__).command)
click_fr.frenchify(main)
