"""Where the packaged files are: default templates and the template workbook.

Installed, they are package data (`clausexl/templates`, `clausexl/data/clauses.xlsm`); in a
checkout run from `src/`, they are the repository's `templates/` and `workbook/` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[-1]


def templates_dir() -> Path:
    """The default templates shipped with clausexl."""
    return _first_existing(_PACKAGE / "templates", _REPO / "templates")


def template_workbook() -> Path:
    """The empty workbook of the contract (`clausexl init` copies it)."""
    return _first_existing(_PACKAGE / "data" / "clauses.xlsm", _REPO / "workbook" / "clauses.xlsm")
