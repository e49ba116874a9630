"""Working days as mainland China's official calendar has them, make-up weekends included.

The State Council publishes each year's holidays late in the year before; `chinese-calendar`
encodes them and raises for a year it does not know yet. There we count Monday to Friday and
say the result is an estimate, rather than pretend to know the holidays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

# A day's status: True (working day), False (rest day), None (the calendar does not know).
DayRule = Callable[[date], "bool | None"]


def official_workday(day: date) -> bool | None:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the library has no holiday notice for
        return None


@dataclass(frozen=True)
class Deadline:
    """A date, and whether it rests on a guess about holidays not yet published."""

    day: date
    estimated: bool = False


def add_working_days(start: date, count: int, rule: DayRule = official_workday) -> Deadline:
    """The `count`-th working day after `start` (the day itself is not counted)."""
    day, found, estimated = start, 0, False
    while found < count:
        day += timedelta(days=1)
        known = rule(day)
        if known is None:
            estimated = True
            known = day.weekday() < 5
        if known:
            found += 1
    return Deadline(day, estimated)


def add_days(start: date, count: int) -> Deadline:
    """Calendar days, for limits the rules count that way (e.g. 60 days of mediation)."""
    return Deadline(start + timedelta(days=count))
