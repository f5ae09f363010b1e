"""The `clausexl` command: one sub-command per verb, each a thin view over the library."""

from __future__ import annotations

import click

from .. import __version__
from . import bilan, demo, heures, init, valider


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="clausexl", message="%(prog)s %(version)s")
def main() -> None:
    """Le classeur du facilitateur des clauses sociales, en ligne de commande.

    Le classeur donné n'est jamais modifié : tout ce qui est écrit est un nouveau fichier.
    """


for module in (init, valider, heures, bilan, demo):
    main.add_command(module.command)
