"""The fast paths of reperer give what the plain ones gave: the one-pass scan of a JSON file's bytes, the
ASCII shortcut of `fold`, the inline count of other territories' records (the consolidated files' merge and
classification in polars: tests/test_decp_frame.py)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clausexl.adapters import decp_stream
from clausexl.core.text import fold

PIECES = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda n, d: d * n, st.integers(0, 2600), st.sampled_from([b"7", b"0", b"9"])),
    st.sampled_from([b'{"montant": ', b"]", b"[", b", ", b"\n"]),
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(PIECES, max_size=8), chunk=st.sampled_from([1, 7, 333, 1000, 1001, 4096, 1 << 22]))
def test_scan_finds_every_overlong_number_whatever_the_chunks(tmp_path_factory, pieces: list[bytes],
                                                              chunk: int) -> None:
    """A run of more than MAX_DIGITS digits is seen wherever it falls (inside a chunk, across two or more),
    and the bracket depth is that of the bytes."""
    data = b"".join(pieces)
    path = tmp_path_factory.mktemp("scan") / "f.json"
    path.write_bytes(data)
    shape = decp_stream.scan(path, chunk)
    assert shape.long_numbers == (re.search(rb"\d{%d,}" % (decp_stream.MAX_DIGITS + 1), data) is not None)
    depth = deepest = 0
    for byte in data:
        depth += 1 if byte in b"[{" else -1 if byte in b"]}" else 0
        deepest = max(deepest, depth)
    assert shape.depth == deepest


def test_an_overlong_number_is_still_read_as_out_of_range(tmp_path: Path) -> None:
    """The scan sends such a file through the bounded reader: the record is read, its amount refused."""
    path = tmp_path / "long.json"
    path.write_bytes(b'{"marches": {"marche": [{"id": "A", "montant": ' + b"9" * 5000 + b'}, {"id": "B"}]}}')
    assert decp_stream.scan(path).long_numbers
    records = [r for _, r in decp_stream.iter_records(path)]
    assert [r["id"] for r in records] == ["A", "B"] and records[0]["montant"] > 10**100


def _fold_slow(text: str) -> str:
    """`fold` without its ASCII shortcut (the definition)."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("’", "'")
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_fold_shortcut_is_fold(text: str) -> None:
    assert fold(text) == _fold_slow(text)


