"""The benchmark's generated workbook follows the contract: the verbs do their full work on it."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import generate
from clausexl.adapters.workbook_reader import read_classeur
from clausexl.verbs.valider import valider


def test_generated_workbook_is_valid(tmp_path):
    """A small generated workbook gives no error; only the few long months planted on purpose warn."""
    path = tmp_path / "grand.xlsx"
    generate.write_workbook(path, generate.generate(scale=0.02, seed=7))
    codes = Counter(f.code for f in valider(path).findings)
    assert set(codes) <= {"heures-elevees"}, codes


def test_generation_is_seeded_and_sized(tmp_path):
    """The same seed gives the same rows; ×1 sizes follow the issue (hours ≈ 10 months per contract)."""
    first, again = generate.generate(0.02, seed=3), generate.generate(0.02, seed=3)
    assert first["T_Heures"]["contrat"] == again["T_Heures"]["contrat"]
    assert len(first["T_Contrats"]["id"]) == 800 and len(first["T_Marches"]["id"]) == 60
    assert 6_000 <= len(first["T_Heures"]["contrat"]) <= 10_000


def test_streamed_workbook_reads_like_the_build(tmp_path):
    """The streamed writer keeps the build's tables, headers and types: same typed rows as build_workbook."""
    from clausexl.adapters.workbook_build import build_workbook

    tables = generate.generate(0.005, seed=11)
    streamed, built = tmp_path / "streamed.xlsx", tmp_path / "built.xlsx"
    generate.write_workbook(streamed, tables)
    build_workbook(built, generate.as_rows(tables))
    a, b = read_classeur(streamed), read_classeur(built)
    for name in ("T_Marches", "T_Participants", "T_Contrats", "T_Heures", "T_Suivi"):
        assert a[name].equals(b[name]), name
