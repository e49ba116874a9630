"""Small named predicates over an `AdviceCase`, and the fillers that compute a rule's params.

A rule's `when` is built from these with `&`, `|` and `~`, so it reads like the rule in
DOMAIN.md and prints as one (`prepaid & business_gone`), which the bench and tests show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flows.advice import cues
from flows.advice.case import AdviceCase


@dataclass(frozen=True)
class Condition:
    """A named test of a case; combine with & (both), | (either) and ~ (not)."""

    name: str
    test: Callable[[AdviceCase], bool]

    def __call__(self, case: AdviceCase) -> bool:
        return self.test(case)

    def __and__(self, other: Condition) -> Condition:
        return Condition(f"({self.name} & {other.name})", lambda c: self(c) and other(c))

    def __or__(self, other: Condition) -> Condition:
        return Condition(f"({self.name} | {other.name})", lambda c: self(c) or other(c))

    def __invert__(self) -> Condition:
        return Condition(f"~{self.name}", lambda c: not self(c))

    def __str__(self) -> str:
        return self.name


ALWAYS = Condition("always", lambda case: True)


def kind_is(kind: str) -> Condition:
    """投诉 or 举报 (codes of flows.vocabulary.KINDS)."""
    return Condition(f"kind={kind}", lambda case: case.kind == kind)


def theme_is(*themes: str) -> Condition:
    """The theme (a report's violation) chosen, else the analyzer's first guess."""
    return Condition(f"theme in {'/'.join(themes)}", lambda case: case.theme in themes)


def mentions(cue: str) -> Condition:
    """The user's words match a cue of data/cues.tsv."""
    cues.patterns(cue)  # an unknown cue fails when the rule is declared, not when it runs
    return Condition(cue, lambda case: cues.find(cue, case.text) is not None)


def product_is(cue: str) -> Condition:
    """The product answered (or read) matches the cue; without a product, the account does."""
    cues.patterns(cue)

    def test(case: AdviceCase) -> bool:
        return cues.find(cue, case.product or case.text) is not None

    return Condition(f"product:{cue}", test)


def channel_is(channel: str) -> Condition:
    return Condition(f"channel={channel}", lambda case: case.value("channel") == channel)


def referred_to(topic: str) -> Condition:
    """The analyzer sent the account to another body (flows.vocabulary.OUT_OF_SCOPE_TOPICS)."""
    return Condition(f"referral={topic}", lambda case: case.referral == topic)


def asked_for(demand: str) -> Condition:
    return Condition(f"demand={demand}", lambda case: demand in case.demands)


HAS_AMOUNT = Condition("has_amount", lambda case: case.amount is not None)
HAS_PURCHASE = Condition("has_purchase", lambda case: (
    case.amount is not None or bool(case.product) or cues.find("bought", case.text) is not None))


def days_to_fault(case: AdviceCase) -> int | None:
    """Days from the purchase to the fault: as the user put it ("买了三天就坏了"), else the
    days since the purchase (the fault showed up by today at the latest), else the days of use
    ("用了5天就坏了", which may start later than the purchase, so it only stands in for a date)."""
    said = cues.numbers("days_after_purchase_number", case.text)
    if said:
        return int(said[0])
    if case.days_since_purchase is not None:
        return case.days_since_purchase
    used = cues.numbers("days_of_use_number", case.text)
    return int(used[0]) if used else None


def fault_within(days: int, after: int = -1) -> Condition:
    """The fault appeared within `days` of the purchase (and more than `after` days after)."""
    def test(case: AdviceCase) -> bool:
        elapsed = days_to_fault(case)
        return elapsed is not None and after < elapsed <= days

    label = f"fault_within_{days}d" if after < 0 else f"fault_{after + 1}-{days}d"
    return Condition(label, test)


def bought_within(days: int) -> Condition:
    """The purchase date is known and no more than `days` ago."""
    def test(case: AdviceCase) -> bool:
        elapsed = case.days_since_purchase
        return elapsed is not None and elapsed <= days

    return Condition(f"bought_within_{days}d", test)


# ---- fillers: placeholder values computed from the case (None: not known) -------------------

Filler = Callable[[AdviceCase], str | None]


def yuan(amount: float) -> str:
    """1299.0 → '1299', 1299.5 → '1299.50': how people write sums of yuan."""
    return f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"


def price(case: AdviceCase) -> str | None:
    return yuan(case.amount) if case.amount is not None else None


def multiple_with_floor(times: int, floor: float) -> Filler:
    """`times` × the price, or `floor` when that is less (第五十五条: 3×, at least 500 元;
    食品安全法第一百四十八条: 10×, at least 1000 元)."""
    def fill(case: AdviceCase) -> str | None:
        return yuan(max(times * case.amount, floor)) if case.amount is not None else None

    return fill


def fault_days(case: AdviceCase) -> str | None:
    elapsed = days_to_fault(case)
    return str(max(elapsed, 1)) if elapsed is not None else None


def remaining_sessions(case: AdviceCase) -> float | None:
    """The sessions left: as said ("还剩34节"), else those bought less those used ("一共四十八节
    课 上了十四节")."""
    said = cues.numbers("remaining_sessions_number", case.text)
    if said:
        return said[0]
    bought = cues.numbers("total_sessions_number", case.text)
    used = cues.numbers("used_sessions_number", case.text)
    if bought and used and max(bought) > used[0]:
        return max(bought) - used[0]
    return None


def session_price(case: AdviceCase) -> float | None:
    """The price of one session: as stated, else the price paid ÷ the sessions bought."""
    said = cues.numbers("session_price_number", case.text)
    if said:
        return said[0]
    total = cues.numbers("total_sessions_number", case.text)
    remaining = remaining_sessions(case)
    if case.amount is None or not total:
        return None
    bought = max(total)
    if bought <= 0 or (remaining is not None and remaining >= bought):
        return None
    return case.amount / bought


def remaining_count(case: AdviceCase) -> str | None:
    remaining = remaining_sessions(case)
    return yuan(remaining) if remaining is not None else None


def per_session(case: AdviceCase) -> str | None:
    value = session_price(case)
    return yuan(round(value, 2)) if value is not None else None


def unused_balance(case: AdviceCase) -> str | None:
    """Remaining sessions × price per session, the natural demand for a prepaid card (§11)."""
    remaining, each = remaining_sessions(case), session_price(case)
    if remaining is None or each is None:
        return None
    return yuan(round(remaining * each, 2))


HAS_SESSION_SUM = Condition("remaining×price known", lambda case: unused_balance(case) is not None)


def platform_name(case: AdviceCase) -> str | None:
    """The platform answered or read, else the travel agency the account names."""
    platform = case.value("platform")
    return str(platform) if platform else cues.find("travel_agency", case.text)


# ---- time-based cards (年卡, 两年的会员): the unused share of the term ----------------------


def card_months(case: AdviceCase) -> float | None:
    """The whole term of a time-based card in months (年卡 12, 两年的会员 24, 季卡 3)."""
    return cues.months("total", case.text)


def unused_months(case: AdviceCase) -> float | None:
    """The months not used: as said ("还剩半年"), else the term less the months used."""
    total = card_months(case)
    left = cues.months("left", case.text)
    if left is None:
        used = cues.months("used", case.text)
        left = total - used if total is not None and used is not None else None
    if left is None or left <= 0 or (total is not None and left > total):
        return None
    return left


def term_months(case: AdviceCase) -> str | None:
    total = card_months(case)
    return yuan(total) if total is not None and unused_months(case) is not None else None


def months_left(case: AdviceCase) -> str | None:
    left = unused_months(case)
    return yuan(left) if left is not None else None


def unused_term_balance(case: AdviceCase) -> str | None:
    """Price × unused months ÷ the card's months, the refund of a time-based card (§11)."""
    total, left = card_months(case), unused_months(case)
    if case.amount is None or not total or left is None:
        return None
    return yuan(round(case.amount * left / total, 2))


VISIT_CARD = Condition("visit_card", lambda case: (
    cues.find("visit_card", case.text) is not None or remaining_sessions(case) is not None))
TIME_CARD = Condition("time_card", lambda case: (
    cues.find("time_card", case.text) is not None or card_months(case) is not None))
HAS_TERM_SUM = Condition("price×unused÷term known",
                         lambda case: unused_term_balance(case) is not None)


# ---- what a reporter did (a 举报 needs no purchase, §1) -------------------------------------

BOUGHT_IT = Condition("bought_it", lambda case: (
    case.amount is not None or bool(case.value("order_number"))
    or (cues.find("own_purchase", case.text) is not None
        and cues.find("not_a_buyer", case.text) is None)))


def has_file(kind: str) -> Condition:
    """The user sent a file of this kind (an `Attachment.kind`: photo, video …) as evidence."""
    return Condition(f"file={kind}", lambda case: kind in case.files)


def evidence_kinds(least: int) -> Condition:
    """The user has at least `least` kinds of evidence (codes of the "evidence" answer)."""
    def test(case: AdviceCase) -> bool:
        have = case.answers.get("evidence") or ()
        return isinstance(have, list | tuple) and len(set(have)) >= least

    return Condition(f"evidence_kinds>={least}", test)
