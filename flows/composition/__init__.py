"""The complaint text (投诉内容) a 12315 handler wants to read, composed from the answers.

Pure functions over a draft's answers (the dict the interview stores) and the catalog:
`compose` writes the text and its 400-character version; `problem_from_account` and
`response_from_account` pre-fill "what went wrong" and "what the business said" from the
user's own account; `scrub_personal_data` keeps names, addresses and numbers out of it;
`review_demands` merges, questions and measures the demands. Word lists are in data/.
(The time limit lives in `flows.limitation`, the one place that rule is written.)
"""

from flows.composition.account import problem_from_account, response_from_account
from flows.composition.compose import TEXT_BOX_LIMIT, ComplaintText, Sentence, compose
from flows.composition.demands import (
    Finding,
    alternatives_from_text,
    compensation_total,
    demand_phrase,
    punitive_claim,
    review_demands,
)
from flows.composition.personal import scrub_personal_data

__all__ = [
    "TEXT_BOX_LIMIT",
    "ComplaintText",
    "Finding",
    "Sentence",
    "alternatives_from_text",
    "compensation_total",
    "compose",
    "demand_phrase",
    "problem_from_account",
    "punitive_claim",
    "response_from_account",
    "review_demands",
    "scrub_personal_data",
]
