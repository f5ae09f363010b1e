"""Writing new files safely: name clashes checked first, temporary file, then rename.

A file that exists is never replaced unless `force` is given; a failure leaves no partial file.
"""

from __future__ import annotations

import errno
import functools
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


def write_atomic(path: Path, write: Callable[[Path], object], force: bool = False) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    refuse_clashes([path], force)
    tmp = _temporary(path)
    try:
        try:
            write(tmp)
        except ClausexlError:
            raise
        except Exception as err:  # XlsxWriter wraps a full disk in its own FileCreateError
            raise _write_failed(path, err) from err
        if not force and path.exists():
            raise OutputExists(f"Le fichier « {path} » est apparu pendant l'écriture : rien n'a été remplacé.")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _temporary(path: Path) -> Path:
    """A new hidden empty file beside `path` (same file system, so the rename is atomic)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".~clausexl-", suffix=path.suffix, dir=path.parent)
    except OSError as err:
        raise _write_failed(path, err) from err
    os.close(fd)
    return Path(tmp_name)


def _write_failed(path: Path, err: BaseException) -> BaseException:
    """WriteFailed when `err` is (or wraps) an operating-system error, else `err` itself."""
    cause: BaseException | None = err
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return err
    return WriteFailed(f"Le fichier « {path} » n'a pas pu être écrit ({_reason(cause)}) : "
                       "rien n'a été écrit à sa place.")


def _reason(err: OSError) -> str:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disque plein"
    if err.errno == errno.EROFS:
        return "disque en lecture seule"
    if isinstance(err, PermissionError):
        return "accès refusé"
    return err.strerror or type(err).__name__


def write_bytes_atomic(path: Path, data: bytes, force: bool = False) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_bytes(data), force)


def write_files_atomic(files: list[tuple[Path, bytes]], force: bool = False) -> list[Path]:
    """Write several new files all or nothing: clashes checked, every file staged, then renamed.

    A failure while staging removes what was staged, so no file of the batch appears; a failure
    while renaming (rare: same folder) takes back the files already renamed and puts back the
    ones `force` was replacing.
    """
    refuse_clashes([p for p, _ in files], force)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            tmp = _temporary(path)
            staged.append((tmp, path))
            try:
                tmp.write_bytes(data)
            except OSError as err:
                raise _write_failed(path, err) from err
        refuse_clashes([p for _, p in staged], force)
        _rename_all(staged)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
    return [p for p, _ in files]


def _rename_all(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged file into place; on failure, the folder is put back as it was."""
    undo: list[Callable[[], None]] = []  # run in reverse order to take back what was done
    set_aside: list[Path] = []
    try:
        for tmp, path in staged:
            if path.exists():  # only with force: the old file waits aside until the whole batch is in
                aside = _temporary(path)
                undo.append(functools.partial(aside.unlink, missing_ok=True))
                os.replace(path, aside)
                undo[-1] = functools.partial(os.replace, aside, path)
                set_aside.append(aside)
            os.replace(tmp, path)
            undo.append(functools.partial(path.unlink, missing_ok=True))
    except BaseException as err:
        for step in reversed(undo):
            step()
        if isinstance(err, OSError):
            raise _write_failed(staged[0][1], err) from err
        raise
    for aside in set_aside:
        aside.unlink(missing_ok=True)
