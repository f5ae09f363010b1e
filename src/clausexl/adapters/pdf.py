"""PDF copies of documents through LibreOffice (`soffice --headless --convert-to pdf`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..core.errors import ClausexlError

SOFFICE_ENV = "CLAUSEXL_SOFFICE"
_WINDOWS = (r"C:\Program Files\LibreOffice\program\soffice.exe",
            r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_MAC = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
ABSENT = ("LibreOffice est introuvable (commande soffice) : les PDF n'ont pas été produits. Installez "
          "LibreOffice, ou indiquez le chemin de soffice dans la variable d'environnement "
          f"{SOFFICE_ENV} ; les documents Word ont bien été écrits.")


def find_soffice() -> str | None:
    """The LibreOffice executable: the environment variable, the PATH, then the usual install places."""
    given = os.environ.get(SOFFICE_ENV)
    if given:
        return given if Path(given).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in (*_WINDOWS, _MAC) if Path(p).is_file()), None)


def to_pdf(soffice: str, documents: Sequence[bytes], near: Path, timeout: float = 600) -> list[bytes]:
    """PDF bytes of each .docx given as bytes, converted in one LibreOffice run.

    The scratch folder is a hidden folder inside `near` (the output folder), never the system's
    temporary folder: letters name people, and what a stop could leave stays where the user looks.
    """
    try:
        near.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ClausexlError(f"Le dossier « {near} » n'a pas pu être créé ({err.strerror}) : "
                            "rien n'a été écrit.") from err
    with tempfile.TemporaryDirectory(prefix=".~clausexl-pdf-", dir=near) as scratch:
        folder = Path(scratch)
        sources = []
        for i, data in enumerate(documents):
            src = folder / f"document-{i:05d}.docx"
            src.write_bytes(data)
            sources.append(src)
        profile = (folder / "profil").as_uri()
        command = [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                   "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, sources)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise ClausexlError(f"LibreOffice n'a pas pu convertir les documents en PDF ({err}) : "
                                "rien n'a été écrit.") from err
        out = []
        for src in sources:
            pdf = folder / "pdf" / f"{src.stem}.pdf"
            if not pdf.is_file():
                raise ClausexlError("LibreOffice n'a pas produit tous les PDF (" + (run.stderr.strip() or
                                    f"code {run.returncode}") + ") : rien n'a été écrit.")
            out.append(pdf.read_bytes())
        return out
