"""Checks of French identifiers."""

from __future__ import annotations

LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of SIREN and SIRET numbers (also used to make the demo's fictitious ones)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def siret_is_valid(siret: str) -> bool:
    """14 digits with a valid Luhn key; La Poste's establishments use a digit sum multiple of 5."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return sum(int(ch) for ch in siret) % 5 == 0
    return luhn_ok(siret)
