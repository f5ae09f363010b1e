"""click's own texts in French: usage errors, `--help` headings, `[obligatoire]`, `[défaut : …]`, metavars.

Why this way. click 8.5 marks every text it prints with gettext, binding `_` and `ngettext` as names of
each of its modules when they are imported. Two standard routes exist and both are fragile here: a
compiled `.mo` catalog found through the process-wide gettext domain only applies when the user's
`LANG` asks for French, and changes the domain of every other library in the process. So `install()`
rebinds exactly those two names, in click's modules that define them, to a small French catalog kept
below as plain Python (no build step, read in one place). It is explicit (one call, at the top of the
`clausexl` command), idempotent, and guarded by tests: every entry of the catalog must still be a text
of the installed click, so an upgrade that rewords a message fails the tests instead of printing English.

Headings are followed by « : » (French spacing) through `FrenchFormatter`, given to every command by
`FrenchContext`. Exit codes are click's own (2 for a usage error) and stay untouched.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

#: click's texts (the gettext message ids of click 8.5) and their French.
CATALOG: dict[str, str] = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Missing argument": "Il manque l'argument",
    "Missing option": "Il manque l'option",
    "Missing parameter": "Il manque le paramètre",
    "Missing {param_type}": "Il manque : {param_type}",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "No such option {name!r}.": "Option inconnue : {name}.",
    "No such command {name!r}.": "Commande inconnue : {name}.",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "« {value} » n'est ni oui ni non. Valeurs reconnues : {states}",
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un identifiant UUID valide.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Option {name!r} does not take a value.": "L'option {name} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name} prend {nargs} valeurs.",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "{name} {filename!r} is a file.": "{name} « {filename} » : c'est un fichier.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » : c'est un dossier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » : lecture non autorisée.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » : écriture non autorisée.",
    "{name} {filename!r} is not executable.": "{name} « {filename} » : exécution non autorisée.",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier « {filename} » : {message}",
    "unknown error": "erreur inconnue",
    "required": "obligatoire",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "(dynamic)": "(calculé)",
    "deprecated": "obsolète",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "Aborted!": "Abandon.",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
}

#: click's texts with a singular and a plural form, and their French.
PLURAL_CATALOG: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Argument en trop : {args}", "Arguments en trop : {args}"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l'une de : {possibilities} ?)"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("« {value} » n'est pas {choice}.", "« {value} » n'est pas l'une des valeurs {choices}."),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("L'option {name} demande une valeur.", "L'option {name} demande {nargs} valeurs."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Demande {nargs} valeurs, 1 seule donnée.", "Demande {nargs} valeurs, {len} données."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("{len_type} valeurs demandées, {len_value} donnée.", "{len_type} valeurs demandées, {len_value} données."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("« {value} » ne suit pas le format {format}.", "« {value} » ne suit aucun des formats {formats}."),
}

#: click's modules that bind `_` or `ngettext` at import.
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "shell_completion", "termui",
                 "types", "utils")


def gettext(message: str) -> str:
    """click's `_`: the French of one of its texts (the text itself when the catalog lacks it)."""
    return CATALOG.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """click's `ngettext`: French singular or plural (French takes the singular for 0 and 1)."""
    french = PLURAL_CATALOG.get((singular, plural))
    if french is None:
        return singular if count == 1 else plural
    return french[0] if count <= 1 else french[1]


def install() -> None:
    """Make click speak French: must run before the commands are declared (help texts of `--help` and
    `--version`, and the `Path` type's names, are translated when they are built)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


class FrenchFormatter(click.HelpFormatter):
    """Help headings end with « : », as French typography wants (« Options : »)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(click.Context):
    """The context of every `clausexl` command: French help formatting."""

    formatter_class = FrenchFormatter


#: The usage line's words for a group's sub-command (click: "COMMAND [ARGS]...").
SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]…"


#: The metavars click derives from a type's English name (`INTEGER`…), for options that name none.
METAVARS = {"text": "TEXTE", "integer": "ENTIER", "integer range": "ENTIER", "float": "NOMBRE",
            "float range": "NOMBRE", "boolean": "OUI|NON", "uuid": "UUID", "datetime": "DATE",
            "filename": "FICHIER"}


def frenchify(command: click.Command) -> Any:
    """Give `command` (and, for a group, each of its sub-commands) the French context, usage line and
    metavars."""
    command.context_class = FrenchContext
    for param in command.params:
        shown = isinstance(param, click.Option) and not param.is_flag and param.metavar is None
        if shown and param.type.name in METAVARS:
            param.metavar = METAVARS[param.type.name]
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
    for sub in getattr(command, "commands", {}).values():
        frenchify(sub)
    return command
