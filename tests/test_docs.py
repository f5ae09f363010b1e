"""The documentation is tested: generated README tables are current, every command and code is documented."""

from pathlib import Path

import click

from clausexl.cli import main
from clausexl.core.findings import CODES
from clausexl.docs_tables import render

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_tables_are_current():
    """README's tables of columns, parameters and codes equal what the schema generates now."""
    assert render(README) == README


def test_every_command_is_in_the_readme():
    """Each CLI sub-command appears in the README's table of verbs."""
    for name in main.list_commands(click.Context(main)):
        assert f"`{name}" in README, name


def test_every_code_has_an_example():
    """Each finding code is listed in the README with an example message."""
    for code in CODES.values():
        assert f"`{code.code}`" in README and code.example in README


def test_readme_gives_the_two_commands():
    """The newcomer's two commands (demo and tests) are in the README, as CI runs them."""
    assert ".venv/bin/clausexl demo" in README
    assert ".venv/bin/python -m pytest" in README