SIRETS = st.sampled_from(["21500129100019", "21750001630040", "2150012910001", " 21500129100019", "ABCDEFGHIJKLMN"])
CODES = st.sampled_from(["50100", "75001", "20000", "97411", "2A004", "5010", "14000", " 50100", "50"])
RECORDS = st.lists(st.one_of(
    st.fixed_dictionaries({
        "id": st.sampled_from(["A", "B", ""]), "objet": st.just("Voirie"), "montant": st.sampled_from([1000, "x"]),
        "acheteur": st.one_of(st.fixed_dictionaries({"id": SIRETS}, optional={"departement": st.sampled_from(
            ["50", "75", 50, None])}), st.none(), st.just("21500129100019")),
        "lieuExecution": st.one_of(st.fixed_dictionaries({"code": CODES, "typeCode": st.sampled_from(
            ["Code postal", "Code département", "Code commune"])}), st.none()),
    }, optional={"autoriteConcedante": st.just({"id": "1"}), "nature": st.sampled_from(["Concession", "Marché"])}),
    st.none(), st.integers(), st.lists(st.integers(), max_size=2)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(records=RECORDS, departements=st.sampled_from([(), ("50",), ("75", "2A")]))
def test_counting_a_stream_inline_is_adding_each_record(records: list, departements: tuple[str, ...]) -> None:
    """`Tally.add_all` (the inline test of other territories' records) counts and keeps what `add` does."""
    import pandas as pd

    from clausexl.core import decp

    donneurs = pd.DataFrame({"id": ["D1"], "siret": ["21750001630040"], "categorie": ["Commune"]})
    marches = pd.DataFrame({"reference_decp": [], "donneur_ordre": [], "objet": []})
    entreprises = pd.DataFrame({"siret": [], "id": [], "raison_sociale": []})
    territory = decp.build_territory(donneurs, marches, entreprises, {"part_main_oeuvre": 0.4, "taux_insertion": 0.07,
                                     "cout_horaire": 35, "arrondi": 1}, departements, communes=["14000"])
    one, stream = decp.Tally(), decp.Tally()
    for index, record in enumerate(records, start=1):
        one.add(index, record, territory)
    stream.add_all(enumerate(records, start=1), territory)
    assert stream == one


def test_the_early_read_gives_what_the_usual_read_gives(tmp_path: Path, monkeypatch) -> None:
    """A consolidated file read while the workbook is typed, filtered on the raw cells' superset of the
    territory (SIRET, communes, parameter and option), then filtered again on the territory: the same
    markets and counts as the usual read, and the file read once."""
    import threading

    from clausexl.adapters import decp_early, decp_tabular
    from clausexl.adapters.workbook_reader import read_classeur
    from clausexl.verbs.reperer import TABLES, reperer, reperer_classeur
    from test_decp_shapes import LOCAL, consolidated_rows, write_parquet
    from workbooks import make_workbook

    classeur = make_workbook(tmp_path, {
        "T_DonneursOrdre": [{"id": "D1", "nom": "Ville", "categorie": "Commune", "siret": "21750001630040"},
                            {"id": "D2", "nom": "Cherbourg", "categorie": "Commune", "siret": LOCAL}],
        "T_Territoire": [{"commune": "Saint-Lô", "code_postal": "50000"}],
    }, {"departements_reperage": "14"})
    parquet = write_parquet(tmp_path, consolidated_rows())
    area = decp_early.raw_area(classeur, ("5",))
    assert area == decp_early.Area(frozenset({"21750001630040", LOCAL}), frozenset({"14", "05"}),
                                   frozenset({"50000"}))
    reads: list[str] = []
    filter_rows = decp_tabular.filter_rows

    def counted(*args: Any) -> Any:
        reads.append("tôt" if threading.current_thread().name.startswith("clausexl-decp") else "après")
        return filter_rows(*args)

    monkeypatch.setattr(decp_tabular, "filter_rows", counted)
    early = reperer(parquet, classeur, ("50",), early=decp_early.begin(parquet, classeur, ("50",)))
    assert reads == ["tôt"]
    usual = reperer_classeur(read_classeur(classeur, TABLES), classeur, parquet, ("50",))
    assert reads == ["tôt", "après"]
    assert early.to_dict() == usual.to_dict() and early.counts()["enregistrements"] == 8


def test_the_command_starts_the_read_before_importing_the_verb(tmp_path: Path) -> None:
    """`clausexl reperer` on a parquet file: the early read is running before pandas is imported (the
    point of starting it in the command); a JSON file has none."""
    import subprocess
    import sys

    from test_decp_shapes import consolidated_rows, write_parquet
    from workbooks import make_workbook

    classeur = make_workbook(tmp_path, {"T_DonneursOrdre": [{"id": "D1", "nom": "Ville", "categorie": "Commune",
                                                            "siret": "21750001630040"}]})
    parquet = write_parquet(tmp_path, consolidated_rows())
    probe = (
        "import sys, threading\n"
        "from clausexl.adapters import decp_early\n"
        "begin = decp_early.begin\n"
        "def spy(*a):\n"
        "    print('pandas' in sys.modules, flush=True)\n"
        "    return begin(*a)\n"
        "decp_early.begin = spy\n"
        "from clausexl.cli import main\n"
        f"main(['reperer', {str(parquet)!r}, '--classeur', {str(classeur)!r}, '--departement', '50'])\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env={"PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")})
    assert out.stdout.splitlines()[0] == "False", out.stderr
    assert re.search(r" : \d+ enregistrements? lus?, \d+ concessions? ignorées?, \d+ hors du", out.stdout), out.stdout
