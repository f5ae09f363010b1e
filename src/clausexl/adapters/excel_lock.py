"""Whether Excel has the workbook open: its lock file beside it. A path test only, so that the commands
check it before importing anything heavy."""

from __future__ import annotations

from pathlib import Path


def excel_lock_warning(path: str | Path) -> str | None:
    """A French warning when Excel's lock file `~$name` sits beside the workbook (it is open)."""
    path = Path(path)
    # Excel writes `~$` + the name; Word-style owners files replace its first two characters.
    candidates = (path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:]))
    if len(path.name) > 2 and any(c.is_file() for c in candidates):
        return (
            f"Attention : le classeur « {path.name} » est ouvert dans Excel ; les modifications non "
            "enregistrées ne sont pas prises en compte."
        )
    return None
