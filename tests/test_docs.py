"""The documentation is tested: generated tables are current, every command and code is documented."""

import re
from pathlib import Path

import click
import pytest

from clausexl.cli import main
from clausexl.core import schema
from clausexl.core.findings import CODES
from clausexl.docs_tables import GENERATED, render

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLASSEUR = (ROOT / "docs/classeur.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", GENERATED)
def test_generated_tables_are_current(name):
    """The tables of columns, parameters, codes and personal data equal what the schema generates now."""
    text = (ROOT / name).read_text(encoding="utf-8")
    assert "<!-- debut:colonnes -->" in text or name != "docs/classeur.md"
    assert render(text) == text


def test_the_readme_points_to_the_one_home_of_the_tables():
    """The README holds no generated table: it names every sheet and links to docs/classeur.md, which has them."""
    assert "<!-- debut:" not in README
    for section in ("paramètres-t_parametres", "tableaux-et-colonnes", "gravité-des-constats-et-cellule-visée"):
        assert f"(docs/classeur.md#{section})" in README
    for table in schema.TABLES:
        assert table.sheet in README, table.sheet


def _sources():
    for folder in ("src", "tests", "bench", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".bas", ".xml", ".txt", ".md"} and path.is_file():
                yield path


def test_every_contract_reference_in_the_code_is_in_docs():
    """Code that cites a contract page (`docs/calculs.md §3`) cites a page of docs/ and a section it has."""
    cited = 0
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w/.-])(calculs|classeur|cli)\.md", text), path
        for page, section in re.findall(r"docs/(\w+)\.md(?: §(\d))?", text):
            cited += 1
            doc = ROOT / "docs" / f"{page}.md"
            assert doc.is_file(), (path, page)
            if section:
                assert f"## §{section}." in doc.read_text(encoding="utf-8"), (path, page, section)
    assert cited > 30


def test_contributing_names_files_that_exist():
    """Every source path CONTRIBUTING.md names (`core/hours.py`, `tests/test_rgpd.py`…) exists."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:[\w/]+/)?[\w]+\.(?:py|bas|xml))`", text))
    assert len(paths) > 15
    for name in paths:
        candidates = [ROOT / name, ROOT / "src" / "clausexl" / name, ROOT / "src" / "clausexl" / "excel_sources" / name]
        assert any(c.is_file() for c in candidates), name


def test_every_command_is_in_the_readme():
    """Each CLI sub-command appears in the README's table of verbs."""
    for name in main.list_commands(click.Context(main)):
        assert f"`{name}" in README, name


def test_every_code_has_an_example():
    """Each finding code is listed in docs/classeur.md with an example message."""
    for code in CODES.values():
        assert f"`{code.code}`" in CLASSEUR and code.example in CLASSEUR


def test_readme_gives_the_two_commands():
    """The newcomer's two commands (demo and tests) are in the README, as CI runs them."""
    assert ".venv/bin/clausexl demo" in README
    assert ".venv/bin/python -m pytest" in README
