"""Scores every 12315 theme from the complaint words in an account.

Each word in `data/theme_keywords.tsv` adds its weight to one or more themes. A word right
after a negation ("不是质量问题") adds nothing, an aspect followed by praise ("质量还可以")
adds nothing, and repeats count less. A refusal ("不给退") counts half when a defect is
described, since the defect is then the grievance and the refusal its sequel. Spoilage
words (坏了, 过期, 发霉) point at food safety when the account is about food and at product
quality otherwise. "other" has a small fixed
score so that an account with no complaint words ranks it first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from flows.insight import ThemeScore
from flows.understanding import resources
from flows.understanding.segmenter import Token
from flows.understanding.text import CLAUSE_BREAKS
from flows.vocabulary import THEMES

OTHER_BASELINE = 0.6
DEFECT_EVIDENCE = 1.0
REFUSAL_DISCOUNT = 0.5
REPEAT_FACTORS = (1.0, 0.5, 0.25)
LOOK_BACK = 2
LOOK_AHEAD = 2


def _is_break(token: Token) -> bool:
    return all(char in CLAUSE_BREAKS for char in token.word)


def _negated(tokens: Sequence[Token], index: int) -> bool:
    """True when a negation sits just before the word, inside the same clause."""
    for back in range(1, LOOK_BACK + 1):
        if index - back < 0 or _is_break(tokens[index - back]):
            return False
        if tokens[index - back].word in resources.negations():
            return True
    return False


def _praised(tokens: Sequence[Token], index: int) -> bool:
    """True when an aspect word ("质量") is followed by praise ("还可以") in its clause."""
    if tokens[index].word not in resources.aspects():
        return False
    for ahead in range(1, LOOK_AHEAD + 1):
        if index + ahead >= len(tokens) or _is_break(tokens[index + ahead]):
            return False
        if tokens[index + ahead].word in resources.positives():
            return True
    return False


def raw_theme_scores(tokens: Sequence[Token]) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Unnormalised evidence per theme and the words behind it."""
    lexicon = resources.theme_lexicon()
    scores: dict[str, float] = defaultdict(float)
    keywords: dict[str, list[str]] = defaultdict(list)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    about_food = any(token.word in resources.food_words() for token in tokens)
    spoilage = resources.food_conditional()
    refusal_evidence = 0.0
    for index, token in enumerate(tokens):
        if about_food and token.word in spoilage:
            entries: tuple[tuple[str, float], ...] = (("food_safety", spoilage[token.word]),)
        else:
            entries = lexicon.get(token.word, ())
        if not entries or _negated(tokens, index) or _praised(tokens, index):
            continue
        for theme, weight in entries:
            repeat = seen[(token.word, theme)]
            seen[(token.word, theme)] += 1
            if repeat >= len(REPEAT_FACTORS):
                continue
            contribution = weight * REPEAT_FACTORS[repeat]
            scores[theme] += contribution
            if theme == "after_sales" and token.word in resources.refusals():
                refusal_evidence += contribution
            if token.word not in keywords[theme]:
                keywords[theme].append(token.word)
    if scores["quality"] >= DEFECT_EVIDENCE:
        scores["after_sales"] -= REFUSAL_DISCOUNT * refusal_evidence
    scores["other"] += OTHER_BASELINE
    return dict(scores), dict(keywords)


def rank_themes(tokens: Sequence[Token]) -> tuple[tuple[ThemeScore, ...], float]:
    """All themes, best first, with scores in 0..1; also the strongest raw evidence."""
    scores, keywords = raw_theme_scores(tokens)
    total = sum(scores.values()) + 1.0
    ranked = sorted(THEMES, key=lambda theme: (-scores.get(theme, 0.0), THEMES.index(theme)))
    themes = tuple(
        ThemeScore(theme, round(scores.get(theme, 0.0) / total, 3),
                   tuple(keywords.get(theme, ())))
        for theme in ranked
    )
    in_scope_evidence = max((score for theme, score in scores.items() if theme != "other"),
                            default=0.0)
    return themes, in_scope_evidence
