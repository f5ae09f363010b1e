"""`clausexl demo` builds the fictitious territory, runs the verbs and lists what it wrote."""

from __future__ import annotations

import subprocess
import sys

import pytest

from clausexl.core.errors import OutputExists
from clausexl.verbs.demo import WORKBOOK_NAME, demo
from clausexl.verbs.valider import valider


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    return demo(tmp_path_factory.mktemp("demo") / "sortie")


def test_demo_workbook_validates_without_error(demo_run):
    """The demo workbook gives no finding of severity erreur."""
    rapport = valider(demo_run.folder / WORKBOOK_NAME)
    assert rapport.errors == 0


def test_demo_lists_existing_files_only(demo_run):
    """Every file the demo reports exists in its folder."""
    assert demo_run.files and all(p.exists() and demo_run.folder in p.parents for p in demo_run.files)


def test_demo_refuses_a_folder_that_already_holds_a_demo(demo_run):
    """Running twice into the same folder stops instead of overwriting."""
    with pytest.raises(OutputExists):
        demo(demo_run.folder)


def test_demo_command_prints_what_it_made(tmp_path):
    """The CLI prints the folder and the files, exit 0."""
    out = subprocess.run([sys.executable, "-m", "clausexl", "demo", "--sortie", str(tmp_path / "d")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Démonstration dans" in out.stdout and WORKBOOK_NAME in out.stdout
