"""The generator's working records, linked objects turned into rows at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .dates import REF_DATE

ROW = dict[str, Any]


@dataclass
class Company:
    """A company; its T_Entreprises row is built when it is created."""

    id: str
    raison_sociale: str
    type: str
    local: bool
    trade: str | None = None
    row: ROW = field(default_factory=dict)


@dataclass
class Market:
    """A market of the plan while it is being dated, awarded and given hours."""

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

    @property
    def has_activity(self) -> bool:
        """False for the plan's group X (abandoned or in preparation): no awardee, no hours."""
        return self.group != "X"


@dataclass
class Contract:
    """A contract and its monthly hours ([worked, training] by first day of month)."""

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

    @property
    def last_day(self) -> date:
        """The end date, or the reference date for a contract still open (a CDI)."""
        return self.end or REF_DATE

    @property
    def total_hours(self) -> float:
        """Hours worked plus training over every month, what a market's hours budget counts."""
        return sum(sum(v) for v in self.hours.values())

    def has_hours_in(self, year: int) -> bool:
        """True when some hours fall in `year`: what makes a contract count in that year's figures."""
        return any(m.year == year and sum(v) > 0 for m, v in self.hours.items())


@dataclass
class Person:
    """A participant: the contracts of one career, in the order they were handed out."""

    contracts: list[Contract] = field(default_factory=list)
    id: str = ""

    @property
    def first_start(self) -> date:
        """Start of the person's first contract: their entry in the scheme."""
        return min(c.start for c in self.contracts)

    @property
    def last_end(self) -> date:
        """End of the person's last contract (the reference date while one is open)."""
        return max(c.last_day for c in self.contracts)

    def has_hours_in(self, year: int) -> bool:
        """True when one of the person's contracts has hours in `year`: a participant that year."""
        return any(c.has_hours_in(year) for c in self.contracts)


def oui_non(flag: bool) -> str:
    """The workbook's Oui/Non cell for a flag."""
    return "Oui" if flag else "Non"


class YearlyNumbers:
    """Serial numbers that restart each year, as the workbook's IDs do (M2018-001, C2019-042)."""

    def __init__(self) -> None:
        self._last: dict[int, int] = {}

    def next(self, year: int) -> int:
        """The next number of `year`, from 1."""
        self._last[year] = self._last.get(year, 0) + 1
        return self._last[year]
