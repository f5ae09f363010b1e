"""The facilitator's user guide: one French HTML page shipped in the package, with its pictures.

`guide.html` is built by `python -m clausexl.guide.build` from `source.html` (tables of buttons and
messages come from the code); its pictures are rendered from the demo's real outputs by
`python -m clausexl.guide.pictures` (LibreOffice, then pdftoppm). The « Guide » button and
`clausexl guide` open it in the browser.
"""

from __future__ import annotations

import webbrowser
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
GUIDE = FOLDER / "guide.html"


def open_guide() -> bool:
    """Open the guide in the default browser; False when no browser could be started."""
    try:
        return bool(webbrowser.open(GUIDE.as_uri()))
    except webbrowser.Error:
        return False
