"""The performance benchmark of docs/performance.md: verbs against the file-reading floor.

For each size, on the same generated workbook and in the same run, times as whole processes
(start-up and imports included): the baseline (python-calamine reads every table, nothing else),
then each verb. One warm-up run, then the median of `--repetitions` runs; peak resident memory of
each process from `os.wait4`. Prints a Markdown table (ratios to the baseline, documents per
second, growth per doubling) and writes the raw figures to `bench/data/resultats.json`.

    PYTHONPATH=src python bench/run.py --tailles 0.25,0.5,1,2 --repetitions 3

A verb that is not available yet (not registered in the CLI) is skipped with a note.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SRC = HERE.parent / "src"
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/ is not a package)

#: The floor: python-calamine reads every table, nothing else — with the garbage collector off, as
#: the tool reads (its full passes over millions of new cells free nothing): a baseline that kept it
#: on would be ~15 % slower and flatter every ratio.
BASELINE = """
import gc
import sys
import python_calamine
gc.disable()
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1], load_tables=True)
rows = sum(len(book.get_table_by_name(name).to_python()) for name in book.table_names)
"""
#: The baseline of the first reports, collector on, kept as a line of its own to show the difference.
BASELINE_GC_ON = BASELINE.replace("gc.disable()\n", "")


@dataclass
class Measure:
    """One command at one size: wall and CPU times of the timed runs, peak RSS, documents written."""

    name: str
    size: float
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    documents: int | None = None
    exit_codes: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")


@dataclass(frozen=True)
class Command:
    """A process to time: `args(workbook, out_dir)` gives its argv; `documents` counts its outputs."""

    name: str
    verb: str | None
    args: Callable[[Path, Path], list[str]]
    counts_documents: bool = False
    src: Path | None = None  # another source tree to run (`--avant`), else this one


def commands(before: Path | None = None) -> list[Command]:
    """The baseline, the old baseline, each verb; with `before`, each verb again run from that tree."""
    py = [sys.executable]
    cli = [*py, "-m", "clausexl"]
    verbs = [
        Command("valider", "valider", lambda wbk, out: [*cli, "valider", str(wbk), "--json"]),
        Command("heures", "heures", lambda wbk, out: [*cli, "heures", str(wbk), "--au", "2024-12-31", "--json"]),
        Command(f"bilan --annee {generate.YEAR_OF_BILAN}", "bilan",
                lambda wbk, out: [*cli, "bilan", str(wbk), "--annee", str(generate.YEAR_OF_BILAN), "--json"]),
        Command(f"courriers --mois {generate.MONTH_OF_LETTERS}", "courriers",
                lambda wbk, out: [*cli, "courriers", str(wbk), "--mois", generate.MONTH_OF_LETTERS,
                                  "--sortie", str(out), "--force"],
                counts_documents=True),
    ]
    twins = [Command(f"{c.name} (avant)", c.verb, c.args, c.counts_documents, before) for c in verbs] if before else []
    return [
        Command("lecture seule (référence)", None, lambda wbk, out: [*py, "-c", BASELINE, str(wbk)]),
        Command("lecture seule, ramasse-miettes actif (ancienne référence)", None,
                lambda wbk, out: [*py, "-c", BASELINE_GC_ON, str(wbk)]),
        *([c for pair in zip(twins, verbs, strict=True) for c in pair] if twins else verbs),
    ]


def available_verbs() -> set[str]:
    """Verbs the CLI registers, asked in-process (cheap) rather than by trial."""
    import click

    from clausexl.cli import main

    return set(main.list_commands(click.Context(main)))


def environment(src: Path = SRC) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system), peak RSS (MiB) and exit code of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.stderr:
        process.stderr.close()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} a échoué ({process.returncode}) :\n{stderr[-2000:]}")
    # ru_maxrss is in KiB on Linux.
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def workbook_for(size: float, seed: int) -> Path:
    """The generated workbook of this size, written once and kept in bench/data/."""
    path = DATA / f"grand-x{size:g}-g{seed}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        generate.build(path, size, seed)
        print(f"  généré {path.name} en {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def measure_size(selected: list[Command], size: float, workbook: Path, repetitions: int,
                 env: dict[str, str]) -> list[Measure]:
    """Every command on the same file, interleaved (one warm-up round, then `repetitions` rounds),
    so that a burst of load on a shared machine falls on all commands rather than on one."""
    results = [Measure(c.name, size) for c in selected]
    with tempfile.TemporaryDirectory(prefix="clausexl-bench-") as scratch:
        for attempt in range(repetitions + 1):
            for command, result in zip(selected, results):
                out = Path(scratch) / "sorties"
                if out.exists():
                    shutil.rmtree(out)
                elapsed, cpu, peak, code = run_once(command.args(workbook, out),
                                                    environment(command.src) if command.src else env)
                if command.counts_documents:
                    result.documents = sum(1 for p in out.rglob("*") if p.is_file()) if out.exists() else 0
                if attempt == 0:  # the warm-up run: file cache, .pyc
                    continue
                result.times.append(elapsed)
                result.cpu.append(cpu)
                result.peak_mib = max(result.peak_mib, peak)
                result.exit_codes.append(code)
            print(f"  ×{size:g} tour {attempt} fait", file=sys.stderr)
    return results


def table(results: list[Measure], sizes: list[float]) -> str:
    """Markdown: one line per command and size; ratio to the baseline of the same size."""
    baseline = {m.size: m.median for m in results if m.name == commands()[0].name}
    baseline_cpu = {m.size: m.median_cpu for m in results if m.name == commands()[0].name}
    lines = ["| commande | taille | médiane (s) | ÷ référence | CPU (s) | CPU ÷ référence | mémoire max (Mio) "
             "| documents/s |",
             "|---|---|---|---|---|---|---|---|"]
    for m in results:
        if m.note:
            lines.append(f"| {m.name} | ×{m.size:g} | — | — | — | — | — | {m.note} |")
            continue
        ratio = m.median / baseline[m.size] if m.size in baseline else float("nan")
        ratio_cpu = m.median_cpu / baseline_cpu[m.size] if m.size in baseline_cpu else float("nan")
        per_second = f"{m.documents / m.median:.1f} ({m.documents} doc.)" if m.documents is not None else ""
        lines.append(f"| {m.name} | ×{m.size:g} | {m.median:.2f} | {ratio:.2f} | {m.median_cpu:.2f} | "
                     f"{ratio_cpu:.2f} | {m.peak_mib:.0f} | {per_second} |")
    lines += ["", "Croissance (temps à la taille double ÷ temps ; cible 1,8 à 2,2 de ×1 à ×2) :", "",
              "| commande | " + " | ".join(f"×{a:g}→×{b:g}" for a, b in itertools.pairwise(sizes)) + " |",
              "|---|" + "---|" * (len(sizes) - 1)]
    by_key = {(m.name, m.size): m for m in results if not m.note}
    for name in dict.fromkeys(m.name for m in results):
        cells = []
        for a, b in itertools.pairwise(sizes):
            ma, mb = by_key.get((name, a)), by_key.get((name, b))
            cells.append(f"{mb.median / ma.median:.2f} (CPU {mb.median_cpu / ma.median_cpu:.2f})"
                         if ma and mb else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    memory = ""
    try:
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        memory = f"{kib / 1024 ** 2:.1f} Gio"
    except (OSError, StopIteration):
        pass
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    return {"coeurs": str(os.cpu_count()), "memoire": memory, "processeur": cpu,
            "python": platform.python_version(), "systeme": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Banc de performance de clausexl.")
    parser.add_argument("--tailles", default="0.25,0.5,1,2",
                        help="tailles séparées par des virgules (1 = ~400 000 heures)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--graine", type=int, default=42)
    parser.add_argument("--verbes", default="", help="ne mesurer que ces commandes (ex. valider,heures)")
    parser.add_argument("--avant", type=Path, help="dossier src/ d'une autre version : ses verbes sont mesurés "
                        "aussi, entrelacés dans les mêmes tours (avant/après dans un seul passage)")
    args = parser.parse_args(argv)
    sizes = sorted(float(s) for s in args.tailles.split(","))
    only = {v for v in args.verbes.split(",") if v}
    env = environment()
    verbs = available_verbs()
    results: list[Measure] = []
    for size in sizes:
        workbook = workbook_for(size, args.graine)
        selected = [c for c in commands(args.avant) if c.verb is None or not only or c.verb in only]
        missing = [c for c in selected if c.verb is not None and c.verb not in verbs]
        measured = measure_size([c for c in selected if c not in missing], size, workbook, args.repetitions, env)
        results += measured + [Measure(c.name, size, note="verbe pas encore disponible") for c in missing]
    report = table(results, sizes)
    print(report)
    print("\nMachine : " + ", ".join(f"{k} {v}" for k, v in machine().items()))
    DATA.mkdir(exist_ok=True)
    (DATA / "resultats.json").write_text(json.dumps(
        {"machine": machine(), "repetitions": args.repetitions,
         "mesures": [{**asdict(m), "mediane": m.median, "mediane_cpu": m.median_cpu} for m in results]},
        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
