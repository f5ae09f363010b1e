"""The ribbon's entry points, one module per button group, mirroring `cli/` (one module per verb).

`buttons` holds the table of buttons (ribbon id, VBA callback, module, function), `common` the glue
every entry point shares (`entry_point`, the caller's workbook, messages, log, date), and each group
module its entry points: `saisie`, `heures`, `documents`, `offres`, `bilan`, `aide`. The ribbon's VBA
callbacks import the button's own module (`import clausexl.excel.saisie as x; x.verifier_saisie()`),
so a click loads only what its verb needs.

`clausexl.excel.<function>` still resolves every entry point, lazily: workbooks built before the
package existed call `import clausexl.excel as x; x.verifier_saisie()`, and a facilitator who upgrades
clausexl keeps working buttons in the workbook they already use.
"""

from __future__ import annotations

import importlib
from typing import Any

from .buttons import BUTTONS


def __getattr__(name: str) -> Any:
    for b in BUTTONS:
        if b.function == name:
            return getattr(importlib.import_module(b.entry_module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
