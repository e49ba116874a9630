"""A learned theme classifier, evaluated in plain Python from exported weights.

`bench/train_themes.py` fits a multinomial logistic regression (scikit-learn, offline) on
TF-IDF features of the account's words and character n-grams plus the domain word-list
scores, adds the word lists' evidence once more as a fixed prior on the logits (the lists
were written for every trade, the learned n-grams only know the trades they were fitted
on), calibrates it with a temperature, and exports everything to `data/theme_model.json`.
At run time this module only reads that file (once, on first use) and computes dot
products, so neither scikit-learn nor numpy is imported.

The feature extraction below is the single definition used by both training and run time,
so the two can never drift apart.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from flows.understanding import resources
from flows.understanding.segmenter import Token

MODEL_FILE = resources.DATA_DIR / "theme_model.json"
WORD = "w:"
CHARS = "c:"
LEXICON = "l:"


def _is_han_or_letter(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or char.isalpha()


def _runs(text: str) -> list[str]:
    """Maximal stretches of Chinese characters and letters; digits and punctuation split them."""
    runs, current = [], []
    for char in text:
        if _is_han_or_letter(char):
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def raw_counts(text: str, tokens: Sequence[Token], char_sizes: Sequence[int]) -> Counter[str]:
    """Counts of every word and character n-gram feature in a normalised account."""
    counts: Counter[str] = Counter()
    for token in tokens:
        if any(_is_han_or_letter(char) for char in token.word):
            counts[WORD + token.word] += 1
    for run in _runs(text):
        for size in char_sizes:
            for start in range(len(run) - size + 1):
                counts[CHARS + run[start:start + size]] += 1
    return counts


def lexicon_features(lexicon_scores: Mapping[str, float], scale: float) -> dict[str, float]:
    """The word lists' evidence per theme, compressed so one strong word does not dominate."""
    return {LEXICON + theme: scale * math.log1p(max(score, 0.0))
            for theme, score in lexicon_scores.items() if score > 0}


def weighted(counts: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear TF-IDF, each feature group (words, characters) scaled to unit length."""
    values: dict[str, float] = {}
    norms: dict[str, float] = {}
    for name, count in counts.items():
        weight = idf.get(name)
        if weight is None:
            continue
        value = (1.0 + math.log(count)) * weight
        values[name] = value
        group = name[:2]
        norms[group] = norms.get(group, 0.0) + value * value
    return {name: value / math.sqrt(norms[name[:2]]) for name, value in values.items()}


@dataclass(frozen=True)
class ThemeModel:
    """Exported weights: per feature its idf and one weight per theme."""

    themes: tuple[str, ...]
    bias: tuple[float, ...]
    temperature: float
    one_tap_probability: float
    lexicon_scale: float
    lexicon_prior: float
    char_sizes: tuple[int, ...]
    idf: dict[str, float]
    weights: dict[str, tuple[float, ...]]

    def features(self, text: str, tokens: Sequence[Token],
                 lexicon_scores: Mapping[str, float]) -> dict[str, float]:
        values = weighted(raw_counts(text, tokens, self.char_sizes), self.idf)
        values.update(lexicon_features(lexicon_scores, self.lexicon_scale))
        return values

    def logits(self, features: Mapping[str, float], lexicon_scores: Mapping[str, float]) -> list[float]:
        """Learned evidence plus the word lists' prior, one logit per theme."""
        totals = list(self.bias)
        if self.lexicon_prior:
            prior = lexicon_features(lexicon_scores, self.lexicon_prior)
            totals = [total + prior.get(LEXICON + theme, 0.0) for total, theme in zip(totals, self.themes, strict=True)]
        for name, value in features.items():
            row = self.weights.get(name)
            if row is None:
                continue
            for index, weight in enumerate(row):
                totals[index] += value * weight
        return totals

    def probabilities(self, features: Mapping[str, float], lexicon_scores: Mapping[str, float]) -> dict[str, float]:
        """Calibrated probability of each theme (softmax of the logits over the temperature)."""
        scaled = [logit / self.temperature for logit in self.logits(features, lexicon_scores)]
        top = max(scaled)
        exps = [math.exp(value - top) for value in scaled]
        total = sum(exps)
        return {theme: value / total for theme, value in zip(self.themes, exps, strict=True)}

    def word_pushes(self, features: Mapping[str, float]) -> dict[str, dict[str, float]]:
        """Per theme, the words of the account that point at it more than at any other theme,
        with how far each pushed it above the average theme."""
        pushes: dict[str, dict[str, float]] = {theme: {} for theme in self.themes}
        for name, value in features.items():
            if not name.startswith(WORD):
                continue
            row = self.weights.get(name)
            if row is None:
                continue
            strongest = max(range(len(row)), key=row.__getitem__)
            push = value * (row[strongest] - sum(row) / len(row))
            if push > 0:
                pushes[self.themes[strongest]][name[len(WORD):]] = push
        return pushes


def from_dict(data: Mapping) -> ThemeModel:
    themes = tuple(data["themes"])
    return ThemeModel(
        themes=themes,
        bias=tuple(data["bias"]),
        temperature=float(data["temperature"]),
        one_tap_probability=float(data["one_tap_probability"]),
        lexicon_scale=float(data["lexicon_scale"]),
        lexicon_prior=float(data.get("lexicon_prior", 0.0)),
        char_sizes=tuple(data["char_sizes"]),
        idf={name: float(entry[0]) for name, entry in data["features"].items() if entry[0]},
        weights={name: tuple(entry[1:]) for name, entry in data["features"].items()},
    )


@cache
def load() -> ThemeModel:
    """The shipped model, read once per process."""
    with MODEL_FILE.open(encoding="utf-8") as handle:
        return from_dict(json.load(handle))
