"""Removes personal data from text meant for the complaint box.

The 12315 form has its own fields for the complainant's name, phone and address, so the
complaint text must not repeat them, and must never carry ID-card or bank-card numbers.
Numbers are found by their shape; names and addresses by the words that announce them
(data/personal_cues.tsv) and by the values the user already gave in the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from flows.composition import clauses as cl
from flows.composition.resources import personal_cues

# Shapes of numbers that identify a person (ASCII digits: run clauses.narrow_alnum first).
_NUMBER_SHAPES = (
    r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])",  # ID card, 18 characters
    r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])",  # ID card, 15 digits (old)
    r"(?<![0-9A-Za-z])\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])",  # bank card
    r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])",  # bank card
    r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?[\d*]{4}[- ]?\d{4}(?![0-9A-Za-z])",  # mobile
    r"(?<![0-9A-Za-z])0\d{2,3}[- ]?\d{7,8}(?![0-9A-Za-z])",  # landline
    r"[\w.+-]+@[\w-]+\.[A-Za-z.]{2,}",  # e-mail
    r"\*{4,}",  # a number the source already masked
)
NUMBER_PATTERN = re.compile("|".join(f"(?:{shape})" for shape in _NUMBER_SHAPES))
_PLACE_MARK = re.compile(r"[省市区县镇乡村路街道巷弄号楼栋室园苑庄里]|小区|单元|公寓")
_NAME = r"[\u4e00-\u9fff·]{2,4}?"
GONE = "\x00"
_LEFTOVER = re.compile(r"^(?:我|本人|我的|是|为|叫|的|和|及|[:：\s])*$")


@cache
def _cue_patterns() -> tuple[re.Pattern[str], ...]:
    cues = personal_cues()
    every_cue = "|".join(re.escape(cue) for cue, _ in cues)
    patterns = []
    for cue, kind in cues:
        head = re.escape(cue) + r"\s*[:：是为]?\s*"
        if kind == "name":
            body = rf"{_NAME}(?=$|[^\u4e00-\u9fff]|{every_cue}|今年|现年|家住|住)"
        elif kind == "address":
            head = head if cue != "住" else head + r"(?![院宿店酒过了])"
            body = r"[^，,。；;！？!?\n\x00]{2,40}"
        else:
            body = r"[0-9A-Za-z*_\-]{5,}"
        patterns.append(re.compile(head + f"(?P<value>{body})", re.IGNORECASE))
    return tuple(patterns)


def _spans(text: str, known: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = []
    for match in NUMBER_PATTERN.finditer(text):
        spans.append((_with_cue_before(text, match.start()), match.end()))
    for pattern, (_, kind) in zip(_cue_patterns(), personal_cues(), strict=True):
        for match in pattern.finditer(text):
            if kind == "address" and not _PLACE_MARK.search(match.group("value")):
                continue
            spans.append(match.span())
    for value in known:
        start = text.find(value)
        while start >= 0:
            spans.append((_with_cue_before(text, start), start + len(value)))
            start = text.find(value, start + 1)
    return spans


def _with_cue_before(text: str, start: int) -> int:
    """Where the data starting at `start` really starts: its announcing word included."""
    head = text[:start].rstrip(" \t:：是为")
    for cue, _ in personal_cues():
        if head.endswith(cue):
            return len(head) - len(cue)
    return start


def _mark(text: str, known: tuple[str, ...]) -> str:
    """`text` with each piece of personal data replaced by one GONE character."""
    spans = sorted(_spans(text, known))
    out, position = [], 0
    for start, end in spans:
        if end <= position:
            continue
        start = max(start, position)
        before = text[position:start]
        before = before[:-2] if before.endswith("本人") else before.removesuffix("我")
        out.append(before + GONE)
        position = end
    out.append(text[position:])
    return "".join(out)


def _clean_clause(clause: str) -> str:
    if GONE not in clause:
        return clause
    rest = re.sub(r"\s+", " ", clause.replace(GONE, " ")).strip(" ，,：:")
    return "" if _LEFTOVER.match(rest) or len(rest) < 2 else rest


def scrub_sentences(text: str, known: Iterable[str] = ()) -> list[list[str]]:
    """`text` as sentences of clauses, without personal data; a clause that held nothing
    else is gone."""
    values = tuple(sorted({v.strip() for v in known if v and len(v.strip()) >= 2},
                          key=len, reverse=True))
    sentences = []
    for clauses in cl.split(_mark(cl.narrow_alnum(text), values)):
        kept = [_clean_clause(clause) for clause in clauses]
        if any(kept):
            sentences.append([c for c in kept if c])
    return sentences


def scrub_personal_data(text: str, known: Iterable[str] = ()) -> str:
    """`text` without phone, ID-card, bank-card numbers, e-mail addresses, names and
    addresses (those announced in the text and the `known` values, e.g. the user's name and
    address from the form), rewritten as clean sentences."""
    return cl.join(scrub_sentences(text, known))


def personal_values(answers: Mapping[str, Any]) -> tuple[str, ...]:
    """The user's own name, phone and address as given in the form."""
    names = ("complainant_name", "complainant_phone", "complainant_address")
    return tuple(str(answers[n]) for n in names if answers.get(n))
