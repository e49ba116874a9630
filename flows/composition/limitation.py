"""The two- and three-year dates of a complaint, counted from the right day.

12315 does not accept a complaint filed more than three years after the consumer knew or
should have known of the harm (DOMAIN.md §2); the guide advises filing within two. For a
purchase more than two years old the interview asks when the problem was found
(`discovered_on`, ISO date) and the dates count from that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flows.catalog import Catalog
from flows.composition.written import date_text
from flows.fields import years_since


@dataclass(frozen=True)
class Limitation:
    start: date  # the day the dates count from
    from_discovery: bool
    two_years: date
    three_years: date

    def years_passed(self, today: date) -> int:
        return years_since(self.start, today)

    def warning(self, today: date, catalog: Catalog) -> str | None:
        """The draft's warning when two or three years have passed since the start day; None
        before that. Counted from the purchase, it is the draft's existing warning."""
        years = self.years_passed(today)
        if years < 2:
            return None
        span = "three" if years >= 3 else "two"
        if self.from_discovery:
            return catalog.text(f"compose.limitation.over_{span}_years_found",
                                found=date_text(self.start, catalog))
        return catalog.text(f"warning.over_{span}_years")

    def text(self, catalog: Catalog) -> str:
        key = "from_discovery" if self.from_discovery else "from_purchase"
        return catalog.text(f"compose.limitation.{key}", found=date_text(self.start, catalog),
                            two_years=date_text(self.two_years, catalog),
                            three_years=date_text(self.three_years, catalog))


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def asks_discovery(answers: Mapping[str, Any], today: date) -> bool:
    """Whether the interview should ask 问题是什么时候发现的: the purchase is over two years old."""
    bought = answers.get("purchase_date")
    return bool(bought) and years_since(date.fromisoformat(bought), today) >= 2


def limitation(answers: Mapping[str, Any]) -> Limitation | None:
    """The dates counted from `discovered_on` when given, else from `purchase_date`."""
    found, bought = answers.get("discovered_on"), answers.get("purchase_date")
    start_text = found or bought
    if not start_text:
        return None
    start = date.fromisoformat(start_text)
    return Limitation(start, bool(found), _years_later(start, 2), _years_later(start, 3))
