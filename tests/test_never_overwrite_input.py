"""No verb ever writes over a file it reads — whatever the path's spelling, --force or not — and
two runs writing the same new file at once cannot both succeed (the check and the rename are one step)."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bad_workbooks import base_rows
from clausexl.adapters.output import protecting_inputs, write_atomic, write_files_atomic
from clausexl.cli import main
from clausexl.core.errors import OutputExists, OverwritesInput
from every_output import bilan_file, decp_file
from workbooks import make_workbook


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: How the output option can name the input file: another spelling, or another name for the same file.
SPELLINGS: dict[str, Callable[[Path], str]] = {
    "meme-chemin": str,
    "absolu": lambda p: str(p.resolve()),
    "detour": lambda p: str(p.parent / ".." / p.parent.name / "." / p.name),
    "double-barre": lambda p: str(p.parent) + "//" + p.name,
    "lien-symbolique": lambda p: _link(p, "lien" + p.suffix, os.symlink),
    "lien-dur": lambda p: _link(p, "dur" + p.suffix, os.link),
}


def _link(p: Path, name: str, make: Callable[[Path, Path], None]) -> str:
    other = p.parent / name
    make(p, other)
    return str(other)


#: Each verb that reads a file and writes one: (the file it reads that we aim at, argv writing to `target`).
SELF_WRITERS: dict[str, Callable[[Path, Path, str], tuple[Path, list[str]]]] = {
    "valider --rapport": lambda i, w, t: (w, ["valider", str(w), "--rapport", t]),
    "heures --sortie": lambda i, w, t: (w, ["heures", str(w), "--sortie", t]),
    "bilan --sortie": lambda i, w, t: (w, ["bilan", str(w), "--annee", "2018", "--sortie", t]),
    "echeances --sortie": lambda i, w, t: (w, ["echeances", str(w), "--au", "2018-12-31", "--sortie", t]),
    "extraire-personne --sortie": lambda i, w, t: (w, ["extraire-personne", str(w), "--participant", "P001",
                                                        "--sortie", t]),
    "importer-releves --sortie": lambda i, w, t: (w, ["importer-releves", str(w), str(i), "--sortie", t]),
    "anonymiser --sortie": lambda i, w, t: (w, ["anonymiser", str(w), "--sortie", t, "--au", "2040-01-01"]),
    "reperer --sortie (classeur)": lambda i, w, t: (w, ["reperer", str(decp_file(i)), "--classeur", str(w),
                                                         "--departement", "50", "--sortie", t]),
    "reperer --sortie (DECP)": lambda i, w, t: (decp_file(i), ["reperer", str(decp_file(i)), "--classeur", str(w),
                                                               "--departement", "50", "--sortie", t]),
    "consolider --sortie": lambda i, w, t: (bilan_file(i, w), ["consolider", str(bilan_file(i, w)),
                                                               "--sortie", t]),
}


def _refused(tmp_path: Path, case: str, spelling: str, force: bool) -> None:
    inputs = tmp_path / "entrees"
    inputs.mkdir()
    workbook = make_workbook(inputs, base_rows(), name="classeur.xlsm")
    target, _ = SELF_WRITERS[case](inputs, workbook, "")
    aimed = SPELLINGS[spelling](target)
    _, argv = SELF_WRITERS[case](inputs, workbook, aimed)
    before = {p.name: digest(p) for p in inputs.iterdir() if p.is_file()}
    result = CliRunner().invoke(main, [*argv, *(["--force"] if force else [])])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Erreur : ") and "que cette commande lit" in lines[-1], result.stderr
    assert "Traceback" not in result.stderr and len(lines) == 1
    assert {p.name: digest(p) for p in inputs.iterdir() if p.is_file()} == before
    assert not [p for p in inputs.iterdir() if p.name.startswith(".~clausexl-")]


@pytest.mark.parametrize("case", sorted(SELF_WRITERS))
def test_no_verb_writes_over_the_file_it_reads(tmp_path: Path, case: str):
    """`--force` or not, the output naming the input stops the verb: exit 2, one sentence, input unchanged."""
    spelling = list(SPELLINGS)[sorted(SELF_WRITERS).index(case) % len(SPELLINGS)]
    _refused(tmp_path, case, spelling, force=True)


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_every_spelling_of_the_workbook_is_seen(tmp_path: Path, spelling: str):
    """Files are compared, not strings: absolute, `..` detours, doubled slashes, symbolic and hard links."""
    _refused(tmp_path, "valider --rapport", spelling, force=True)


def test_refused_without_force_too(tmp_path: Path):
    """Without --force the sentence says the file is read (not merely that it exists)."""
    _refused(tmp_path, "anonymiser --sortie", "lien-dur", force=False)


def test_documents_never_replace_a_template_they_read(tmp_path: Path):
    """A batch into the templates folder cannot replace a template the command reads (--force or not)."""
    workbook = make_workbook(tmp_path, base_rows(), name="classeur.xlsm")
    template = tmp_path / "modele.docx"
    template.write_bytes(b"un modele")
    with protecting_inputs(workbook, template), pytest.raises(OverwritesInput):
        write_files_atomic([(tmp_path / "a.docx", b"a"), (template, b"b")], force=True)
    assert template.read_bytes() == b"un modele" and not (tmp_path / "a.docx").exists()


def test_excel_buttons_guard_the_open_workbook(tmp_path: Path):
    """The buttons run inside `protecting_inputs(open workbook)`: their writes cannot land on it."""
    import inspect

    from clausexl.excel import common as excel

    assert "protecting_inputs(live.path)" in inspect.getsource(excel.entry_point)
    book = make_workbook(tmp_path, base_rows(), name="classeur.xlsm")
    before = digest(book)
    with protecting_inputs(book), pytest.raises(OverwritesInput):
        write_atomic(tmp_path / "." / "classeur.xlsm", lambda tmp: tmp.write_bytes(b"x"), force=True)
    assert digest(book) == before


def test_protection_ends_with_the_command(tmp_path: Path):
    """Outside the command that read it, a file may be replaced with --force as any other."""
    path = tmp_path / "bilan.xlsx"
    path.write_bytes(b"ancien")
    with protecting_inputs(path):
        pass
    write_atomic(path, lambda tmp: tmp.write_bytes(b"nouveau"), force=True)
    assert path.read_bytes() == b"nouveau"


# --- concurrent writers ----------------------------------------------------------------------------

def test_concurrent_writers_one_wins(tmp_path: Path):
    """Eight threads stopped just before the rename, released together: exactly one file is written,
    the others are refused (the old exists()+replace let several of them replace each other)."""
    for round_ in range(10):
        target = tmp_path / f"rapport-{round_}.xlsx"
        barrier = threading.Barrier(8)
        outcomes: list[str] = []

        def writer(n: int, target: Path = target, barrier: threading.Barrier = barrier,
                   outcomes: list[str] = outcomes) -> None:
            def write(tmp: Path) -> None:
                tmp.write_bytes(f"écrit par {n}".encode())
                barrier.wait()
            try:
                write_atomic(target, write)
                outcomes.append(f"ok {n}")
            except OutputExists:
                outcomes.append("refusé")

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [o for o in outcomes if o.startswith("ok")]
        assert len(winners) == 1 and outcomes.count("refusé") == 7, outcomes
        assert target.read_bytes() == f"écrit par {winners[0].split()[1]}".encode()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~clausexl-")]


def _batch_writer(folder: str, n: int, barrier, queue) -> None:
    names = [Path(folder) / f"lettre-{k}.docx" for k in range(3)]

    try:
        barrier.wait()
        write_files_atomic([(p, f"{n}".encode()) for p in names])
        queue.put(("ok", n))
    except OutputExists:
        queue.put(("refusé", n))


def test_concurrent_processes_write_a_batch_all_or_nothing(tmp_path: Path):
    """Four processes writing the same batch of three documents at once: one batch wins whole."""
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_batch_writer, args=(str(tmp_path), n, barrier, queue)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    results = [queue.get(timeout=5) for _ in procs]
    winners = [n for kind, n in results if kind == "ok"]
    assert len(winners) == 1, results
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        f"lettre-{k}.docx": str(winners[0]).encode() for k in range(3)}


def test_without_hard_links_the_name_is_still_taken_exclusively(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """On a file system without hard links (FAT, some shares) the exclusive creation keeps the guarantee."""
    import errno

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr("clausexl.adapters.output.os.link", no_links)
    target = tmp_path / "x.xlsx"
    write_atomic(target, lambda tmp: tmp.write_bytes(b"premier"))
    with pytest.raises(OutputExists):
        write_atomic(target, lambda tmp: tmp.write_bytes(b"second"))
    assert target.read_bytes() == b"premier"
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]


@pytest.mark.parametrize("spelling", ["meme-chemin", "lien-symbolique"])
def test_init_force_never_replaces_a_workbook_holding_data(tmp_path: Path, spelling: str):
    """`init classeur.xlsm --force` used to replace the facilitator's workbook by an empty one."""
    source = make_workbook(tmp_path, base_rows(), name="classeur.xlsm")
    before = digest(source)
    result = CliRunner().invoke(main, ["init", SPELLINGS[spelling](source), "--force"])
    assert result.exit_code == 2 and "contient des données" in result.stderr and "(8 lignes : Heures (3), " in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert digest(source) == before and sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".~")) == []


def test_init_force_never_replaces_what_may_be_a_damaged_workbook(tmp_path: Path):
    """A package clausexl cannot read (a truncated workbook Excel might still repair) is kept too."""
    damaged = tmp_path / "abime.xlsm"
    damaged.write_bytes(make_workbook(tmp_path, base_rows(), name="classeur.xlsm").read_bytes()[:3000])
    result = CliRunner().invoke(main, ["init", str(damaged), "--force"])
    assert result.exit_code == 2 and "pourrait être un classeur" in result.stderr
    assert len(damaged.read_bytes()) == 3000


def test_init_force_replaces_an_empty_workbook_or_a_stray_file(tmp_path: Path):
    """What holds no data can be replaced on purpose: an empty workbook from an earlier init, a stray file."""
    empty, stray = tmp_path / "vide.xlsm", tmp_path / "autre.xlsm"
    assert CliRunner().invoke(main, ["init", str(empty)]).exit_code == 0
    stray.write_bytes(b"pas un classeur")
    for target in (empty, stray):
        result = CliRunner().invoke(main, ["init", str(target), "--force"])
        assert result.exit_code == 0, result.stderr
        assert target.read_bytes()[:2] == b"PK"
