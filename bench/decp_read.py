"""`reperer` on every DECP shape, as ratios against the reading floor measured in the same run.

    PYTHONPATH=src python bench/decp_read.py [--lignes 3200000] [--json-mio 1024] [--tours 3]
                                              [--formes parquet,csv,json] [--avant SRC]

The files are generated once, with a fixed seed, in `bench/data/decp/` (ignored by git):
- `decp-<lignes>.parquet`, shaped like the national consolidated `decp.parquet` (one row per market ×
  holder × modification, ≈ 1,3 rows per market, the national columns, varied objects and buyers, about
  0,8 % of the markets in the Manche), and its CSV twin;
- `decp-<Mio>.json`, the regulatory JSON v2 of `bench/decp_memory.py` (one market in 1 000 from the
  workbook's buyer).

Each measure is one whole new process (start and imports included), its wall time, CPU time (user +
system) and peak memory read from `os.wait4`. After one warm-up round, every round runs all the commands
**interleaved** (the order turns from round to round) so that a burst of load on a shared machine falls
on all of them; the medians are printed, and the ratios of the medians.

- parquet / CSV: the whole `clausexl reperer F --classeur W --departement 50` against polars alone,
  in its own process, reading the same columns with the same territory filter (goal ≤ 1,5×); and that
  floor importing pandas in its main thread while it reads in a second one, as `reperer` does (what the
  import of pandas, which `reperer` needs to type the workbook, costs by itself);
- JSON: the whole `reperer` against ijson's C backend building the same records and doing nothing
  (`ijson.items`, the goal's floor: ≤ 1,3×); the raw event stream (`ijson.basic_parse`) is shown too;
- peak memory: flat in the file's size, ≤ 1 Gio (`bench/decp_memory.py` runs growing sizes).

`--avant SRC` also measures another source tree (`.../src` of an older commit), in the same rounds.
The raw figures go to `bench/data/decp/resultats.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from decp_memory import BUYER, MIB, buyer_workbook, generate  # noqa: E402

DATA = ROOT / "bench" / "data" / "decp"
#: The columns `reperer` asks polars for (core/decp_columns.py: REQUIRED + OPTIONAL present in the file).
READ = ["uid", "id", "acheteur_id", "objet", "montant", "dateNotification", "acheteur_nom", "acheteur_categorie",
        "acheteur_departement_code", "lieuExecution_code", "lieuExecution_typeCode", "codeCPV", "ccag", "nature",
        "type", "procedure", "dureeMois", "considerationsSociales", "titulaire_id", "titulaire_typeIdentifiant",
        "donneesActuelles"]

POLARS_ALONE = """
import sys
import polars as pl
path, kind = sys.argv[1], sys.argv[2]
frame = (pl.scan_parquet(path) if kind == "parquet"
         else pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True))
code = pl.col("lieuExecution_code")
cond = (pl.col("acheteur_id").is_in([{buyer!r}]) | pl.col("acheteur_departement_code").is_in(["50"])
        | code.str.slice(0, 2).is_in(["50"]) | code.str.slice(0, 3).is_in(["50"]))
out = frame.select([pl.col(c).cast(pl.String) for c in {columns!r}]).filter(cond).collect(engine="streaming")
print(out.height)
"""

#: The floor again, importing pandas in the main thread while the read runs in a second one, as `reperer`
#: does: what the import of pandas alone costs on this machine, read and import overlapping.
POLARS_AND_PANDAS = """
import sys, threading
import polars as pl
path, kind = sys.argv[1], sys.argv[2]
frame = (pl.scan_parquet(path) if kind == "parquet"
         else pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True))
code = pl.col("lieuExecution_code")
cond = (pl.col("acheteur_id").is_in([{buyer!r}]) | pl.col("acheteur_departement_code").is_in(["50"])
        | code.str.slice(0, 2).is_in(["50"]) | code.str.slice(0, 3).is_in(["50"]))
out: list = []
reading = threading.Thread(target=lambda: out.append(
    frame.select([pl.col(c).cast(pl.String) for c in {columns!r}]).filter(cond).collect(engine="streaming")))
