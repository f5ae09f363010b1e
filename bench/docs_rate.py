"""Documents per second of `courriers --mois`, in one process, phase by phase (read, contexts, render).

    PYTHONPATH=src python bench/docs_rate.py bench/data/q.xlsx --mois 2024-01 --tours 3

Prints the seconds of each phase and the rendering rate (best of `--tours`, in wall and in CPU time:
on a shared machine the CPU figure is the one to read), so that a change to the template adapter can
be judged without the reading time that dominates a whole process. Two fingerprints: of every part of
every document, and of their text as python-docx reads it (paragraphs and table cells), which must not
change when only the way the zip is written does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from clausexl.adapters.templates import Templates
from clausexl.adapters.workbook_reader import read_classeur
from clausexl.core.contexts import suivi


def fingerprint(outputs: list[bytes]) -> str:
    """A hash of every part of every document (not of the zips, whose timestamps change)."""
    h = hashlib.sha256()
    for out in outputs:
        with zipfile.ZipFile(io.BytesIO(out)) as z:
            for name in sorted(z.namelist()):
                h.update(name.encode() + z.read(name))
    return h.hexdigest()[:12]


def text_fingerprint(outputs: list[bytes]) -> str:
    """A hash of the text of every document: paragraphs, then table cells, as python-docx reads them."""
    import docx

    h = hashlib.sha256()
    for out in outputs:
        doc = docx.Document(io.BytesIO(out))
        h.update("\n".join(p.text for p in doc.paragraphs).encode())
        for table in doc.tables:
            for row in table.rows:
                h.update(" | ".join(c.text for c in row.cells).encode())
    return h.hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("classeur", type=Path)
    parser.add_argument("--mois", default="2024-01")
    parser.add_argument("--tours", type=int, default=3)
    args = parser.parse_args()
    month = dt.date.fromisoformat(args.mois + "-01")
    started = time.perf_counter()
    c = read_classeur(args.classeur, suivi.TABLES)
    read = time.perf_counter() - started
    started = time.perf_counter()
    releves, relances = suivi.releves_et_relances(c, month, dt.date(2024, 2, 15))
    contexts = time.perf_counter() - started
    specs = releves + relances
    templates = Templates()
    best, best_cpu, outputs = float("inf"), float("inf"), []
    for _ in range(args.tours):
        started, started_cpu = time.perf_counter(), time.process_time()
        outputs = [templates.render_docx(s.template, s.context) for s in specs]
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
    print(f"lecture {read:.2f} s · contextes {contexts:.2f} s · rendu {best:.2f} s (CPU {best_cpu:.2f} s) "
          f"pour {len(specs)} documents → {len(specs) / best:.1f} documents/s, {len(specs) / best_cpu:.1f} en CPU "
          f"(empreinte des parties {fingerprint(outputs)}, du texte {text_fingerprint(outputs)})")


if __name__ == "__main__":
    main()
