"""Calendar arithmetic of the demo and its "today", the reference date."""

from __future__ import annotations

from datetime import date, timedelta

REF_DATE = date(2019, 12, 31)
"""The demo's "today": statuses, follow-ups and offers are consistent with this date."""


def add_months(d: date, n: int) -> date:
    """Same day n months later (clamped to the month's last day)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, days_in_month(year, month)))


def days_in_month(year: int, month: int) -> int:
    """Number of days of the month (28 to 31)."""
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def month_starts(start: date, end: date) -> list[date]:
    """First days of the months from start's month to end's month, inclusive."""
    out, cur = [], date(start.year, start.month, 1)
    while cur <= end:
        out.append(cur)
        cur = add_months(cur, 1)
    return out


def overlap_days(a0: date, a1: date, b0: date, b1: date) -> int:
    """Days shared by two inclusive date ranges (0 when they do not meet)."""
    return max(0, (min(a1, b1) - max(a0, b0)).days + 1)
