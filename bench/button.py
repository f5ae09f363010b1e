"""A ribbon button on a large workbook, through xlwings' remote engine, against the command line.

    PYTHONPATH=src python bench/button.py bench/data/grand-x1-g42.xlsx --tours 3

Builds once the JSON payload the VBA client would send for the workbook (tests/excel_payload.py),
then, in interleaved rounds, times in CPU seconds:
- « Vérifier la saisie » (`clausexl.excel.saisie.verifier_saisie`) reading the tables as it does now
  (raw values, date texts converted once per distinct text), then as before (`.value`, which
  matches every cell against xlwings' date pattern) — same process, same payload;
- `clausexl valider --json` on the same file, as a whole process (start-up and imports included).
Medians. The remote engine needs a licence key: the noncommercial one is set for this process only,
as the tests do (`enable_remote_engine`). Also times, as whole processes, the imports a button
makes before its first read against `python -c "import click"`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path[:0] = [str(SRC), str(HERE.parent / "tests")]


def process_cpu(argv: list[str]) -> float:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen([sys.executable, *argv], stdout=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("classeur", type=Path)
    parser.add_argument("--tours", type=int, default=3)
    args = parser.parse_args()

    import pytest
    import xlwings as xw

    from clausexl.adapters import excel_live
    from clausexl.excel import saisie
    from excel_payload import enable_remote_engine, payload

    imports = {'python -c "import click"': ["-c", "import click"],
               'python -c "import xlwings"': ["-c", "import xlwings"],
               "import clausexl.excel.saisie (avant la première lecture)": ["-c", "import clausexl.excel.saisie"]}
    startup: dict[str, list[float]] = {name: [] for name in imports}
    for _ in range(args.tours * 3):
        for name, argv in imports.items():
            startup[name].append(process_cpu(argv))
    base = statistics.median(startup['python -c "import click"'])
    for name, times in startup.items():
        print(f"{name} : CPU {statistics.median(times):.3f} s, {statistics.median(times) / base:.2f} × import click")

    started = time.perf_counter()
    data = payload(args.classeur)
    print(f"charge utile JSON construite en {time.perf_counter() - started:.1f} s", file=sys.stderr)
    now_read = excel_live.range_cells

    def before_read(rng):
        return rng.options(ndim=2).value

    timings: dict[str, list[float]] = {"bouton, valeurs brutes (après)": [], "bouton, .value (avant)": [],
                                       "clausexl valider --json (processus entier)": []}
    with pytest.MonkeyPatch.context() as monkeypatch:
        enable_remote_engine(monkeypatch)
        for _ in range(args.tours):
            for name, reader in (("bouton, valeurs brutes (après)", now_read), ("bouton, .value (avant)", before_read)):
                monkeypatch.setattr(excel_live, "range_cells", reader)
                book = xw.Book(json=data)
                book.set_mock_caller()
                started = time.process_time()
                saisie.verifier_saisie()
                timings[name].append(time.process_time() - started)
            timings["clausexl valider --json (processus entier)"].append(
                process_cpu(["-m", "clausexl", "valider", str(args.classeur), "--json"]))
    cli = statistics.median(timings["clausexl valider --json (processus entier)"])
    for name, times in timings.items():
        median = statistics.median(times)
        print(f"{name} : CPU {median:.2f} s ({median / cli:.2f} × la ligne de commande)")


if __name__ == "__main__":
    main()
