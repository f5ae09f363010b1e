"""The user guide: built from its source, its pictures present and up to date, every link leading somewhere.

The pictures are committed, rendered by `python -m clausexl.guide.pictures` on a machine with
LibreOffice (CI has none): here a fresh demo checks that each pictured output still has the shape
the picture shows, and the script is checked to leave the pictures alone without LibreOffice.
"""

from __future__ import annotations

import html
import json
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausexl.cli import main
from clausexl.core.findings import CODES
from clausexl.excel import aide
from clausexl.excel.buttons import BUTTONS
from clausexl.guide import GUIDE, build, pictures
from excel_payload import alert, enable_remote_engine, run
from workbooks import make_workbook

IMAGES = pictures.IMAGES


class Page(HTMLParser):
    """Ids, links and image sources of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a.get("src") or "")


@pytest.fixture(scope="module")
def page() -> Page:
    parsed = Page()
    parsed.feed(GUIDE.read_text("utf-8"))
    return parsed


def test_the_committed_guide_is_its_fresh_build() -> None:
    """guide.html = `python -m clausexl.guide.build` now (tables of buttons and codes from the code)."""
    assert GUIDE.read_text("utf-8") == build.render(), "lancez : python -m clausexl.docs_tables (ou clausexl.guide.build)"


def test_every_link_leads_somewhere(page: Page) -> None:
    """Anchors exist in the page, files exist beside it, other links are https addresses."""
    assert len(page.links) >= 10
    for link in page.links:
        if link.startswith("#"):
            assert link[1:] in page.ids, link
        elif re.match(r"https://[\w.-]+\.[a-z]{2,}(/\S*)?$", link) is None:
            assert (GUIDE.parent / link).is_file(), link


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_every_picture_is_shown_and_is_a_real_page(page: Page) -> None:
    """Each picture of the manifest is in the page, is a PNG of a page (taller than wide, readable)."""
    manifest = json.loads(pictures.MANIFEST.read_text("utf-8"))
    assert sorted(page.images) == sorted(f"images/{name}" for name in pictures.PICTURES) == sorted(
        f"images/{name}" for name in manifest)
    for name in manifest:
        width, height = png_size(IMAGES / name)
        assert 400 <= width <= 1200 and height >= 300, (name, width, height)


def test_pictures_are_up_to_date_in_structure(tmp_path: Path) -> None:
    """A fresh demo's pictured outputs have the sheets, titles and headings recorded with the pictures."""
    outputs = pictures.demo_outputs(tmp_path / "demo")
    recorded = json.loads(pictures.MANIFEST.read_text("utf-8"))
    assert pictures.manifest(outputs) == recorded, (
        "une sortie montrée dans le guide a changé de forme : lancez python -m clausexl.guide.pictures "
        "(LibreOffice et pdftoppm nécessaires) puis python -m clausexl.guide.build")


def test_the_picture_script_leaves_pictures_alone_without_libreoffice(monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    before = {p.name: p.read_bytes() for p in IMAGES.iterdir()}
    monkeypatch.setattr("clausexl.guide.pictures.shutil.which", lambda tool: None)
    assert pictures.main() == 0
    assert "Images du guide inchangées : soffice, pdftoppm introuvables (paquets" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in IMAGES.iterdir()} == before


def test_the_guide_covers_every_button_and_every_message() -> None:
    """Each button (label and what it gives) and each finding code is in the guide; so are the locked PC's
    message and the ASR rule IT needs, and the Mac steps."""
    text = html.unescape(GUIDE.read_text("utf-8"))
    for b in BUTTONS:
        assert b.help, f"le bouton « {b.label} » n'a pas de texte d'aide (excel/buttons.py)"
        assert f"<td>{b.label}</td><td>{b.help}</td>" in text
    for code in CODES.values():
        assert f"<code>{code.code}</code>" in text
    for needed in ("Method 'Run' of object 'IWshShell3' failed", "d4f940ab-401b-4efc-aadc-ad5f3c50688a",
                   "xlwings runpython install", "Confidentialité et sécurité › Automatisation", "--verifier"):
        assert needed in text, needed


def test_guide_button_opens_the_guide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Guide button opens the packaged page in the browser and says where it is; writes nothing."""
    enable_remote_engine(monkeypatch)
    opened: list[str] = []

    def browser_opens(uri: str) -> bool:
        opened.append(uri)
        return True

    monkeypatch.setattr("clausexl.guide.webbrowser.open", browser_opens)
    book = run(make_workbook(tmp_path, {}), aide.guide)
    assert opened == [GUIDE.as_uri()]
    assert alert(book) == (f"Le guide s'ouvre dans votre navigateur.\n\nFichier : {GUIDE}", "info")
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    monkeypatch.setattr("clausexl.guide.webbrowser.open", lambda uri: False)
    assert alert(run(make_workbook(tmp_path / "b", {}), aide.guide))[0].endswith(f":\n\n{GUIDE}")


def test_cli_guide_gives_its_path() -> None:
    out = CliRunner().invoke(main, ["guide", "--chemin"])
    assert out.exit_code == 0 and out.stdout.strip() == str(GUIDE) and GUIDE.is_file()
