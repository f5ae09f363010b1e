"""Départements as the facilitator types them (the parameter « Départements repérés », the option
--departement) and as the DECP writes them: `5` is `05`, `2a` is `2A`, `974` stays `974`."""

from __future__ import annotations

import re
from typing import Any

from . import schema
from .errors import InvalidOption

_DEPARTEMENT = re.compile(r"\d{1,3}|2[AB]")


def departements_parameter(value: Any) -> tuple[str, ...]:
    """The départements of the parameter « Départements repérés » (`50, 14 ; 2A`), normalised.

    A code that is not one (letters, a postal code) makes the whole parameter refused in one sentence:
    a territory silently narrower than the facilitator typed would hide markets."""
    if value is None:
        return ()
    codes = [c for c in re.split(r"[\s,;/]+", str(value).strip().upper()) if c]
    wrong = [c for c in codes if not _DEPARTEMENT.fullmatch(c)]
    if wrong:
        name = schema.PARAMETERS_BY_KEY["departements_reperage"].name
        raise InvalidOption(f"Le paramètre « {name} » de la feuille Paramètres vaut « {value} » : « {wrong[0]} » "
                            "n'est pas un code de département ; écrivez les codes séparés par des virgules, par "
                            "exemple 50, 14, 2A, 974.")
    return tuple(dict.fromkeys(normalise_departement(c) for c in codes))


def normalise_departement(code: str) -> str:
    """A département as the option gives it: `5` → `05`, `2a` → `2A`, `50` and `974` as they are."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code
