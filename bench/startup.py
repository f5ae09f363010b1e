"""Start-up of the command line against `python -c "import click"`, measured in the same run.

    PYTHONPATH=src python bench/startup.py --tours 15

Whole processes, interleaved (each round runs every command once, so a burst of load on a shared
machine falls on all of them); medians of wall and CPU time, and each median as a ratio of the
`import click` one. Goal (docs/performance.md): `clausexl --help` ≤ 2,5 × `import click`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
COMMANDS = {
    'python -c "import click" (référence)': ["-c", "import click"],
    "clausexl --help": ["-m", "clausexl", "--help"],
    "clausexl valider --help": ["-m", "clausexl", "valider", "--help"],
    "clausexl courriers --help": ["-m", "clausexl", "courriers", "--help"],
}


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, *argv], stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} a échoué")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tours", type=int, default=15)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])))
    wall: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():  # warm-up: byte-code caches written, files in the page cache
        run_once(argv, env)
    for _ in range(args.tours):
        for name, argv in COMMANDS.items():
            w, c = run_once(argv, env)
            wall[name].append(w)
            cpu[name].append(c)
    base_wall = statistics.median(next(iter(wall.values())))
    base_cpu = statistics.median(next(iter(cpu.values())))
    print("| commande | médiane (s) | ÷ référence | CPU (s) | CPU ÷ référence |")
    print("|---|---|---|---|---|")
    for name in COMMANDS:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"| {name} | {w:.3f} | {w / base_wall:.2f} | {c:.3f} | {c / base_cpu:.2f} |".replace(".", ","))


if __name__ == "__main__":
    main()
