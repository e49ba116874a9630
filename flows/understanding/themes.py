"""Ranks the seven 12315 themes for an account, with calibrated probabilities and reasons.

Two sources of evidence work together:

* the domain word lists (`data/theme_keywords.tsv`): each word adds its weight to one or more
  themes; a word right after a negation ("不是质量问题") adds nothing, an aspect followed by
  praise ("质量还可以") adds nothing, repeats count less, a refusal ("不给退") counts half when
  a defect is described, and spoilage words (坏了, 过期, 发霉) point at food safety only when
  the account is about food;
* a learned classifier (`theme_model`), trained on labelled real complaints, which reads
  every word and character n-gram and takes the word-list evidence as extra features.

The classifier's calibrated probability orders the themes and decides whether the top one
is sure enough to be offered as a one-tap answer. The reasons shown for a theme are the
words of the account that pushed the decision towards it, restricted to content words a
person can check (never function words or verbs of speech).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flows.insight import ThemeScore
from flows.numerals import NUMBER_CHARS
from flows.understanding import resources, theme_model
from flows.understanding.segmenter import Token
from flows.understanding.text import CLAUSE_BREAKS
from flows.vocabulary import THEMES

OTHER_BASELINE = 0.6
DEFECT_EVIDENCE = 1.0
REFUSAL_DISCOUNT = 0.5
REPEAT_FACTORS = (1.0, 0.5, 0.25)
LOOK_BACK = 2
LOOK_AHEAD = 2
MAX_REASONS = 4
# Offer two themes, and a third when it is at least this likely.
SHORTLIST_SIZE = 2
THIRD_CHOICE_PROBABILITY = 0.1
# With no listed complaint word and fewer known words than this ("你好"), the classifier has
# nothing to go on: "other" is ranked first and nothing is offered as one tap.
MIN_KNOWN_WORDS = 3


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
    """The word lists' unnormalised evidence per theme and the words behind it."""
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


def is_checkable_reason(word: str) -> bool:
    """A content word a person can verify in their own account: no function or speech words."""
    if len(word) < 2 or word in resources.stopwords() or word in resources.reason_stopwords():
        return False
    if all(char in NUMBER_CHARS for char in word):  # "一万", "四千九百八": a sum, not a reason
        return False
    return all("\u4e00" <= char <= "\u9fff" or char.isalpha() for char in word)


def _reasons(pushes: Mapping[str, float], lexicon_words: Sequence[str]) -> tuple[str, ...]:
    """Words of the account that pushed the theme up, strongest first.

    The word lists' own words for the theme come first: they are curated complaint
    vocabulary. When the lists found nothing (language they were never written for), the
    classifier's strongest words for the theme are shown instead.
    """
    listed = [word for word in lexicon_words if is_checkable_reason(word)]
    if listed:
        return tuple(sorted(listed, key=lambda word: -pushes.get(word, 0.0)))[:MAX_REASONS]
    ranked = sorted(pushes, key=lambda word: -pushes[word])
    return tuple(word for word in ranked if is_checkable_reason(word))[:MAX_REASONS]


@dataclass(frozen=True)
class ThemeRanking:
    """All seven themes best first, whether the top one is sure, and the two or three to offer."""

    themes: tuple[ThemeScore, ...]
    one_tap: bool
    shortlist: tuple[str, ...]
    in_scope_evidence: float


def shortlist(themes: Sequence[ThemeScore]) -> tuple[str, ...]:
    """The top two themes, and the third when it is still reasonably likely."""
    picked = [score.theme for score in themes[:SHORTLIST_SIZE]]
    if len(themes) > SHORTLIST_SIZE and (themes[SHORTLIST_SIZE].probability or 0.0) >= THIRD_CHOICE_PROBABILITY:
        picked.append(themes[SHORTLIST_SIZE].theme)
    return tuple(picked)


def rank_themes(text: str, tokens: Sequence[Token]) -> ThemeRanking:
    """Themes for a normalised account and its tokens, ranked by calibrated probability."""
    lexicon_scores, lexicon_keywords = raw_theme_scores(tokens)
    model = theme_model.load()
    features = model.features(text, tokens, lexicon_scores)
    probabilities = model.probabilities(features, lexicon_scores)
    in_scope_evidence = max((score for theme, score in lexicon_scores.items() if theme != "other"),
                            default=0.0)
    known_words = sum(1 for name in features if name.startswith(theme_model.WORD))
    no_evidence = in_scope_evidence <= 0 and known_words < MIN_KNOWN_WORDS
    ranked = sorted(THEMES, key=lambda theme: (not (no_evidence and theme == "other"),
                                               -probabilities[theme], THEMES.index(theme)))
    pushes = model.word_pushes(features)
    themes = tuple(
        ThemeScore(theme, round(probabilities[theme], 3),
                   _reasons(pushes[theme], lexicon_keywords.get(theme, ())),
                   probability=probabilities[theme])
        for theme in ranked
    )
    one_tap = not no_evidence and probabilities[ranked[0]] >= model.one_tap_probability
    return ThemeRanking(themes, one_tap, shortlist(themes), in_scope_evidence)


def one_tap_probability() -> float:
    """The calibrated probability from which the top theme is offered as a one-tap answer."""
    return theme_model.load().one_tap_probability
