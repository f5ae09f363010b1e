import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pytest

pytest_plugins = ["excel_demo"]  # the buttons' fixtures (remote engine, demo workbook)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The demo, run once for the whole session (test_demo and test_consolider read what it wrote)."""
    from clausexl.verbs.demo import demo

    return demo(tmp_path_factory.mktemp("demo") / "sortie")
