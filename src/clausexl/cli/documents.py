"""What the document commands share: the progress bar and the closing report."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from ..core.values import attention
from .common import EXIT_OK, report_left_out, report_written

if TYPE_CHECKING:
    from ..verbs.documents import Documents, Progress

PROGRESS_FROM = 5  # a bar only when more than a few documents are made


@contextlib.contextmanager
def progress_bar(label: str = "Documents") -> Iterator[Progress]:
    """A rich progress bar on stderr, shown once more than a few documents are being made."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    bar = Bar(TextColumn(label), BarColumn(), MofNCompleteColumn(), transient=True,
              console=Console(stderr=True))
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total <= PROGRESS_FROM:
            return
        if task is None:
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()


def finish(result: Documents) -> int:
    """Warnings and the files written on stderr/stdout; exit 1 when rows were left out."""
    for warning in result.avertissements:
        click.echo(attention(warning), err=True)
    report_written(result.fichiers)
    return report_left_out(result.left_out) or EXIT_OK
