"""Pictures of the guide: real outputs of the demo, rendered by LibreOffice, first page as PNG.

`python -m clausexl.guide.pictures` runs the demo in a temporary folder, converts each output of
PICTURES to PDF with LibreOffice (headless) and its first page to PNG with pdftoppm, and writes
`images/pictures.json`: for each picture, its output and that output's structure (sheet names
and titles, or the document's headings, digits masked). A test rebuilds the structures from a
fresh demo: when an output changes shape, it fails and asks to run this script again. Without
LibreOffice or pdftoppm the script says so and leaves the committed pictures as they are.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..core.values import agreed, counted
from . import FOLDER

IMAGES = FOLDER / "images"
MANIFEST = IMAGES / "pictures.json"
#: Picture name → (output of the demo, relative to its folder; what it shows).
# A table of pairs, alike core/funders_layout.SHARES in shape only.
PICTURES: dict[str, tuple[str, str]] = {
    "controles.png": ("Contrôles.xlsx", "La liste des contrôles (« Vérifier la saisie » ou `clausexl valider`)"),
    "a-faire.png": ("À faire.xlsx", "Ce qui est à faire au 31/12/2019 (« À faire »)"),
    "heures.png": ("Heures au 2019-12-31.xlsx", "Les heures par marché (`clausexl heures --sortie`)"),
    "bilan.png": ("Bilan des clauses sociales 2018.xlsx", "Le classeur des financeurs : chiffres clés de l'année"),
    "clause.png": ("Documents/Clause - M2017-001 - Ville d'Aubrelle-sur-Mer.docx", "Une clause rédigée"),
    "releve.png": ("Documents/Relevé 2019-12 - M2019-001 - Régie de quartier des Genêts.docx",
                   "Un relevé mensuel envoyé à une entreprise"),
    "attestation.png": ("Documents/Attestation - M2017-003 - Syndicat mixte du port d'Aubrelle.docx",
                        "Une attestation de fin de clause"),
}
RESOLUTION = 60  # dots per inch: a page about 500 px wide, readable in the guide


def structure(path: Path) -> dict[str, Any]:
    """What an output looks like, without its figures: enough to know a picture went stale."""
    if path.suffix == ".xlsx":
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = {}
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python()
            first = next((str(v) for r in rows for v in r if v not in ("", None)), "")
            sheets[name] = _mask(first)
        return {"feuilles": sheets}
    import docx

    document = docx.Document(str(path))
    headings = [_mask(p.text) for p in document.paragraphs
                if p.style is not None and p.style.name.startswith(("Heading", "Title", "Titre")) and p.text.strip()]
    return {"titres": headings, "tableaux": len(document.tables)}


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text).strip()


def demo_outputs(folder: Path) -> Path:
    """The demo's outputs in `folder` (the same run as `clausexl demo`)."""
    from ..verbs.demo import demo

    return demo(folder).folder


def manifest(outputs: Path) -> dict[str, dict[str, Any]]:
    return {name: {"sortie": source, "montre": shows, "structure": structure(outputs / source)}
            for name, (source, shows) in PICTURES.items()}


def render(source: Path, png: Path, work: Path) -> None:
    """First page of `source` as `png`, through LibreOffice's PDF export."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(source)],
                   check=True, capture_output=True, timeout=300)
    pdf = work / f"{source.stem}.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(png.with_suffix(""))], check=True, capture_output=True, timeout=300)


def main() -> int:
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        print(f"Images du guide inchangées : {', '.join(missing)} {agreed(len(missing), 'introuvable')} "
              "(paquets Debian "
              "libreoffice-calc, libreoffice-writer, poppler-utils).", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="clausexl-guide-") as tmp:
        outputs = demo_outputs(Path(tmp) / "demo")
        work = Path(tmp) / "pdf"
        work.mkdir()
        IMAGES.mkdir(exist_ok=True)
        for name, (source, _) in PICTURES.items():
            render(outputs / source, IMAGES / name, work)
        MANIFEST.write_text(json.dumps(manifest(outputs), ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{counted(len(PICTURES), 'image écrite', 'images écrites')} dans {IMAGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
