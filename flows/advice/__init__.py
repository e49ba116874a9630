"""Advice that fits the case: the rules a knowledgeable friend would point out (DOMAIN.md §11).

    case = build_case(draft.answers, insight_or_none, "complaint", today)
    for item in advice_for(case, "demand_question"):
        catalog.text(item.key, **item.params)

Rules are declarations in `rules.py` (when, what to say, at which moment, from which section
of DOMAIN.md); the words they look for are in `data/cues.tsv`; their texts in the catalog
under `advice.`. Pure: no I/O besides reading the cue table once.
"""

from flows.advice.case import AdviceCase, build_case
from flows.advice.cues import find as find_cue
from flows.advice.rules import (
    ACCOUNT_READ,
    DEMAND_QUESTION,
    DRAFT,
    EVIDENCE_QUESTION,
    IDENTITY_QUESTION,
    MOMENTS,
    REPLACING_RULES,
    RULES,
    Advice,
    Rule,
    Say,
    advice_for,
    draft_section,
    fired_rules,
    render,
    superseded,
)
from flows.advice.side import SIDE_QUESTIONS, side_answers


def wants_anonymity(text: str) -> bool:
    """True when an answer says the reporter does not want to give a name ("不想留名"): the
    reporter's name question should then record no name instead of storing those words."""
    from flows.understanding.text import normalise

    return find_cue("anonymity", normalise(text)) is not None


def worries_about_identity(text: str) -> bool:
    """True when an answer asks whether the business will learn who reported it ("会不会被店家
    知道是我举报的"): the reporter's name question should answer the worry
    (reply.error.name_refused_report) instead of storing those words as the name."""
    from flows.understanding.text import normalise

    return find_cue("identity_worry", normalise(text)) is not None


__all__ = [
    "ACCOUNT_READ", "DEMAND_QUESTION", "DRAFT", "EVIDENCE_QUESTION", "IDENTITY_QUESTION",
    "MOMENTS", "REPLACING_RULES", "RULES", "SIDE_QUESTIONS", "Advice", "AdviceCase", "Rule", "Say",
    "advice_for", "build_case",
    "draft_section", "fired_rules", "render", "side_answers", "superseded", "wants_anonymity", "worries_about_identity",
]
