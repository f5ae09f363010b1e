"""Writes: temporary file then rename, never over an existing file without --force, nothing partial."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import clausexl.verbs.bilan  # noqa: F401 - its adapters must be loaded before patching
from bad_workbooks import base_rows
from clausexl.adapters import output
from clausexl.adapters.output import write_atomic
from clausexl.cli import main
from clausexl.core.errors import OutputExists, WriteFailed
from workbooks import make_workbook

SRC = Path(__file__).resolve().parents[1] / "src"


def leftovers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(".~clausexl-"))


def test_existing_file_is_never_replaced_without_force(tmp_path: Path):
    """write_atomic refuses an existing target and leaves it untouched; --force replaces it."""
    target = tmp_path / "rapport.xlsx"
    target.write_bytes(b"ancien")
    with pytest.raises(OutputExists):
        write_atomic(target, lambda tmp: tmp.write_bytes(b"nouveau"))
    assert target.read_bytes() == b"ancien"
    write_atomic(target, lambda tmp: tmp.write_bytes(b"nouveau"), force=True)
    assert target.read_bytes() == b"nouveau" and not leftovers(tmp_path)


def test_disk_full_leaves_nothing(tmp_path: Path):
    """A write failing half-way (disk full) raises one French sentence and leaves no file at all."""
    target = tmp_path / "rapport.xlsx"

    def half_then_full(tmp: Path) -> None:
        tmp.write_bytes(b"PK\x03\x04" + bytes(10_000))
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(WriteFailed, match="disque plein"):
        write_atomic(target, half_then_full)
    assert list(tmp_path.iterdir()) == []



def writer_args(verb: str, source: Path, target: Path) -> list[str]:
    """The command line of each single-file writer, writing to `target`."""
    return {
        "valider": ["valider", str(source), "--rapport", str(target)],
        "extraire-personne": ["extraire-personne", str(source), "--participant", "P001", "--sortie", str(target)],
        "anonymiser": ["anonymiser", str(source), "--sortie", str(target)],
        "heures": ["heures", str(source), "--sortie", str(target)],
        "bilan": ["bilan", str(source), "--annee", "2018", "--sortie", str(target)],
    }[verb]

@pytest.mark.parametrize("verb", ["valider", "extraire-personne", "anonymiser", "heures", "bilan"])
def test_disk_full_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verb: str):
    """Every verb that writes: a full disk gives exit 2, a French sentence, no traceback, no file."""
    source = make_workbook(tmp_path, base_rows())
    out = tmp_path / "sorties"
    out.mkdir()
    real = output.write_atomic

    def full(path, write, force=False):
        def failing(tmp: Path) -> None:
            write(tmp)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, failing, force)

    for module in list(sys.modules.values()):  # every adapter that imported write_atomic by name
        if getattr(module, "__name__", "").startswith("clausexl.") and getattr(module, "write_atomic", None) is real:
            monkeypatch.setattr(module, "write_atomic", full)
    target = out / ("copie.xlsx" if verb == "anonymiser" else "sortie.xlsx")
    args = writer_args(verb, source, target)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "disque plein" in result.stderr and "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("verb", ["valider", "extraire-personne", "anonymiser", "heures", "bilan"])
def test_clash_stops_before_writing(tmp_path: Path, verb: str):
    """An existing output stops the verb (exit 2) and is left byte-identical; --force replaces it."""
    source = make_workbook(tmp_path, base_rows())
    target = tmp_path / ("copie.xlsx" if verb == "anonymiser" else "sortie.xlsx")
    target.write_bytes(b"ne pas toucher")
    args = writer_args(verb, source, target)
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "existe déjà" in refused.stderr
    assert target.read_bytes() == b"ne pas toucher"
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code in (0, 1), forced.stderr
    assert target.read_bytes()[:2] == b"PK" and not leftovers(tmp_path)


def test_source_workbook_is_only_read(tmp_path: Path):
    """No verb changes a byte of the workbook it reads."""
    source = make_workbook(tmp_path, base_rows(), name="classeur.xlsm")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    runner = CliRunner()
    for args in (["valider", "--rapport", str(tmp_path / "r.xlsx")], ["heures"], ["bilan", "--annee", "2018"],
                 ["anonymiser", "--sortie", str(tmp_path / "c.xlsm"), "--au", "2040-01-01"],
                 ["extraire-personne", "--participant", "P001"]):
        runner.invoke(main, [args[0], str(source), *args[1:]])
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest


SLOW_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from clausexl.adapters.output import write_atomic
    from clausexl.cli.common import stop_cleanly_on_sigterm

    stop_cleanly_on_sigterm()

    def slow(tmp):
        with open(tmp, "wb") as handle:
            handle.write(b"PK" + bytes(1_000_000))
            handle.flush()
            print("écriture commencée", flush=True)
            time.sleep(60)

    try:
        write_atomic(Path(sys.argv[1]), slow)
    except KeyboardInterrupt:
        sys.exit(2)
""")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_killed_in_the_middle_leaves_no_partial_file(tmp_path: Path, sig: signal.Signals):
    """A run stopped while writing never leaves the output; SIGTERM/Ctrl-C also remove the temporary file."""
    target = tmp_path / "sortie.xlsx"
    # A CI runner may start us with SIGINT ignored (background job); a facilitator's terminal does not.
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE,
                            env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout is not None and proc.stdout.readline().decode().strip() == "écriture commencée"
    assert leftovers(tmp_path)  # the partial data is in the hidden temporary file only
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert not target.exists()
    if sig is not signal.SIGKILL:
        assert leftovers(tmp_path) == []
    else:  # nothing can clean after SIGKILL: only the hidden temporary file remains, never the output
        assert all(p.name.startswith(".~clausexl-") for p in tmp_path.iterdir())


