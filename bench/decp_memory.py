"""Peak memory of `clausexl reperer` on generated DECP files of growing size (the file is never kept).

    PYTHONPATH=src python bench/decp_memory.py [--tailles 64,256,1024] [--dossier /tmp]

Each size (MiB) is written to a temporary folder as a v2 file `{"marches": {"marche": [...]}}` of
~1 KB records (one in 1 000 from a buyer of the territory, a few malformed), then `reperer` runs in
its own process under `/usr/bin/time -v`; the peak resident memory (RSS) and the wall time are printed.
Memory is flat when the peak does not grow with the file. For contrast, `json.load` of the smallest file
is measured the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from clausexl.adapters.workbook_build import build_workbook  # noqa: E402

BUYER = "21750001630040"
AWARDEE = "55204599900869"
MIB = 1 << 20


def record(i: int, rng: random.Random) -> dict:
    """One market record of the official v2 schema, varied enough to look like a national file."""
    ours = i % 1000 == 0
    buyer = BUYER if ours else f"{rng.randrange(10**13, 10**14)}"
    rec = {
        "id": f"2024-{i:09d}", "acheteur": {"id": buyer}, "nature": rng.choice(["Marché", "Accord-cadre"]),
        "objet": f"Travaux de réhabilitation du bâtiment {i} — lot {i % 12} (gros œuvre, menuiseries, peinture)",
        "codeCPV": rng.choice(["45000000-7", "45210000-2", "90910000-9", "79000000-4", "30190000-7"]),
        "technique": ["Aucune technique d'achat"], "modaliteExecution": ["Tranches"], "idAccordCadre": None,
        "marcheInnovant": False, "ccag": "Travaux", "offresRecues": rng.randrange(1, 12),
        "attributionAvance": False, "tauxAvance": 0, "typeGroupementOperateurs": "Pas de groupement",
        "sousTraitanceDeclaree": False, "actesSousTraitance": [], "procedure": "Appel d'offres ouvert",
        "lieuExecution": {"code": f"{rng.randrange(1, 96):02d}{rng.randrange(0, 1000):03d}", "typeCode": "Code postal"},
        "dureeMois": rng.randrange(1, 60), "dateNotification": "2024-05-15", "datePublicationDonnees": "2024-05-25",
        "montant": round(rng.uniform(1000, 5_000_000), 2), "typePrix": ["Définitif ferme"], "formePrix": "Forfaitaire",
        "origineUE": 0.1, "origineFrance": 0.1,
        "titulaires": [{"id": AWARDEE if ours else f"{rng.randrange(10**13, 10**14)}", "typeIdentifiant": "SIRET"}],
        "considerationsSociales": [rng.choice(["Clause sociale", "Pas de considération sociale"])],
        "considerationsEnvironnementales": ["Pas de considération environnementale"],
        "modificationsActesSousTraitance": [], "modifications": [],
    }
    if ours and i % 7000 == 0:
        rec["montant"] = "illisible"
    return rec


def generate(path: Path, size_mib: int) -> int:
    """Write records until the file reaches `size_mib`; returns the number of records."""
    rng = random.Random(2024)
    target = size_mib * MIB
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"marches": {"marche": [\n')
        written = 0
        while written < target:
            chunk = ",\n".join(json.dumps(record(count + k, rng), ensure_ascii=False) for k in range(1000))
            if count:
                f.write(",\n")
            f.write(chunk)
            written += len(chunk.encode("utf-8"))
            count += 1000
        f.write("\n]}}\n")
    return count


def measure(argv: list[str]) -> tuple[float, float]:
    """(peak RSS in MiB, wall seconds) of one process."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    wall = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise RuntimeError(out.stderr[-2000:])
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
    if peak is None:
        raise RuntimeError("no peak memory in the output of /usr/bin/time -v")
    kib = int(peak.group(1))
    return kib / 1024, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tailles", default="64,256,1024",
                        help="tailles des fichiers en Mio, séparées par des virgules")
    parser.add_argument("--dossier", default=None, help="dossier temporaire (défaut : celui du système)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.tailles.split(",")]
    print(f"Machine : {os.cpu_count()} cœurs, {_memory_gib():.0f} Gio, Python {platform.python_version()}, "
          f"ijson backend {__import__('ijson').backend}")
    with tempfile.TemporaryDirectory(dir=args.dossier) as tmp:
        folder = Path(tmp)
        workbook = buyer_workbook(folder)
        print(f"{'taille':>10} {'marchés':>10} {'RSS max':>10} {'durée':>8}")
        for size in sizes:
            path = folder / f"decp-{size}.json"
            count = generate(path, size)
            rss, wall = measure([sys.executable, "-m", "clausexl", "reperer", str(path), "--classeur", str(workbook)])
            real = path.stat().st_size / MIB
            print(f"{real:8.0f} Mio {count:>10} {rss:7.0f} Mio {wall:7.1f} s", flush=True)
            if size == min(sizes):
                rss_load, wall_load = measure([sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"])
                print(f"{'':>10} json.load du même fichier : {rss_load:.0f} Mio, {wall_load:.1f} s (pour comparer)")
            path.unlink()


def buyer_workbook(folder: Path) -> Path:
    """A workbook whose one buyer is the generated files' buyer, so that `reperer` keeps its markets."""
    workbook = folder / "classeur.xlsx"
    build_workbook(workbook, {"T_DonneursOrdre": [{"id": "D1", "nom": "Ville", "categorie": "Commune",
                                                    "siret": BUYER}]}, {})
    return workbook


def _memory_gib() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    except (ValueError, OSError):
        return float("nan")


if __name__ == "__main__":
    main()
