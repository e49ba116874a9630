"""The time limit on a complaint, in one place: the interview, the draft and /status read it.

12315 does not accept a complaint filed more than three years after the consumer knew, or
should have known, of the harm; the guide advises filing within two. The clock therefore
starts on the day the problem was found when the user gave it, else on the purchase date
(for most purchases the two are days apart). When a purchase is over two years old the
interview asks when the problem was found, so an old purchase whose defect appeared last
month is not told it is too late.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import msgspec

from flows.model import Draft

# flows.dates is imported where a stored day is read, not with the interview (see below).

ADVISED_YEARS = 2
LIMIT_YEARS = 3
# An unfiled draft starts showing the two-year date this many days before it.
NOTICE_DAYS = 60

Stage = Literal["fresh", "advised_near", "advised_passed", "limit_passed"]


class Limitation(msgspec.Struct, frozen=True):
    """Where a draft stands against the limit: its stage and the two dates that matter."""

    start: date
    advised: date  # file before this day, as the guide advises
    limit: date  # after this day 12315 is likely not to accept the complaint
    stage: Stage


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def measure(start: date, today: date) -> Limitation:
    """The stage of a clock that started on `start`, seen on `today`."""
    advised, limit = years_after(start, ADVISED_YEARS), years_after(start, LIMIT_YEARS)
    if today >= limit:
        stage: Stage = "limit_passed"
    elif today >= advised:
        stage = "advised_passed"
    elif today >= advised - timedelta(days=NOTICE_DAYS):
        stage = "advised_near"
    else:
        stage = "fresh"
    return Limitation(start, advised, limit, stage)


def clock_start(draft: Draft) -> date | None:
    """The day the problem was found when known, else the purchase date (a month given
    without its day counts from the month's first day, the earlier, safer reading)."""
    from flows.dates import stored_day

    for name in ("discovered_on", "purchase_date"):
        value = draft.answer(name)
        if isinstance(value, str) and value:
            return stored_day(value)
    return None


def for_draft(draft: Draft, today: date) -> Limitation | None:
    start = clock_start(draft)
    return measure(start, today) if start is not None else None


def purchase_is_old(draft: Draft) -> bool:
    """True when the purchase alone is past the advised two years (seen from the draft's last
    change, which during the interview is today): then ask when the problem was found, since
    the limit counts from that day."""
    value = draft.answer("purchase_date")
    if not isinstance(value, str) or not value:
        return False
    from flows.dates import stored_day

    seen = draft.updated_at.date()
    return measure(stored_day(value), seen).stage in ("advised_passed", "limit_passed")