def test_temporary_file_is_beside_the_target(tmp_path: Path):
    """The temporary file is in the target's folder, so the final rename is atomic (same file system)."""
    seen: list[Path] = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_bytes(b"PK")

    write_atomic(tmp_path / "x.xlsx", write)
    assert seen[0].parent == tmp_path and seen[0].name.startswith(".~clausexl-")


# --- every verb that writes (every_output.WRITERS) ----------------------------------------------

from every_output import WRITERS, full_disk, listing, run  # noqa: E402


@pytest.mark.parametrize("case", sorted(WRITERS))
def test_every_writer_refuses_to_overwrite(tmp_path: Path, case: str):
    """An existing output stops the verb (exit 2) before any file of the batch is written; --force replaces."""
    first, out = run(case, tmp_path / "premier")
    assert first.exit_code in (0, 1), first.stderr
    names = sorted(listing(out))
    for step, kept in enumerate(([names[-1]], names)):  # one file of the batch exists, then all of them
        folder = tmp_path / f"deja-{step}"
        (folder / "sorties").mkdir(parents=True)
        for name in kept:
            (folder / "sorties" / name).write_bytes(b"ne pas toucher")
        before = listing(folder / "sorties")
        refused, again = run(case, folder)
        assert refused.exit_code == 2 and "existe déjà" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
        assert listing(again) == before
    forced, again = run(case, folder, None, "--force")
    assert forced.exit_code in (0, 1), forced.stderr
    assert sorted(listing(again)) == names and all(b != b"ne pas toucher" for b in listing(again).values())


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   PermissionError(errno.EACCES, "Permission denied")], ids=["disque-plein", "acces"])
@pytest.mark.parametrize("case", sorted(WRITERS))
def test_every_writer_fails_cleanly_half_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str,
                                             error: OSError):
    """A write failing half-way through the batch: one French sentence, exit 2, no file, no temporary file."""
    done, out = run(case, tmp_path / "mesure")
    assert done.exit_code in (0, 1), done.stderr
    total = sum(len(b) for b in listing(out).values())
    folder = tmp_path / "plein"
    target = folder / "sorties"
    target.mkdir(parents=True)
    (target / "déjà là.txt").write_bytes(b"un fichier de l'utilisateur")
    budget = full_disk(monkeypatch, target, total // 2, error)
    failed, _ = run(case, folder)
    assert budget.failed and budget.written > 0  # the failure did happen in the middle of writing
    assert failed.exit_code == 2, failed.stdout
    reason = "disque plein" if error.errno == errno.ENOSPC else "accès refusé"
    assert f"n'a pas pu être écrit ({reason})" in failed.stderr, failed.stderr
    assert "Traceback" not in failed.stderr and len(failed.stderr.strip().splitlines()) == 1
    assert listing(target) == {"déjà là.txt": b"un fichier de l'utilisateur"}


def test_batch_failing_while_renaming_is_taken_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A rename failing half-way through a batch removes the new files and puts back those --force replaced."""
    from clausexl.adapters.output import write_files_atomic

    (tmp_path / "b.docx").write_bytes(b"ancien b")
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 4:  # a.docx placed, b.docx set aside, b.docx placed, then c.docx fails
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr("clausexl.adapters.output.os.replace", flaky)
    files = [(tmp_path / n, n.encode()) for n in ("a.docx", "b.docx", "c.docx")]
    with pytest.raises(WriteFailed, match="n'a pas pu être écrit"):
        write_files_atomic(files, force=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"b.docx": b"ancien b"}


def test_demo_refuses_a_clash_and_writes_nothing(tmp_path: Path):
    """A file of a name the demo writes stops it (exit 2): the folder is left exactly as it was."""
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "Contrôles.xlsx").write_bytes(b"ne pas toucher")
    result = CliRunner().invoke(main, ["demo", "--sortie", str(folder)])
    assert result.exit_code == 2 and "existe déjà" in result.stderr, result.stderr
    assert listing(folder) == {"Contrôles.xlsx": b"ne pas toucher"}


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device")], ids=["disque-plein"])
def test_demo_fails_cleanly_half_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_run, error: OSError):
    """The disk filling up half-way through the demo: one French sentence, exit 2, the new folder removed."""
    total = sum(p.stat().st_size for p in demo_run.folder.rglob("*") if p.is_file())
    folder = tmp_path / "demo"
    budget = full_disk(monkeypatch, tmp_path, total // 2, error)
    result = CliRunner().invoke(main, ["demo", "--sortie", str(folder)])
    assert budget.failed
    last = result.stderr.strip().splitlines()[-1]  # the lines before are the progress of each step
    assert result.exit_code == 2 and last.startswith("Erreur : ") and "n'a pas pu être écrit (disque plein)" in last
    assert "Traceback" not in result.stderr and result.stderr.count("Erreur") == 1
    assert not folder.exists() and list(tmp_path.iterdir()) == []


def test_every_writer_is_documented():
    """docs/fiabilite.md lists every verb that writes, as the tests cover them (every_output.WRITERS and demo)."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "fiabilite.md").read_text("utf-8")
    table = doc[doc.index("### Sorties couvertes par les tests"):doc.index("### Texte du classeur")]
    assert [case for case in [*WRITERS, "demo"] if f"`{case}" not in table] == []


@pytest.mark.parametrize("case", ["bilan", "echeances", "reperer", "consolider"])
def test_no_part_file_in_the_system_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str):
    """Output workbooks are built in memory: neither a finished run nor a full disk half-way leaves a
    file in the system temporary folder (XlsxWriter used to put 14-25 part files there)."""
    import tempfile

    system_tmp = tmp_path / "tmp-systeme"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    done, out = run(case, tmp_path / "fini")
    assert done.exit_code in (0, 1), done.stderr
    total = sum(len(b) for b in listing(out).values())
    target = tmp_path / "plein" / "sorties"
    target.mkdir(parents=True)
    budget = full_disk(monkeypatch, target, total // 2)
    failed, _ = run(case, tmp_path / "plein")
    assert budget.failed and failed.exit_code == 2
    assert list(system_tmp.iterdir()) == [] and listing(target) == {}


@pytest.mark.parametrize("verb", [["anonymiser", "--sortie", "copie.xlsm", "--au", "2040-01-01"],
                                  ["bilan", "--annee", "2018", "--sortie", "bilan.xlsx"]], ids=lambda v: v[0])
def test_disk_full_prints_one_sentence_and_no_stray_traceback(tmp_path: Path, verb: list[str]):
    """In a real process (where ZipFile.__del__ would print at exit): one line on stderr, exit 2."""
    source = make_workbook(tmp_path, base_rows(), name="classeur.xlsm")
    argv = [verb[0], str(source), *[str(tmp_path / a) if "." in a and a[0].isalpha() else a for a in verb[1:]]]
    script = textwrap.dedent(f"""
        import builtins, errno, io, sys
        real = io.open
        class Full:
            def __init__(self, h): self.h = h
            def write(self, data): raise OSError(errno.ENOSPC, "No space left on device")
            def __getattr__(self, n): return getattr(self.h, n)
            def __enter__(self): return self
            def __exit__(self, *e): return self.h.__exit__(*e)
        def guarded(file, mode="r", *a, **k):
            h = real(file, mode, *a, **k)
            return Full(h) if "w" in mode and ".~clausexl-" in str(file) else h
        io.open = builtins.open = guarded
        from clausexl.cli import main
        sys.argv = ["clausexl", *{argv!r}]
        main()
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and "disque plein" in proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classeur.xlsm"]


def test_files_get_the_users_usual_permissions(tmp_path):
    """Written atomically through a temporary file, an output still gets the umask's permissions, not 0600."""
    import os

    from clausexl.adapters.output import write_bytes_atomic

    old = os.umask(0o022)
    try:
        path = write_bytes_atomic(tmp_path / "sortie.txt", b"ok")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
