"""click's own texts reach the user in French: usage errors, help headings, [obligatoire], [défaut : …],
metavars; a usage error still exits 2."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from clausexl.cli import COMMAND_MODULES, click_fr, command_name, main

ENGLISH = ("Usage:", "Error:", "Options:", "Commands:", "Missing option", "Missing argument", "required",
           "No such option", "No such command", "is not a valid", "is not one of", "default:", "Try '",
           "Show this message", "COMMAND", "ARGS", "TEXT", "INTEGER", "FLOAT", "PATH", "DIRECTORY", "FILE",
           "Did you mean")


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), prog_name="clausexl")


def assert_french(text: str) -> None:
    leftovers = [word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    assert not leftovers, f"English left in: {text!r}: {leftovers}"


@pytest.mark.parametrize(("args", "expected"), [
    (["heures"], "Erreur : Il manque l'argument 'CLASSEUR'."),
    (["clause", "c.xlsm"], "Erreur : Il manque l'option '--marche'."),
    (["bilan", "c.xlsm", "--annee", "deux-mille"],
     "Erreur : Valeur invalide pour '--annee' : « deux-mille » n'est pas un nombre valide."),
    (["bilanz"], "Erreur : Commande inconnue : bilanz."),
    (["valider", "c.xlsm", "--jsn"], "Erreur : Option inconnue : --jsn. Vouliez-vous dire '--json' ?"),
    (["valider", "c.xlsm", "--zzz"], "Erreur : Option inconnue : --zzz."),
    (["valider", "a.xlsm", "b.xlsm"], "Erreur : Argument en trop : b.xlsm"),
])
def test_usage_errors_are_french_and_exit_2(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Utilisation : clausexl" in result.output
    assert "Essayez « clausexl" in result.output and "--help » pour l'aide." in result.output
    assert_french(result.output)


def test_bad_choice_and_bad_integer_of_any_command_are_french() -> None:
    @click.command()
    @click.option("--format", type=click.Choice(["xlsx", "csv"]), required=True)
    @click.option("--nombre", type=int, default=3, show_default=True)
    def essai(format: str, nombre: int) -> None:
        """Essai."""

    click_fr.frenchify(essai)
    runner = CliRunner()
    bad_choice = runner.invoke(essai, ["--format", "pdf"], prog_name="essai")
    assert bad_choice.exit_code == 2
    assert "Valeur invalide pour '--format' : « pdf » n'est pas l'une des valeurs 'xlsx', 'csv'." in bad_choice.output
    bad_int = runner.invoke(essai, ["--format", "csv", "--nombre", "x"], prog_name="essai")
    assert "« x » n'est pas un nombre valide." in bad_int.output
    missing = runner.invoke(essai, [], prog_name="essai")
    assert "Erreur : Il manque l'option '--format'." in missing.output
    helped = runner.invoke(essai, ["--help"], prog_name="essai").output
    assert "--format [xlsx|csv]  [obligatoire]" in helped and "--nombre ENTIER" in helped
    assert "[défaut : 3]" in helped
    for result in (bad_choice, bad_int, missing):
        assert_french(result.output)


def test_main_help_is_french() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert result.output.startswith("Utilisation : clausexl [OPTIONS] COMMANDE [ARGUMENTS]…\n")
    assert "\nOptions :\n" in result.output and "\nCommandes :\n" in result.output
    assert "Affiche cette aide et quitte." in result.output
    assert_french(result.output)


@pytest.mark.parametrize("name", sorted(command_name(m) for m in COMMAND_MODULES))
def test_every_command_help_is_french(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Utilisation : clausexl {name} [OPTIONS]")
    assert "\nOptions :\n" in result.output
    assert_french(result.output)


def test_required_default_and_metavars() -> None:
    reperer = run("reperer", "--help").output
    assert "[obligatoire]" in reperer  # [défaut : …]: see the command built in the test above
    assert "--classeur CHEMIN" in reperer and "--sortie FICHIER" in reperer and "--seuil EUROS" in reperer
    assert "DOSSIER" in run("courriers", "--help").output


def test_subprocess_usage_error_exit_code_and_stderr() -> None:
    done = subprocess.run([sys.executable, "-m", "clausexl", "clause", "c.xlsm"], capture_output=True, text=True,
                          env={"PYTHONPATH": "src", "LANG": "C"}, check=False)
    assert done.returncode == 2
    assert "Erreur : Il manque l'option '--marche'." in done.stderr
    assert_french(done.stderr)


def test_catalog_holds_only_texts_of_the_installed_click() -> None:
    """A click upgrade that rewords a message fails here instead of printing English."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    source = "".join(inspect.getsource(m) for m in (click.core, click.decorators, click.exceptions,
                                                    click.formatting, click.parser, click.termui, click.types))
    texts = [*click_fr.CATALOG, *(t for pair in click_fr.PLURAL_CATALOG for t in pair)]
    missing = [t for t in texts if t.replace("\n", "\\n").replace("\t", "\\t") not in source]
    assert not missing
