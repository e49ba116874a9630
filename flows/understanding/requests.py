"""What the consumer asks for (诉求) and whether the business has been contacted yet.

A request word counts only when a request cue comes before it in the same clause
("要求退货", "想退钱", "申请退款") and no refusal sits right before it ("不肯退费" is the shop
refusing, not the consumer asking); set phrases like 退一赔三 count anywhere.
"""

from __future__ import annotations

import re

from flows.understanding import resources
from flows.understanding.text import clause_bounds
from flows.vocabulary import DEMANDS

_ALWAYS_REQUESTS = re.compile(r"退一赔三|假一赔三|假一赔十|退一赔十")
_CONTINUES = re.compile(r"\s*(并且|并|同时|以及|还要|和)")
_REFUSAL_BEFORE = re.compile(r"(不给|不肯|不予|拒绝|不同意|不让|不能|不可以|不愿意?|没有?|未|不)$")


def _cued(text: str, start: int) -> bool:
    """A request cue earlier in the clause; a clause opening with 并/并且/同时 continues the last."""
    clause_start, _ = clause_bounds(text, start)
    before = text[clause_start:start]
    if _CONTINUES.match(before) and clause_start > 1:
        previous_start, _ = clause_bounds(text, clause_start - 2)
        before = text[previous_start:start]
    return any(cue in before for cue in resources.demand_cues())


def find_demands(text: str) -> tuple[list[str], tuple[int, int] | None]:
    """Demand codes in DEMANDS order, and the span of the first one found."""
    taken: list[tuple[int, int]] = []
    codes: set[str] = set()
    first: tuple[int, int] | None = None
    for pattern, code in resources.demand_patterns():
        for match in pattern.finditer(text):
            start, end = match.span()
            overlapping = any(start < t_end and t_start < end for t_start, t_end in taken
                              if (t_start, t_end) != (start, end))
            if overlapping:
                continue
            if _REFUSAL_BEFORE.search(text[max(0, start - 3):start]):
                continue
            if not (_ALWAYS_REQUESTS.fullmatch(match.group(0)) or _cued(text, start)):
                continue
            taken.append((start, end))
            codes.add(code)
            if first is None or start < first[0]:
                first = (start, end)
    return [code for code in DEMANDS if code in codes], first


def find_contacted(text: str) -> tuple[bool, tuple[int, int]] | None:
    """False when the text says the business was not contacted yet, True when it was."""
    found_true: tuple[int, int] | None = None
    for pattern, contacted in resources.contact_patterns():
        match = pattern.search(text)
        if not match:
            continue
        if not contacted:
            return False, match.span()
        if found_true is None or match.start() < found_true[0]:
            found_true = match.span()
    return (True, found_true) if found_true else None
