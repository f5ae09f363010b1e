"""Writes: temporary file then rename, never over an existing file without --force, nothing partial."""

from __future__ import annotations

import errno
import hashlib
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from bad_workbooks import base_rows
import clausexl.verbs.bilan  # noqa: F401 - its adapters must be loaded before patching
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
    args = {
        "valider": ["valider", str(source), "--rapport", str(target)],
        "extraire-personne": ["extraire-personne", str(source), "--participant", "P001", "--sortie", str(target)],
        "anonymiser": ["anonymiser", str(source), "--sortie", str(target)],
        "heures": ["heures", str(source), "--sortie", str(target)],
        "bilan": ["bilan", str(source), "--annee", "2018", "--sortie", str(target)],
    }[verb]
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
    args = {
        "valider": ["valider", str(source), "--rapport", str(target)],
        "extraire-personne": ["extraire-personne", str(source), "--participant", "P001", "--sortie", str(target)],
        "anonymiser": ["anonymiser", str(source), "--sortie", str(target)],
        "heures": ["heures", str(source), "--sortie", str(target)],
        "bilan": ["bilan", str(source), "--annee", "2018", "--sortie", str(target)],
    }[verb]
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
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE,
                            env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.readline().decode().strip() == "écriture commencée"
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
    write_atomic(tmp_path / "x.xlsx", lambda tmp: (seen.append(tmp), tmp.write_bytes(b"PK")))
    assert seen[0].parent == tmp_path and seen[0].name.startswith(".~clausexl-")
