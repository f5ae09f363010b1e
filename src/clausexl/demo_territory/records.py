"""The generator's working records, linked objects turned into rows at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .dates import REF_DATE

ROW = dict[str, object]


@dataclass
class Company:
    id: str
    raison_sociale: str
    type: str
    local: bool
    trade: str | None = None
    row: ROW = field(default_factory=dict)


@dataclass
class Market:
    plan: int
    group: str
    buyer: str
    type: str
    dispositif: str
    trade: str
    operation: str | None
    objet: str
    lot: str | None
    npnru: bool
    start: date
    end: date
    status: str
    awardee: Company | None = None
    rate: float = 0.0  # planned hours per year of activity
    id: str = ""


@dataclass
class Contract:
    market: Market
    employer: Company
    modalite: str
    type: str
    poste: str
    rome: str
    start: date
    end: date | None
    hebdo: float
    hours: dict[date, list[float]] = field(default_factory=dict)  # month -> [worked, training]
    person: Person | None = None
    id: str = ""


@dataclass
class Person:
    contracts: list[Contract] = field(default_factory=list)
    id: str = ""

    @property
    def first_start(self) -> date:
        return min(c.start for c in self.contracts)

    @property
    def last_end(self) -> date:
        return max(c.end or REF_DATE for c in self.contracts)


def has_hours_in(c: Contract, year: int) -> bool:
    return any(m.year == year and sum(v) > 0 for m, v in c.hours.items())


def in_year(p: Person, year: int) -> bool:
    return any(has_hours_in(c, year) for c in p.contracts)
