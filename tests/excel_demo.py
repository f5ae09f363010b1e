"""Fixtures shared by the tests of the ribbon's buttons (a plugin of tests/conftest.py): the remote engine
on the demo's reference date, which a module asks for with `pytest.mark.usefixtures("remote_engine")`, and a
fresh copy of the demo workbook per test (the workbook itself built once per module)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clausexl.demo_territory import REF_DATE, demo_parameters, demo_rows
from clausexl.excel import common
from excel_payload import enable_remote_engine
from workbooks import make_workbook


@pytest.fixture
def remote_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remote engine under the noncommercial key (tests only); every button runs on 31/12/2019."""
    enable_remote_engine(monkeypatch)
    monkeypatch.setattr(common, "today", lambda: REF_DATE)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workbook(tmp_path_factory.mktemp("demo"), demo_rows(), demo_parameters(), name="demo.xlsx")


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo workbook in its own folder (documents go to `sorties` beside it)."""
    return Path(shutil.copy(demo_file, tmp_path / "demo.xlsx"))
