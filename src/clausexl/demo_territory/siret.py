"""Fictitious SIRET numbers that still pass the Luhn check, as real ones do."""

from __future__ import annotations

import random

from ..core.identifiers import LA_POSTE_SIREN, luhn_ok


def _with_check_digit(prefix: str) -> str:
    """The prefix followed by the digit that makes it pass the Luhn check."""
    return next(prefix + d for d in "0123456789" if luhn_ok(prefix + d))


def siret(rng: random.Random, public: bool = False) -> str:
    """A 14-digit SIRET whose SIREN and SIRET both pass the Luhn check."""
    while True:
        head = ("2" + rng.choice("0145")) if public else str(rng.randint(3, 8)) + str(rng.randint(0, 9))
        siren = _with_check_digit(head + "".join(str(rng.randint(0, 9)) for _ in range(6)))
        if siren != LA_POSTE_SIREN:
            break
    nic = f"000{rng.randint(1, 9)}"
    return _with_check_digit(siren + nic)
