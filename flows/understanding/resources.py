"""Loads the vocabulary tables shipped in `data/`, once per process.

Chinese vocabulary is data, not code: every word list the analyzer uses lives in a
plain-text file next to this module so it can grow without touching the logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows.regions import DISTRICT_NAMES
from flows.tables import table_rows

DATA_DIR = Path(__file__).resolve().parent / "data"
MAIN_DICTIONARY = DATA_DIR / "main_dict.txt"
DOMAIN_WORDS = DATA_DIR / "domain_words.txt"


def lower_ascii(text: str) -> str:
    """Lower-cases ASCII letters only, so string length (and every span) stays the same."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _rows(name: str) -> list[list[str]]:
    """The rows of a data file of this package."""
    return table_rows(DATA_DIR / name)


def _words(name: str) -> frozenset[str]:
    return frozenset(lower_ascii(row[0]) for row in _rows(name))


@cache
def theme_lexicon() -> dict[str, tuple[tuple[str, float], ...]]:
    """word -> ((theme, weight), ...)."""
    table: dict[str, list[tuple[str, float]]] = {}
    for word, theme, weight in _rows("theme_keywords.tsv"):
        table.setdefault(lower_ascii(word), []).append((theme, float(weight)))
    return {word: tuple(entries) for word, entries in table.items()}


@dataclass(frozen=True)
class ScopeEntry:
    """One sign that a matter belongs to another body; `core` names that body's own service."""

    topic: str
    weight: float
    core: bool


@cache
def scope_lexicon() -> dict[str, tuple[ScopeEntry, ...]]:
    table: dict[str, list[ScopeEntry]] = {}
    for word, topic, weight, core in _rows("scope_keywords.tsv"):
        entry = ScopeEntry(topic, float(weight), core == "yes")
        table.setdefault(lower_ascii(word), []).append(entry)
    return {word: tuple(entries) for word, entries in table.items()}


@cache
def scope_phrases() -> tuple[tuple[re.Pattern[str], ScopeEntry], ...]:
    return tuple(
        (re.compile(pattern), ScopeEntry(topic, float(weight), core == "yes"))
        for pattern, topic, weight, core in _rows("scope_phrases.tsv")
    )


@cache
def scope_guard_words() -> dict[str, frozenset[str]]:
    """The word sets of the out-of-scope guards (`scope_guards.tsv`), by name."""
    return {name: frozenset(lower_ascii(word) for word in value.split("|"))
            for name, kind, value, *_ in _rows("scope_guards.tsv") if kind == "words"}


@cache
def scope_guard_patterns() -> dict[str, re.Pattern[str]]:
    """The patterns of the out-of-scope guards (`scope_guards.tsv`), by name."""
    return {name: re.compile(value)
            for name, kind, value, *_ in _rows("scope_guards.tsv") if kind == "pattern"}


@cache
def negations() -> frozenset[str]:
    return _words("negations.txt")


@cache
def positives() -> frozenset[str]:
    return _words("positives.txt")


@cache
def aspects() -> frozenset[str]:
    return _words("aspects.txt")


@cache
def refusals() -> frozenset[str]:
    return _words("refusals.txt")


@cache
def food_words() -> frozenset[str]:
    return _words("food_words.txt")


@cache
def food_conditional() -> dict[str, float]:
    """Spoilage word -> weight it gives food safety when the account is about food."""
    return {lower_ascii(word): float(weight) for word, weight in _rows("food_conditional.tsv")}


@cache
def stopwords() -> frozenset[str]:
    return _words("stopwords.txt")


@cache
def reason_stopwords() -> frozenset[str]:
    """Words never shown as the reason for a theme: function words and verbs of speech."""
    return _words("reason_stopwords.txt")


@cache
def places() -> dict[str, str]:
    """Well-known place -> district."""
    return {lower_ascii(place): district for place, district in _rows("places.tsv")}


@cache
def other_cities() -> frozenset[str]:
    return _words("other_cities.txt")


@cache
def home_cues() -> tuple[str, ...]:
    """Words that mark a place as the user's home, longest first."""
    return tuple(sorted(_words("home_cues.txt"), key=len, reverse=True))


@cache
def product_nouns() -> frozenset[str]:
    """Complaint words that are also things bought ("保健品"): a product after 买了."""
    return _words("product_nouns.txt")


@cache
def store_fragments() -> frozenset[str]:
    return _words("store_fragments.txt")


@cache
def store_trades() -> tuple[str, ...]:
    """The trade words a service business's sign ends with, longest first."""
    return tuple(sorted(_words("store_trades.txt"), key=len, reverse=True))


@cache
def platforms() -> dict[str, str]:
    """Alias -> platform name as shown to the user."""
    return {lower_ascii(alias): name for alias, name in _rows("platforms.tsv")}


@cache
def channel_cues() -> dict[str, tuple[str, float]]:
    return {lower_ascii(word): (channel, float(weight)) for word, channel, weight in
            _rows("channel_cues.tsv")}


@cache
def demand_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, demand code), longest pattern text first so "退货退款" wins over "退款"."""
    rows = sorted(_rows("demand_patterns.tsv"), key=lambda row: -len(row[0]))
    return tuple((re.compile(pattern), code) for pattern, code in rows)


@cache
def demand_cues() -> tuple[str, ...]:
    return tuple(sorted(_words("demand_cues.txt"), key=len, reverse=True))


@cache
def contact_patterns() -> tuple[tuple[re.Pattern[str], bool], ...]:
    return tuple((re.compile(pattern), flag == "true") for pattern, flag in
                 _rows("contact_cues.tsv"))


@cache
def vocabulary() -> frozenset[str]:
    """Every word the analyzer looks for, so the segmenter can keep each one whole."""
    words: set[str] = set(theme_lexicon()) | set(scope_lexicon()) | set(places())
    words |= set(platforms()) | set(channel_cues()) | negations() | positives() | aspects()
    words |= food_words() | set(food_conditional())
    words |= {lower_ascii(row[0]) for row in _rows("domain_words.txt")}
    words |= set(DISTRICT_NAMES) | {name.removesuffix("区") for name in DISTRICT_NAMES}
    return frozenset(words)
