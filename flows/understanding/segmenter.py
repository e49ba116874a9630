"""Cuts an account into words with jieba, using a compact dictionary built for this domain.

jieba's own dictionary (350 000 words) costs about a second and ~90 MB to load in a fresh
process; the complaint vocabulary needs far less. `data/main_dict.txt` holds jieba's common
words plus every word the analyzer looks for (built by `bench/build_dictionary.py`), and is
read straight into a tokenizer, without jieba's on-disk cache, on first use.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from flows.understanding import resources

if TYPE_CHECKING:
    import jieba

_dictionary_choice = {"name": "compact"}


@dataclass(frozen=True)
class Token:
    """A word and where it sits in the (normalised) text."""

    word: str
    start: int
    end: int


def use_jieba_default_dictionary() -> None:
    """Switch to jieba's full dictionary plus our domain words (only for before/after benches)."""
    _dictionary_choice["name"] = "jieba-default"
    _tokenizer.cache_clear()


@cache
def _tokenizer() -> jieba.Tokenizer:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if _dictionary_choice["name"] == "jieba-default":
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in sorted(resources.vocabulary()):
            tokenizer.add_word(word, freq=max(tokenizer.FREQ.get(word, 0), 3000))
        return tokenizer
    tokenizer = jieba.Tokenizer(dictionary=str(resources.MAIN_DICTIONARY))
    with resources.MAIN_DICTIONARY.open("rb") as dictionary:
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(dictionary)
    tokenizer.initialized = True
    return tokenizer


def segment(text: str) -> list[Token]:
    """Words of `text` in order; no HMM guessing, since every word we match is in the dictionary."""
    return [Token(word, start, end) for word, start, end in
            _tokenizer().tokenize(text, HMM=False)]


def warm_up() -> None:
    """Load the dictionary now rather than on the first account."""
    _tokenizer()
