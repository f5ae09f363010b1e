"""Documents per second of `courriers --mois`, in one process, phase by phase (read, contexts, render).

    PYTHONPATH=src python bench/docs_rate.py bench/data/q.xlsx --mois 2024-01 --tours 3

Prints the seconds of each phase and the rendering rate (best of `--tours`), so that a change to the
template adapter can be judged without the reading time that dominates a whole process.
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
    best, digest = float("inf"), ""
    for _ in range(args.tours):
        started = time.perf_counter()
        outputs = [templates.render_docx(s.template, s.context) for s in specs]
        best = min(best, time.perf_counter() - started)
        digest = fingerprint(outputs)
    print(f"lecture {read:.2f} s · contextes {contexts:.2f} s · rendu {best:.2f} s "
          f"pour {len(specs)} documents → {len(specs) / best:.1f} documents/s (empreinte {digest})")


if __name__ == "__main__":
    main()
