"""Short answers to the legal questions users ask in the middle of the interview.

    for sentence in render(side_answers(reply_text, case), catalog):
        ...

A question is recognised by a `side_*` cue of data/cues.tsv ("能要三倍吗", "要先找律师吗",
"多久有结果"); its answer is a catalog key under `advice.` with the fillers of its
placeholders, as the advice rules have (a computed sum is added once the price is known).
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.advice import cues
from flows.advice.case import AdviceCase
from flows.advice.conditions import (
    ALWAYS,
    HAS_AMOUNT,
    HAS_SESSION_SUM,
    Condition,
    kind_is,
    mentions,
    multiple_with_floor,
    per_session,
    price,
    remaining_count,
    unused_balance,
)
from flows.advice.rules import FALSE_CLAIMS, OWNER_VANISHED, Advice, Say, lines_said
from flows.understanding.text import normalise


@dataclass(frozen=True)
class SideQuestion:
    """One kind of side question: the cue that spots it, what the answer says (each line
    may be narrowed by `only_if`) and the DOMAIN.md section it rests on."""

    id: str
    cue: str
    say: tuple[Say, ...]
    source: str
    when: Condition = ALWAYS

    def __post_init__(self) -> None:
        cues.patterns(self.cue)  # an unknown cue fails at import, not when a user asks


COMPLAINT = kind_is("complaint")
REPORT = kind_is("report")
PREPAID = mentions("prepaid")
GONE = mentions("business_gone")

SIDE_QUESTIONS: tuple[SideQuestion, ...] = (
    SideQuestion("side.triple", "side_triple",
                 (Say("advice.fraud.triple"),
                  Say("advice.fraud.triple_sum", {"price": price, "sum": multiple_with_floor(3, 500)},
                      only_if=HAS_AMOUNT)),
                 source="§3, §11"),
    SideQuestion("side.tenfold", "side_tenfold",
                 (Say("advice.food.compensation"),
                  Say("advice.food.compensation_sum",
                      {"price": price, "sum": multiple_with_floor(10, 1000)}, only_if=HAS_AMOUNT)),
                 source="§3, §11"),
    SideQuestion("side.lawyer", "side_lawyer", (Say("advice.side.lawyer"),), source="§1, §4"),
    SideQuestion("side.warranty", "side_warranty", (Say("advice.side.warranty"),), source="§2"),
    SideQuestion("side.retaliation", "side_retaliation",
                 (Say("advice.report.identity_worry", only_if=REPORT),
                  Say("advice.side.retaliation_complaint", only_if=~REPORT)),
                 source="§2, §11"),
    SideQuestion("side.how_much", "side_how_much",
                 (Say("advice.side.how_much_report", only_if=REPORT),
                  Say("advice.prepaid.refund_balance", only_if=~REPORT & PREPAID),
                  Say("advice.prepaid.balance_sum", {"remaining": remaining_count,
                                                     "each": per_session, "total": unused_balance},
                      only_if=~REPORT & PREPAID & HAS_SESSION_SUM),
                  Say("advice.prepaid.balance_how", only_if=~REPORT & PREPAID & ~HAS_SESSION_SUM),
                  Say("advice.side.how_much", only_if=~REPORT & ~PREPAID),
                  # an owner who vanished gets the police advice of its own rule
                  Say("advice.side.business_gone", only_if=~REPORT & GONE & ~OWNER_VANISHED)),
                 source="§1, §3, §11"),
    SideQuestion("side.police", "side_police",
                 (Say("advice.side.police"),
                  # "翻新屏冒充原装": deceit short of a crime is the 三倍 of 第五十五条
                  Say("advice.fraud.triple", only_if=COMPLAINT & FALSE_CLAIMS & ~GONE)),
                 source="§3, §6, §11"),
    SideQuestion("side.seven_days", "side_seven_days", (Say("advice.side.seven_days"),),
                 source="§3"),
    SideQuestion("side.sanbao", "side_sanbao", (Say("advice.side.sanbao"),), source="§3, §11"),
    SideQuestion("side.repaired_again", "side_repaired_again",
                 (Say("advice.side.repaired_again"),), source="§11"),
    SideQuestion("side.no_refund", "side_no_refund", (Say("advice.side.no_refund_clause"),),
                 source="§3, §11"),
    SideQuestion("side.which_district", "side_which_district",
                 (Say("advice.side.which_district"),), source="§2"),
    SideQuestion("side.withhold", "side_withhold", (Say("advice.side.withhold"),), source="§1"),
    SideQuestion("side.timeline", "side_timeline",
                 (Say("advice.side.timeline_report", only_if=REPORT),
                  Say("advice.side.timeline_complaint", only_if=~REPORT)),
                 source="§2"),
)


def side_answers(text: str, case: AdviceCase) -> list[Advice]:
    """The answers to the side questions `text` (one raw reply of the user) asks.

    Contract: pure; `text` is read as typed (normalised here), `case` is the interview's case
    (`build_case(draft.answers, insight, kind, today)`) and supplies the kind (a 举报 gets
    the report's answers) and the price for a computed sum. Returns `Advice` items, in the
    order of SIDE_QUESTIONS, each catalog key once; render them with
    `flows.advice.render(items, catalog)`. Empty when `text` asks none of them. It does not
    record anything: the caller decides whether to show them again."""
    said = normalise(text)
    shown: list[Advice] = []
    seen: set[str] = set()
    for question in SIDE_QUESTIONS:
        if cues.find(question.cue, said) is None or not question.when(case):
            continue
        shown += lines_said(question.id, question.say, case, seen, 0, question.source)
    return shown
