"""Where the packaged resources are, resolved in one place.

An installed clausexl carries its default templates as package data (`clausexl/templates`, see
pyproject.toml); a checkout has them in `templates/` beside `src/`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """The folder of the default document templates."""
    installed = _PACKAGE / "templates"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / "templates"
