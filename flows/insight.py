"""The contract between the interview and whatever reads the user's own account.

The engine calls an `Understand` hook once, on the free-text account, and uses the
result to pre-fill answers (which it then confirms instead of asking), to rank the
themes it offers, and to warn early when the matter is not one for 12315.
Without an analyzer the hook returns an empty `Insight` and the interview simply asks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import msgspec

# Keys of `Insight.facts`, with the type of each value:
#   purchase_date: datetime.date      amount: float (yuan)
#   business_name: str                store_name: str
#   product: str                      channel: "store" | "online"
#   platform: str                     order_number: str
#   district: str (one of flows.regions.BEIJING_DISTRICTS, e.g. "朝阳区")
#   demands: list[str] (codes from flows.vocabulary.DEMANDS)
#   compensation_amount: float        contacted: bool
#   amount_parts: tuple[float, ...] (the payments `amount` is the total of, when several)
#   amount_units: (count, price of one) when `amount` is their product (买了三盒 … 一盒1660)
AMOUNT_PARTS = "amount_parts"
AMOUNT_UNITS = "amount_units"
FACT_KEYS = (
    "purchase_date",
    "amount",
    "business_name",
    "store_name",
    "product",
    "channel",
    "platform",
    "order_number",
    "district",
    "demands",
    "compensation_amount",
    "contacted",
    AMOUNT_PARTS,
    AMOUNT_UNITS,
)


# How sure a fact must be before the interview may act on it. At or above PRETICK_CONFIDENCE
# the fact may be offered pre-ticked (one tap confirms it); from SUGGEST_CONFIDENCE up it is
# offered as one suggestion among the options, never pre-selected; below, the question is asked
# plainly. bench/replies.py measures the share of pre-ticked facts that are right (>= 97 %).
PRETICK_CONFIDENCE = 0.85
SUGGEST_CONFIDENCE = 0.5


class Fact(msgspec.Struct, frozen=True):
    """One fact read from the text: its value, how sure we are (0..1) and where it was."""

    value: Any
    confidence: float = 1.0
    span: tuple[int, int] | None = None


class ThemeScore(msgspec.Struct, frozen=True):
    """A theme code (see flows.vocabulary.THEMES), its score (0..1) and the words behind it.

    `probability` is the calibrated chance that this is the right theme (None when the
    analyzer has no calibrated model); `score` then carries the same value, rounded.
    """

    theme: str
    score: float
    keywords: tuple[str, ...] = ()
    probability: float | None = None


class Referral(msgspec.Struct, frozen=True):
    """A matter another body handles: a topic code from flows.vocabulary.OUT_OF_SCOPE_TOPICS.

    `note_only` marks a body that is only mentioned beside a consumer dispute (a loan taken
    to pay a gym that closed): the complaint goes to 12315 and the other body is a note.
    """

    topic: str
    keywords: tuple[str, ...] = ()
    note_only: bool = False


class Insight(msgspec.Struct, frozen=True):
    """Everything an analyzer could tell about one account; all parts may be empty."""

    themes: tuple[ThemeScore, ...] = ()
    out_of_scope: Referral | None = None
    facts: Mapping[str, Fact] = msgspec.field(default_factory=dict)
    # True when the top theme is sure enough to be offered as a one-tap answer; otherwise
    # `theme_shortlist` holds the two or three theme codes worth offering first.
    one_tap: bool = False
    theme_shortlist: tuple[str, ...] = ()
    # Other bodies mentioned beside a consumer dispute (each a Referral with note_only=True).
    notes: tuple[Referral, ...] = ()


Understand = Callable[[str, date], Insight]


def understand_nothing(text: str, today: date) -> Insight:
    """The hook used when no analyzer is installed: the interview asks for everything."""
    return Insight()
