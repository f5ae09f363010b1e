"""`reperer` on every DECP shape, as ratios against the reading floor measured in the same run.

    PYTHONPATH=src python bench/decp_read.py [--lignes 600000] [--json-mio 200] [--dossier /tmp]

Generates, in a temporary folder, a consolidated `decp.parquet` (one row per market × holder ×
modification, the national columns, ≈ 1 % of rows in the Manche), its CSV twin, and a JSON v2 file
(`bench/decp_memory.py`'s records). Each measure is one new process (start included) under
`/usr/bin/time -v`:

- whole `clausexl reperer F --classeur W --departement 50` on the parquet / CSV, against polars alone
  reading the same columns with the same filter (goal ≤ 1,5×);
- whole `reperer` on the JSON against ijson's C backend iterating the same records and doing nothing
  (goal ≤ 1,3×);
- the peak memory of each (goal: flat in the file's size, ≤ 1 Gio).

The national files are ≈ 3 M rows and 1 Go of JSON; on a shared 2-core machine keep the defaults
(moderate sizes) and say so with the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from decp_memory import BUYER, MIB, buyer_workbook, generate, measure

COLUMNS = ["uid", "id", "acheteur_id", "objet", "montant", "dateNotification", "acheteur_nom", "acheteur_categorie",
           "acheteur_departement_code", "lieuExecution_code", "lieuExecution_typeCode", "codeCPV", "type",
           "procedure", "dureeMois", "considerationsSociales", "titulaire_id", "titulaire_typeIdentifiant",
           "donneesActuelles"]


def consolidated(rows: int, seed: int = 2024) -> pl.DataFrame:
    """`rows` rows shaped like the national decp.parquet: ≈ 1,3 rows per market, 1 % in the Manche."""
    rng = np.random.default_rng(seed)
    market = np.sort(rng.integers(0, int(rows / 1.3), rows))
    dept = np.where(rng.random(rows) < 0.01, 50, rng.integers(1, 96, rows))
    dept = dept[market % len(dept)]  # one département per market
    buyers = rng.integers(10**13, 10**14, rows).astype(str)
    buyers = np.where(market % 997 == 0, BUYER, buyers[market % rows])
    postal = np.char.add(np.char.zfill(dept.astype(str), 2), np.char.zfill(rng.integers(0, 1000, rows).astype(str), 3))
    social = rng.choice(["Sans objet", "Clause sociale", "Clause sociale, Critère social", "Marché réservé", "NC"],
                        rows, p=[0.78, 0.12, 0.04, 0.03, 0.03])
    uid = np.char.add(buyers, np.char.add("2024-", market.astype(str)))
    return pl.DataFrame({
        "uid": uid, "id": np.char.add("2024-", market.astype(str)), "acheteur_id": buyers,
        "objet": np.char.add("Travaux de réhabilitation du bâtiment — lot ", (market % 12).astype(str)),
        "montant": np.round(rng.uniform(1000, 5_000_000, rows), 2),
        "dateNotification": (np.datetime64("2024-01-01") + rng.integers(0, 1000, rows)).astype("datetime64[D]"),
        "acheteur_nom": np.char.add("Acheteur ", buyers),
        "acheteur_categorie": rng.choice(["Commune", "EPCI", "État"], rows),
        "acheteur_departement_code": np.char.zfill(dept.astype(str), 2), "lieuExecution_code": postal,
        "lieuExecution_typeCode": "Code postal",
        "codeCPV": rng.choice(["45000000-7", "45210000-2", "90910000-9", "79000000-4", "30190000-7"], rows),
        "type": "Marché", "procedure": "Appel d'offres ouvert", "dureeMois": rng.integers(1, 60, rows),
        "considerationsSociales": social, "titulaire_id": rng.integers(10**13, 10**14, rows).astype(str),
        "titulaire_typeIdentifiant": "SIRET", "donneesActuelles": rng.random(rows) < 0.8,
    })


POLARS_ALONE = """
import polars as pl, sys
path, kind = sys.argv[1], sys.argv[2]
cols = {cols!r}
frame = pl.scan_parquet(path) if kind == "parquet" else pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy")
code = pl.col("lieuExecution_code")
cond = (pl.col("acheteur_id").is_in([{buyer!r}]) | pl.col("acheteur_departement_code").is_in(["50"])
        | code.str.slice(0, 2).is_in(["50"]) | code.str.slice(0, 3).is_in(["50"]))
out = frame.select([pl.col(c).cast(pl.String) for c in cols]).filter(cond).collect(engine="streaming")
print(out.height)
"""

IJSON_ALONE = """
import ijson, sys
n = 0
with open(sys.argv[1], "rb") as f:
    for _ in ijson.items(f, "marches.marche.item", use_float=False):
        n += 1
print(n)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lignes", type=int, default=600_000, help="lignes du parquet (national : ≈ 3 M)")
    parser.add_argument("--json-mio", type=int, default=200, help="taille du JSON en Mio (national : ≈ 1 000)")
    parser.add_argument("--dossier", default=None)
    args = parser.parse_args()
    print(f"Machine : {os.cpu_count()} cœurs partagés, Python {platform.python_version()}, polars {pl.__version__}, "
          f"ijson backend {__import__('ijson').backend}")
    with tempfile.TemporaryDirectory(dir=args.dossier) as tmp:
        folder = Path(tmp)
        workbook = buyer_workbook(folder)
        frame = consolidated(args.lignes)
        parquet, csv = folder / "decp.parquet", folder / "decp.csv"
        frame.write_parquet(parquet)
        frame.write_csv(csv)
        del frame
        json_path = folder / "decp.json"
        generate(json_path, args.json_mio)
        alone = folder / "polars_alone.py"
        alone.write_text(POLARS_ALONE.format(cols=COLUMNS, buyer=BUYER))
        ijson_alone = folder / "ijson_alone.py"
        ijson_alone.write_text(IJSON_ALONE)

        def reperer(path: Path) -> tuple[float, float]:
            return measure([sys.executable, "-m", "clausexl", "reperer", str(path), "--classeur", str(workbook),
                            "--departement", "50"])

        print(f"{'fichier':<34} {'taille':>9} {'reperer':>9} {'plancher':>9} {'ratio':>6} {'RSS reperer':>12} "
              f"{'RSS plancher':>13}")
        for path, kind in ((parquet, "parquet"), (csv, "csv")):
            floor_rss, floor = measure([sys.executable, str(alone), str(path), kind])
            rss, wall = reperer(path)
            print(f"{path.name + f' ({args.lignes} lignes)':<34} {path.stat().st_size / MIB:6.0f} Mio {wall:7.2f} s "
                  f"{floor:7.2f} s {wall / floor:5.2f}× {rss:8.0f} Mio {floor_rss:9.0f} Mio", flush=True)
        floor_rss, floor = measure([sys.executable, str(ijson_alone), str(json_path)])
        rss, wall = reperer(json_path)
        print(f"{'decp.json (v2)':<34} {json_path.stat().st_size / MIB:6.0f} Mio {wall:7.2f} s {floor:7.2f} s "
              f"{wall / floor:5.2f}× {rss:8.0f} Mio {floor_rss:9.0f} Mio")


if __name__ == "__main__":
    main()
