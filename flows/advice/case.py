"""`AdviceCase`: the plain input the advice rules read, built from what the interview knows.

At each moment the engine knows a different amount: right after the account only the text and
the analyzer's reading, at the draft every answer. The case merges both (an answer the user
gave wins over a fact the analyzer guessed) so a rule is written once and works at any moment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flows.dates import stored_day
from flows.insight import Insight
from flows.understanding.text import normalise

# The answers that hold the user's own words, read by the word cues.
TEXT_ANSWERS = ("narrative", "problem", "product", "contact_result", "demand_other",
                "compensation")


@dataclass(frozen=True)
class AdviceCase:
    """One case as the rules see it; every part may be missing early in the interview."""

    kind: str  # a code of flows.vocabulary.KINDS: "complaint" (投诉) or "report" (举报)
    today: date
    text: str = ""  # the user's own words, normalised (half-width, ASCII lower-cased)
    answers: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)  # the analyzer's fact values
    themes: tuple[str, ...] = ()  # the analyzer's theme ranking, best first
    referral: str | None = None  # the analyzer's out-of-scope topic
    files: tuple[str, ...] = ()  # the kinds of the files sent as evidence (photo, video …)

    def value(self, name: str) -> Any:
        """An answer when the user gave one, else the analyzer's fact of that name."""
        answer = self.answers.get(name)
        return answer if answer not in (None, "", []) else self.facts.get(name)

    @property
    def theme(self) -> str | None:
        """The theme (or, for a report, the violation) chosen, else the analyzer's best guess."""
        chosen = self.answers.get("violation" if self.kind == "report" else "theme")
        return chosen or (self.themes[0] if self.themes else None)

    @property
    def purchase_date(self) -> date | None:
        day = self.value("purchase_date")
        if isinstance(day, str):
            try:
                return stored_day(day)  # a month known alone stands for its first day
            except ValueError:
                return None
        return day if isinstance(day, date) else None

    @property
    def days_since_purchase(self) -> int | None:
        day = self.purchase_date
        return (self.today - day).days if day and day <= self.today else None

    @property
    def amount(self) -> float | None:
        """The price paid (a report's amount when it has one)."""
        for name in ("amount", "report_amount"):
            value = self.value(name)
            if isinstance(value, int | float) and value > 0:
                return float(value)
        return None

    @property
    def product(self) -> str:
        return normalise(str(self.value("product") or ""))

    @property
    def demands(self) -> tuple[str, ...]:
        return tuple(self.value("demands") or ())


def build_case(answers: Mapping[str, Any], insight: Insight | None, kind: str | None,
               today: date, files: Sequence[str] = ()) -> AdviceCase:
    """The case from a draft's answers dict (as stored), the analyzer's reading of the account
    (None when there was none), the kind code (None: read it from the answers), today and
    the kinds of the files sent as evidence."""
    words = []
    for name in TEXT_ANSWERS:
        value = answers.get(name)
        if isinstance(value, Mapping):
            value = value.get("detail")
        if isinstance(value, str) and value:
            words.append(value)
    insight = insight or Insight()
    return AdviceCase(
        kind=kind or str(answers.get("kind") or "complaint"),
        today=today,
        text=normalise("\n".join(words)),
        answers=dict(answers),
        facts={name: fact.value for name, fact in insight.facts.items()},
        themes=tuple(score.theme for score in insight.themes),
        referral=insight.out_of_scope.topic if insight.out_of_scope else None,
        files=tuple(files),
    )
