"""Writing new files safely: name clashes checked first, temporary file, then rename.

A file that exists is never replaced unless `force` is given; a failure leaves no partial file.
A file the running command reads (its workbook, a DECP file, a funders' workbook, a template) is
never replaced at all, `force` or not: files are compared by identity (device and inode, so other
spellings of the path, hard links and symbolic links are seen), not by name.
Without `force`, the last step puts the file in place with a hard link, which fails if the name
exists: checking for a clash and taking the name are one atomic step, so two runs writing the same
file at once cannot both succeed.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path

from ..core.errors import ClausexlError, OutputExists, OverwritesInput, WriteFailed
from ..core.values import counted

#: (device, inode) → path of every file the running command has read; None outside a command.
_INPUTS: ContextVar[dict[tuple[int, int], Path] | None] = ContextVar("clausexl_inputs", default=None)


@contextlib.contextmanager
def protecting_inputs(*paths: object) -> Iterator[None]:
    """For the length of one command: the files it reads (`paths`, and those `note_input` adds)
    can never be written over."""
    token = _INPUTS.set({})
    try:
        for path in paths:
            note_input(path)
        yield
    finally:
        _INPUTS.reset(token)


def note_input(path: object) -> None:
    """Remember that the running command reads `path` (a no-op outside `protecting_inputs`)."""
    inputs = _INPUTS.get()
    if inputs is None or not isinstance(path, (str, os.PathLike)):
        return
    identity = _identity(Path(path))
    if identity is not None:
        inputs.setdefault(identity, Path(path))


def _identity(path: Path) -> tuple[int, int] | None:
    """The file behind `path` (symbolic links followed), or None when there is no file there."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def refuse_inputs(paths: Iterable[Path]) -> None:
    """Stop when one of `paths` is a file the running command reads, whatever `--force` says."""
    inputs = _INPUTS.get()
    if not inputs:
        return
    for path in paths:
        read = inputs.get(_identity(Path(path)))  # type: ignore[arg-type]
        if read is not None:
            same = "" if Path(path) == read else f" (c'est le même fichier que « {read} »)"
            raise OverwritesInput(
                f"Le fichier de sortie « {path} » est un fichier que cette commande lit{same} : clausexl ne "
                "l'écrase jamais, même avec --force ; choisissez un autre nom ou un autre dossier."
            )


def refuse_clashes(paths: Iterable[Path], force: bool) -> None:
    """Stop before writing anything when one of `paths` is read by the command, or exists and
    `force` is off."""
    paths = list(paths)
    refuse_inputs(paths)
    if force:
        return
    existing = [p for p in paths if p.exists()]
    if existing:
        first = existing[0]
        more = f" (et {counted(len(existing) - 1, 'autre')})" if len(existing) > 1 else ""
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
        _put_in_place(tmp, path, force)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _put_in_place(tmp: Path, path: Path, force: bool) -> None:
    """Rename `tmp` to `path`; without `force`, only if `path` does not exist (atomically)."""
    refuse_inputs([path])
    try:
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except ClausexlError:
        raise
    except OSError as err:
        raise _write_failed(path, err) from err


def _link_new(tmp: Path, path: Path) -> None:
    """Give `tmp`'s file the name `path` unless that name exists; `tmp` is then removed.

    os.link fails when the name exists, in the same system call that takes it (the check and the
    rename are one step). A file system without hard links (some network shares, FAT) gets the
    same guarantee from an exclusive creation of the name (O_EXCL), then a rename over it.
    """
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _appeared(path) from None
    except OSError as err:
        if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV,
                             errno.ENOSYS, errno.EACCES):
            raise
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            raise _appeared(path) from None
        try:
            os.replace(tmp, path)
        except BaseException:
            path.unlink(missing_ok=True)  # the empty name we reserved, nothing else
            raise
        return
    tmp.unlink()


def _appeared(path: Path) -> OutputExists:
    return OutputExists(f"Le fichier « {path} » existe déjà (il est apparu pendant l'écriture) : rien n'a été "
                        "remplacé ; choisissez un autre nom ou ajoutez --force pour le remplacer.")


def _temporary(path: Path) -> Path:
    """A new hidden empty file beside `path` (same file system, so the rename is atomic)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".~clausexl-", suffix=path.suffix, dir=path.parent)
    except OSError as err:
        raise _write_failed(path, err) from err
    os.close(fd)
    os.chmod(tmp_name, usual_mode())
    return Path(tmp_name)


def usual_mode() -> int:
    """The permissions a new file gets under the user's umask (mkstemp alone would make it owner-only)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_failed(path: Path, err: BaseException) -> BaseException:
    """WriteFailed when `err` is (or wraps) an operating-system error, else `err` itself."""
    cause: BaseException | None = err
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return err
    return WriteFailed(f"Le fichier « {path} » n'a pas pu être écrit ({reason(cause)}) : "
                       "rien n'a été écrit à sa place.")


def reason(err: OSError) -> str:
    """Why the system refused, in French."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disque plein"
    if err.errno == errno.EROFS:
        return "disque en lecture seule"
    if isinstance(err, PermissionError):
        return "accès refusé"
    if err.errno == errno.ENAMETOOLONG:
        return "nom de fichier trop long"
    if isinstance(err, FileNotFoundError):
        return "fichier ou dossier introuvable"
    if isinstance(err, IsADirectoryError):
        return "c'est un dossier"
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
        refuse_inputs([p for _, p in staged])
        if force:
            _rename_all(staged)
        else:
            _link_all(staged)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
    return [p for p, _ in files]


def _link_all(staged: list[tuple[Path, Path]]) -> None:
    """Give every staged file its new name, none of which may exist; on a clash or a failure the
    names already taken are given back, so the batch stays all or nothing."""
    placed: list[Path] = []
    try:
        for tmp, path in staged:
            _link_new(tmp, path)
            placed.append(path)
    except BaseException as err:
        for path in placed:
            path.unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, ClausexlError):
            raise _write_failed(staged[len(placed)][1], err) from err
        raise


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