reading.start()
import pandas
reading.join()
print(out[0].height)
"""

IJSON_ITEMS = """
import sys
import ijson
n = 0
with open(sys.argv[1], "rb") as f:
    for _ in ijson.items(f, "marches.marche.item", use_float=False):
        n += 1
print(n)
"""

IJSON_EVENTS = """
import sys
import ijson
n = 0
with open(sys.argv[1], "rb") as f:
    for _ in ijson.basic_parse(f, use_float=False):
        n += 1
print(n)
"""

WORDS = ("réhabilitation", "construction", "entretien", "maintenance", "fourniture", "nettoyage", "restauration",
         "collective", "voirie", "réseaux", "assainissement", "espaces verts", "bâtiment", "groupe scolaire",
         "gymnase", "médiathèque", "logements", "collège", "lycée", "EHPAD", "mairie", "déchets", "transport",
         "scolaire", "informatique", "mobilier", "chauffage", "ventilation", "électricité", "plomberie",
         "menuiseries", "peinture", "couverture", "étanchéité", "désamiantage", "démolition", "gros œuvre",
         "lot", "tranche", "accord-cadre", "marché subséquent", "prestations", "travaux", "études", "maîtrise",
         "d'œuvre", "signalisation", "éclairage public", "crèche", "piscine")
CATEGORIES = ("Commune", "EPCI", "Département", "Région", "État", "Établissement public", "Bailleur social",
              "Centre hospitalier", "Entité adjudicatrice")


def consolidated(rows: int, seed: int = 2024) -> pl.DataFrame:
    """`rows` rows shaped like the national decp.parquet: ≈ 1,3 rows per market (holders, modifications),
    0,8 % of the markets in the Manche, 40 000 buyers, varied objects, amounts mostly small."""
    rng = np.random.default_rng(seed)
    markets = int(rows / 1.3)
    market = np.sort(rng.integers(0, markets, rows))
    m_dept = np.where(rng.random(markets) < 0.008, 50, rng.choice([d for d in range(1, 96) if d != 50], markets))
    m_buyer = rng.integers(0, 40_000, markets)
    buyer_ids = rng.integers(10**13, 10**14, 40_000).astype(str)
    buyer_ids[0] = BUYER
    m_buyer = np.where(np.arange(markets) % 997 == 0, 0, m_buyer)
    buyer_names = np.array([f"{CATEGORIES[i % len(CATEGORIES)]} {WORDS[i % 50].capitalize()} n° {i}"
                            for i in range(40_000)])
    words = np.array(WORDS)
    picks = rng.integers(0, len(WORDS), (markets, 4))
    objects = np.char.add(np.char.add(np.char.add(words[picks[:, 0]], " — "), words[picks[:, 1]]),
                          np.char.add(np.char.add(" ", words[picks[:, 2]]),
                                      np.char.add(" n° ", (np.arange(markets) % 97).astype(str))))
    amounts = np.round(np.exp(rng.normal(11.0, 1.6, markets)), 2)  # median ≈ 60 000 €, a long tail
    social = rng.choice(["Sans objet", "Clause sociale", "Clause sociale, Critère social", "Marché réservé", "NC",
                         "Pas de considération sociale"], markets, p=[0.70, 0.12, 0.04, 0.02, 0.04, 0.08])
    dept = m_dept[market]
    buyer = m_buyer[market]
    postal = np.char.add(np.char.zfill(dept.astype(str), 2), np.char.zfill(rng.integers(0, 1000, rows).astype(str), 3))
    first = np.r_[True, market[1:] != market[:-1]]
    return pl.DataFrame({
        "uid": np.char.add(buyer_ids[buyer], np.char.add("2024-", market.astype(str))),
        "id": np.char.add("2024-", market.astype(str)), "acheteur_id": buyer_ids[buyer],
        "acheteur_nom": buyer_names[buyer], "acheteur_categorie": np.array(CATEGORIES)[buyer % len(CATEGORIES)],
        "acheteur_departement_code": np.char.zfill(dept.astype(str), 2),
        "objet": objects[market], "montant": amounts[market],
        "dateNotification": (np.datetime64("2024-01-01") + rng.integers(0, 1000, rows)).astype("datetime64[D]"),
        "datePublicationDonnees": (np.datetime64("2024-02-01") + rng.integers(0, 1000, rows)).astype("datetime64[D]"),
        "lieuExecution_code": postal, "lieuExecution_typeCode": "Code postal",
        "codeCPV": rng.choice(["45000000-7", "45210000-2", "90910000-9", "79000000-4", "30190000-7", "71000000-8",
                               "77310000-6", "33000000-0", "15000000-8", "50000000-5"], rows),
        "ccag": rng.choice(["Travaux", "Fournitures courantes et services", "Prestations intellectuelles"], rows),
        "type": "Marché", "nature": rng.choice(["Marché", "Accord-cadre", "Marché subséquent"], rows),
        "procedure": rng.choice(["Appel d'offres ouvert", "Procédure adaptée", "Marché passé sans publicité"], rows),
        "dureeMois": rng.integers(1, 60, rows), "offresRecues": rng.integers(1, 12, rows),
        "formePrix": rng.choice(["Forfaitaire", "Unitaire", "Mixte"], rows),
        "considerationsSociales": social[market],
        "considerationsEnvironnementales": rng.choice(["Sans objet", "Clause environnementale"], rows),
        "titulaire_id": rng.integers(10**13, 10**14, rows).astype(str), "titulaire_typeIdentifiant": "SIRET",
        "titulaire_nom": np.char.add("Entreprise ", rng.integers(0, 200_000, rows).astype(str)),
        "modification_id": np.where(first, "", rng.integers(1, 5, rows).astype(str)),
        "donneesActuelles": np.r_[market[1:] != market[:-1], True],  # the market's last row is the current one
    })


@dataclass
class Command:
    """One process to time, and its runs."""

    label: str
    argv: list[str]
    runs: list[tuple[float, float, float]] = field(default_factory=list)  # (wall s, CPU s, peak RSS MiB)

    def median(self, i: int) -> float:
        return statistics.median(r[i] for r in self.runs)


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if process.stderr:
        process.stderr.close()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} a échoué :\n{stderr[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


@dataclass
class Files:
    """The generated files and the workbook of the territory; `made` when this run generated some."""

    parquet: Path
    csv: Path
    jsons: list[Path]
    workbook: Path
    made: bool


def files(lignes: int, json_mio: list[int]) -> Files:
    """The generated files (written once) and the workbook of the territory."""
    DATA.mkdir(parents=True, exist_ok=True)
    parquet, csv = DATA / f"decp-{lignes}.parquet", DATA / f"decp-{lignes}.csv"
    made = False
    if not parquet.exists() or not csv.exists():
        print(f"Génération de {lignes} lignes consolidées…", flush=True)
        frame = consolidated(lignes)
        frame.write_parquet(parquet)
        frame.write_csv(csv)
        made = True
    jsons = []
    for size in json_mio:
        path = DATA / f"decp-{size}.json"
        if not path.exists():
            print(f"Génération du JSON de {size} Mio…", flush=True)
            generate(path, size)
            made = True
        jsons.append(path)
    workbook = DATA / "classeur.xlsx"
    if not workbook.exists():
        buyer_workbook(DATA)
    return Files(parquet, csv, jsons, workbook, made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lignes", type=int, default=3_200_000, help="lignes du parquet (national : ≈ 3,2 M)")
    parser.add_argument("--json-mio", default="1024", help="tailles des JSON en Mio, séparées par des virgules")
    parser.add_argument("--tours", type=int, default=3, help="tours mesurés, après un tour d'échauffement")
    parser.add_argument("--formes", default="parquet,csv,json")
    parser.add_argument("--avant", type=Path, help="le dossier src d'une autre version, mesurée dans les mêmes tours")
    args = parser.parse_args()
    shapes = set(args.formes.split(","))
    generated = files(args.lignes, [int(s) for s in args.json_mio.split(",")])
    if generated.made:  # Linux keeps a process's peak memory across fork and exec: start again, lean
        os.execv(sys.executable, [sys.executable, *sys.argv])
    parquet, csv, jsons, workbook = generated.parquet, generated.csv, generated.jsons, generated.workbook
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    scripts = DATA / "planchers"
    scripts.mkdir(exist_ok=True)
    (scripts / "polars_seul.py").write_text(POLARS_ALONE.format(buyer=BUYER, columns=READ))
    (scripts / "polars_et_pandas.py").write_text(POLARS_AND_PANDAS.format(buyer=BUYER, columns=READ))
    (scripts / "ijson_items.py").write_text(IJSON_ITEMS)
    (scripts / "ijson_evenements.py").write_text(IJSON_EVENTS)

    def reperer(path: Path, src: Path | None = None) -> list[str]:
        prefix = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(src)!r}); "
                  "from clausexl.cli import main; main()"] if src else [sys.executable, "-m", "clausexl"]
        return [*prefix, "reperer", str(path), "--classeur", str(workbook), "--departement", "50"]

    groups: list[tuple[str, Path, list[Command]]] = []
    for path, kind in ((parquet, "parquet"), (csv, "csv")):
        if kind in shapes:
            alone = [sys.executable, str(scripts / "polars_seul.py"), str(path), kind]
            cmds = [Command("polars seul (plancher)", alone),
                    Command("polars seul + import de pandas", [sys.executable, str(scripts / "polars_et_pandas.py"),
                                                                str(path), kind]),
                    Command("reperer", reperer(path))]
            if args.avant:
                cmds.append(Command("reperer (avant)", reperer(path, args.avant)))
            groups.append((kind, path, cmds))
    if "json" in shapes:
        for path in jsons:
            cmds = [Command("ijson.items (plancher)", [sys.executable, str(scripts / "ijson_items.py"), str(path)]),
                    Command("ijson.basic_parse", [sys.executable, str(scripts / "ijson_evenements.py"), str(path)]),
                    Command("reperer", reperer(path))]
            if args.avant:
                cmds.append(Command("reperer (avant)", reperer(path, args.avant)))
            groups.append(("json", path, cmds))

    every = [c for _, _, cmds in groups for c in cmds]
    print(f"Machine : {os.cpu_count()} cœurs partagés, charge {os.getloadavg()[0]:.1f}, Python "
          f"{platform.python_version()}, polars {pl.__version__}, ijson {__import__('ijson').__version__} "
          f"(backend {__import__('ijson').backend})", flush=True)
    for round_ in range(args.tours + 1):
        order = every[round_ % len(every):] + every[:round_ % len(every)]
        for command in order:
            measure = run_once(command.argv, env)
            if round_:  # the first round warms the page cache and the imports
                command.runs.append(measure)
        print(f"tour {round_ or 'd’échauffement'} fini (charge {os.getloadavg()[0]:.1f})", flush=True)

    results = []
    print("\n| fichier | commande | temps réel (s) | CPU (s) | réel ÷ plancher | CPU ÷ plancher | mémoire max |")
    print("|---|---|---|---|---|---|---|")
    for kind, path, cmds in groups:
        floor = cmds[0]
        name = f"{path.name} ({path.stat().st_size / MIB:,.0f} Mio)".replace(",", " ")
        for c in cmds:
            wall, cpu, rss = c.median(0), c.median(1), max(r[2] for r in c.runs)
            print(f"| {name} | {c.label} | {fr(wall)} | {fr(cpu)} | {fr(wall / floor.median(0))} | "
                  f"{fr(cpu / floor.median(1))} | {rss:.0f} Mio |")
            results.append({"fichier": path.name, "forme": kind, "commande": c.label, "tours": c.runs})
    (DATA / "resultats.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))


def fr(x: float) -> str:
    """A figure as the tables of docs/performance.md write it (two decimals, a comma)."""
    return f"{x:.2f}".replace(".", ",")


if __name__ == "__main__":
    main()
