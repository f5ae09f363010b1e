"""Writing new files safely: name clashes checked first, temporary file, then rename.

A file that exists is never replaced unless `force` is given; a failure leaves no partial file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.errors import ClausexlError, OutputExists, WriteFailed


def refuse_clashes(paths: Iterable[Path], force: bool) -> None:
    """Stop before writing anything when one of `paths` exists and `force` is off."""
    if force:
        return
    existing = [p for p in paths if p.exists()]
    if existing:
        first = existing[0]
        more = f" (et {len(existing) - 1} autre(s))" if len(existing) > 1 else ""
        raise OutputExists(
            f"Le fichier « {first} » existe déjà{more} : choisissez un autre nom ou ajoutez --force "
            "pour le remplacer."
        )


def write_atomic(path: Path, write: Callable[[Path], None], force: bool = False) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    refuse_clashes([path], force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".~clausexl-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            write(tmp)
        except ClausexlError:
            raise
        except OSError as err:
            raise WriteFailed(
                f"Le fichier « {path} » n'a pas pu être écrit ({_reason(err)}) : rien n'a été écrit à sa place."
            ) from err
        if not force and path.exists():
            raise OutputExists(f"Le fichier « {path} » est apparu pendant l'écriture : rien n'a été remplacé.")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "disque plein"
    if isinstance(err, PermissionError):
        return "accès refusé"
    return err.strerror or type(err).__name__


def write_bytes_atomic(path: Path, data: bytes, force: bool = False) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_bytes(data), force)


def write_files_atomic(files: list[tuple[Path, bytes]], force: bool = False) -> list[Path]:
    """Write several new files all or nothing: clashes checked, every file staged, then renamed.

    A failure while staging removes what was staged, so no file of the batch appears.
    """
    refuse_clashes([p for p, _ in files], force)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".~clausexl-", suffix=path.suffix, dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            staged.append((Path(tmp_name), path))
        refuse_clashes([p for _, p in staged], force)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
    return [p for p, _ in files]
