"""Random mutations of a workbook's XML (the fuzzing that found issue 17's failures, as a property).

Oracle, for `valider --json` and `anonymiser` on each mutated file: exit 0, 1 or 2; on 2, one French
sentence and no traceback; the input byte-identical; no file left behind; no removed personal value
in any part of an anonymised copy (unless the copy's tables still hold that same text elsewhere).

Bounded for CI (FUZZ_EXAMPLES, 25 by default); the longer run is `FUZZ_EXAMPLES=600 pytest
tests/test_fuzz.py` (docs/fiabilite.md gives the figures measured).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clausexl.cli import main
from test_anonymiser_cleaning import add_pivot, with_formulas
from test_anonymiser_leaks import with_notes_and_links
from workbooks import repackaged

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
PERSON = ("Martin", "Julie", "3 rue des Fourches", "Mme Leroy", "Julie Martin absente", "1990-05-17", "17/05/1990")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> dict[str, bytes]:
    """The fixture with everything anonymiser cleans outside the cells: notes and their shapes, mailto: links,
    formulas copying the person (shared, array, other sheets) and a pivot table over Participants."""
    def enrich(m: dict[str, bytes], parts: dict[str, str]) -> None:
        with_formulas(m, parts)
        add_pivot(m, parts, 'name="T_Participants"')

    folder = tmp_path_factory.mktemp("fuzz")
    path = repackaged(with_notes_and_links(folder), folder / "classeur.xlsx", enrich)
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


mutation = st.tuples(
    st.sampled_from(["remplace", "supprime", "double", "chiffre", "guillemets", "prefixe"]),
    st.floats(0, 1), st.floats(0, 1), st.binary(min_size=0, max_size=12), st.integers(0, 10**6),
)


def mutate(data: bytes, kind: str, a: float, b: float, junk: bytes, number: int) -> bytes:
    i = int(a * len(data))
    j = min(len(data), i + int(b * 64))
    if kind == "remplace":
        return data[:i] + junk + data[j:]
    if kind == "supprime":
        return data[:i] + data[j:]
    if kind == "double":
        return data[:j] + data[i:j] + data[j:]
    if kind == "chiffre":  # a number (a cell address, an index, a value) changed
        k = data.find(b'r="', i)
        return data if k < 0 else data[:k + 3] + b"XFD" [: number % 4] + str(number).encode() + data[k + 3:]
    if kind == "guillemets":
        return data[:i] + data[i:j].replace(b'"', b"'") + data[j:]
    return data[:i] + data[i:j].replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>") + data[j:]


def kept_texts(path: Path) -> set[str]:
    """Texts the copy still holds as cell values outside Participants (the same words used elsewhere)."""
    import python_calamine as calamine

    found: set[str] = set()
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.CalamineError:
        return found
    try:
        for name in book.sheet_names:
            try:  # a sheet the mutation broke, copied as it was because anonymiser did not need it
                rows = book.get_sheet_by_name(name).to_python() if name != "Participants" else []
            except calamine.CalamineError:
                continue
            found.update(str(v).casefold() for row in rows for v in row if isinstance(v, str))
    finally:
        book.close()
    return found


def texts(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(html.unescape(z.read(n).decode("utf-8", "replace")) for n in z.namelist()).casefold()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=EXAMPLES <= 25)
@given(member=st.sampled_from(["xl/worksheets/sheet", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/tables/",
                               "xl/comments/", "xl/drawings/", "xl/pivot", "xl/worksheets/_rels/"]),
       mutations=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_workbooks_never_crash_nor_leak(pristine, tmp_path_factory, member, mutations):
    folder = tmp_path_factory.mktemp("mutant")
    members = dict(pristine)
    targets = sorted(n for n in members if n.startswith(member))
    for kind, a, b, junk, number in mutations:
        name = targets[number % len(targets)] if targets else member
        members[name] = mutate(members.get(name, b""), kind, a, b, junk, number)
    source = folder / "classeur.xlsx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    copy = folder / "copie.xlsx"
    for argv in (["valider", str(source), "--json"],
                 ["anonymiser", str(source), "--sortie", str(copy), "--au", "2040-01-01"]):
        result = CliRunner().invoke(main, argv)
        assert result.exit_code in (0, 1, 2), (argv[0], result.exception, result.stderr)
        assert "Traceback" not in result.stderr and "inattendue" not in result.stderr, result.stderr
        if result.exit_code == 2:
            lines = result.stderr.strip().splitlines()
            assert lines and lines[-1].startswith("Erreur : "), result.stderr
        assert hashlib.sha256(source.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in folder.iterdir()) in (["classeur.xlsx"], ["classeur.xlsx", "copie.xlsx"])
    if copy.exists():
        text = texts(copy)
        kept = kept_texts(copy)
        assert [v for v in PERSON if whole(v).search(text) and not any(whole(v).search(k) for k in kept)] == []


def whole(value: str) -> re.Pattern[str]:
    """`value` as words of a text (`Julie` in « Julie, RSA » or `julie.martin@`), not glued to other letters
    (a mutation that deletes `</t>` after « Julie » makes « JulieId », which is not the name any more)."""
    return re.compile(r"(?<![^\W_])" + re.escape(value.casefold()) + r"(?![^\W_])")
