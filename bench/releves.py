"""Benchmark of importer-releves: 200 returned statement forms into the generated workbook.

The workbook is bench/generate.py's, except that the hours of one month are left out of T_Heures
(the month with the most running contracts): the forms of that month are made by `releves`' own
code, filled in (at the zip level, as Excel would save them) with the generated hours, and the 200
forms with the most lines are imported, so every row is checked and appended. The time of the
whole `clausexl importer-releves` process is compared, in the same run, with the time of a process
that only reads every table of that workbook with python-calamine (bench/run.py's baseline).

    PYTHONPATH=src python bench/releves.py --taille 1 --formulaires 200 --repetitions 3

On a shared machine, keep it small: `--taille 0.25 --repetitions 1`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/ is not a package)
import run  # noqa: E402
from clausexl.adapters.statement_form import write_filled  # noqa: E402
from clausexl.adapters.workbook_reader import read_classeur  # noqa: E402
from clausexl.core.releves import TABLES, forms  # noqa: E402


def busiest_month(tables: dict) -> dt.date:
    """The month with the most hour rows: the one whose statements are imported."""
    months = np.asarray(tables["T_Heures"]["mois"], dtype="datetime64[M]")
    values, counts = np.unique(months, return_counts=True)
    best = values[int(np.argmax(counts))].astype(dt.date)
    return dt.date(best.year, best.month, 1)


def without_month(tables: dict, month: dt.date) -> tuple[dict, dict[str, tuple[float, float | None]]]:
    """The tables with `month`'s hour rows removed, and those rows' hours by contract (what companies send)."""
    hours = tables["T_Heures"]
    months = np.asarray(hours["mois"], dtype="datetime64[M]")
    drop = months == np.datetime64(f"{month:%Y-%m}")
    sent = {str(k): (float(t), None if f is None or f != f else float(f))
            for k, t, f, d in zip(hours["contrat"], hours["heures_travaillees"], hours["heures_formation"], drop) if d}
    kept = {key: (values[~drop] if isinstance(values, np.ndarray) else [v for v, d in zip(values, drop) if not d])
            for key, values in hours.items()}
    return {**tables, "T_Heures": kept}, sent


def prepare(folder: Path, size: float, seed: int, count: int) -> tuple[Path, Path, int, dt.date]:
    """The workbook without the month, and `count` filled forms of that month; returns the rows they hold."""
    tables = generate.generate(size, seed)
    month = busiest_month(tables)
    tables, sent = without_month(tables, month)
    workbook = folder / f"grand-x{size:g}-sans-{month:%Y-%m}.xlsx"
    generate.write_workbook(workbook, tables)
    chosen = sorted(forms(read_classeur(workbook, TABLES), month), key=lambda f: (-len(f.lignes), f.entreprise))
    returned = folder / "relevés"
    returned.mkdir()
    rows = 0
    for i, form in enumerate(chosen[:count]):
        hours = {line.contrat: sent.get(line.contrat, (151.67, None)) for line in form.lignes}
        write_filled(form, returned / f"relevé {i:03d} {form.entreprise}.xlsx", hours)
        rows += len(hours)
    return workbook, returned, rows, month


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taille", type=float, default=1.0)
    parser.add_argument("--graine", type=int, default=42)
    parser.add_argument("--formulaires", type=int, default=200)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args(argv)
    env = run.environment()
    with tempfile.TemporaryDirectory(prefix="clausexl-bench-releves-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        workbook, returned, rows, month = prepare(folder, args.taille, args.graine, args.formulaires)
        files = len(list(returned.iterdir()))
        print(f"préparé en {time.perf_counter() - started:.0f} s : {files} relevés de {month:%m/%Y}, {rows} lignes",
              file=sys.stderr)
        baseline = [sys.executable, "-c", run.BASELINE, str(workbook)]
        times: dict[str, list[tuple[float, float, float]]] = {"lecture": [], "import": []}
        for attempt in range(args.repetitions + 1):
            copy = folder / f"copie-{attempt}.xlsx"
            importer = [sys.executable, "-m", "clausexl", "importer-releves", str(workbook), str(returned),
                        "--sortie", str(copy)]
            for name, argv_ in (("lecture", baseline), ("import", importer)):
                elapsed, cpu, peak, _ = run.run_once(argv_, env)
                if attempt:
                    times[name].append((elapsed, cpu, peak))
        imported = len(read_classeur(copy, ["T_Heures"])["T_Heures"]) - (
            len(read_classeur(workbook, ["T_Heures"])["T_Heures"]))
    med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in times.items()}
    print(f"| ×{args.taille:g} | {files} relevés, {rows} lignes ({imported} ajoutées) | lecture seule "
          f"{med['lecture'][0]:.2f} s (CPU {med['lecture'][1]:.2f} s) | importer-releves {med['import'][0]:.2f} s "
          f"(CPU {med['import'][1]:.2f} s, {med['import'][2]:.0f} Mio) | "
          f"ratio {med['import'][0] / med['lecture'][0]:.2f} "
          f"(CPU {med['import'][1] / med['lecture'][1]:.2f}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
