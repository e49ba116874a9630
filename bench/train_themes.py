"""Trains the theme classifier and exports it to flows/understanding/data/theme_model.json.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python bench/train_themes.py [--no-export] [--quiet]

Uses only the `train` split to fit and the `dev` split to choose settings and the one-tap
threshold; the frozen `test` split is never read here. Train texts identical to (or
starting like) a test text are dropped, since the car complaints hold reposted duplicates.

1. Features (flows/understanding/theme_model.py, shared with run time): sublinear TF-IDF of
   the jieba words and character n-grams, each group scaled to unit length, plus the domain
   word lists' per-theme evidence (log-compressed).
2. A multinomial logistic regression for each setting in a small grid; the best dev top-1
   (then top-2) wins.
3. Calibration: a single temperature fitted on 5-fold out-of-fold logits of the training
   texts (minimum log-loss), so the probabilities mean what they say on unseen text.
4. One-tap threshold: the lowest probability at which the dev texts offered as one tap are
   at least 95 % right (and stay so for every higher threshold), plus a small margin.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
# One thread: on a shared machine, BLAS threads fighting each other make each fit ~10x slower.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402
from labelled_data import LabelledText, load_all  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from flows.understanding import theme_model  # noqa: E402
from flows.understanding.segmenter import segment  # noqa: E402
from flows.understanding.text import normalise  # noqa: E402
from flows.understanding.themes import raw_theme_scores  # noqa: E402
from flows.vocabulary import THEMES  # noqa: E402

MIN_DOC_FREQUENCY = 2
TARGET_PRECISION = 0.95
THRESHOLD_MARGIN = 0.02
# Precision is only judged once this many dev texts would be offered (one early miss among
# the three surest texts says little about the precision of the rule).
MIN_OFFERED = 20
WEIGHT_DIGITS = 4
# Features kept in the export, the most influential first: loading the model must stay cheap.
KEPT_FEATURES = 4000
# Wider grids (C up to 30, balanced class weights, character 1-3-grams) never beat these on dev.
GRID = {
    "C": (3.0, 10.0),
    "class_weight": (None,),
    "lexicon_scale": (0.0, 1.0, 2.0),
    "char_sizes": ((2,),),
}


@dataclass
class Prepared:
    item: LabelledText
    counts: dict[tuple[int, ...], Counter[str]]
    lexicon: dict[str, float]


def prepare(item: LabelledText, char_options: tuple[tuple[int, ...], ...]) -> Prepared:
    lowered = normalise(item.text)
    tokens = segment(lowered)
    scores, _ = raw_theme_scores(tokens)
    counts = {sizes: theme_model.raw_counts(lowered, tokens, sizes) for sizes in char_options}
    return Prepared(item, counts, scores)


def fit_idf(docs: list[Counter[str]]) -> dict[str, float]:
    """Smoothed idf (as scikit-learn computes it) for features in at least two training texts."""
    frequency: Counter[str] = Counter()
    for doc in docs:
        frequency.update(doc.keys())
    total = len(docs)
    return {name: math.log((1 + total) / (1 + df)) + 1.0
            for name, df in frequency.items() if df >= MIN_DOC_FREQUENCY}


def matrix(rows: list[dict[str, float]], columns: dict[str, int]) -> csr_matrix:
    data, indices, pointers = [], [], [0]
    for row in rows:
        for name, value in row.items():
            column = columns.get(name)
            if column is not None:
                indices.append(column)
                data.append(value)
        pointers.append(len(indices))
    return csr_matrix((data, indices, pointers), shape=(len(rows), len(columns)))


def feature_rows(prepared: list[Prepared], sizes: tuple[int, ...], idf: dict[str, float],
                 scale: float) -> list[dict[str, float]]:
    rows = []
    for entry in prepared:
        row = theme_model.weighted(entry.counts[sizes], idf)
        row.update(theme_model.lexicon_features(entry.lexicon, scale))
        rows.append(row)
    return rows


def columns_for(idf: dict[str, float]) -> dict[str, int]:
    names = sorted(idf) + [theme_model.LEXICON + theme for theme in THEMES]
    return {name: index for index, name in enumerate(names)}


def labels(prepared: list[Prepared]) -> np.ndarray:
    return np.array([THEMES.index(entry.item.theme) for entry in prepared])


def fit(x: csr_matrix, y: np.ndarray, c: float, class_weight: str | None) -> LogisticRegression:
    model = LogisticRegression(C=c, class_weight=class_weight, max_iter=5000)
    model.fit(x, y)
    return model


def full_logits(model: LogisticRegression, x: csr_matrix) -> np.ndarray:
    """Logits over all seven themes, even when a theme is missing from a training fold."""
    logits = np.full((x.shape[0], len(THEMES)), -1e4)
    logits[:, model.classes_] = model.decision_function(x)
    return logits


def top_k(logits: np.ndarray, y: np.ndarray, k: int) -> float:
    ranked = np.argsort(-logits, axis=1)[:, :k]
    return float(np.mean([label in row for label, row in zip(y, ranked, strict=True)]))


def softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    scaled = logits / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exps = np.exp(scaled)
    return exps / exps.sum(axis=1, keepdims=True)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature with the lowest log-loss, searched on a fine logarithmic grid."""
    best, best_loss = 1.0, math.inf
    for temperature in np.exp(np.linspace(math.log(0.2), math.log(5.0), 400)):
        probabilities = softmax(logits, temperature)
        loss = -float(np.mean(np.log(probabilities[np.arange(len(y)), y] + 1e-12)))
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


def one_tap_threshold(probabilities: np.ndarray, y: np.ndarray) -> float:
    """Lowest threshold whose one-tap offers, and those of every higher one, reach the target."""
    top = probabilities.max(axis=1)
    right = probabilities.argmax(axis=1) == y
    chosen = 1.0
    for threshold in sorted(set(np.round(top, 3)), reverse=True):
        offered = top >= threshold
        if offered.sum() < MIN_OFFERED:
            continue
        if right[offered].mean() < TARGET_PRECISION:
            break
        chosen = float(threshold)
    return min(1.0, chosen + THRESHOLD_MARGIN)


def out_of_fold_logits(x: csr_matrix, y: np.ndarray, c: float, class_weight: str | None) -> np.ndarray:
    logits = np.zeros((x.shape[0], len(THEMES)))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=12315)
    # Stratify on themes with at least five texts; rarer ones are spread by the shuffle.
    strata = np.array([label if np.sum(y == label) >= 5 else -1 for label in y])
    for fit_index, held_index in folds.split(x, strata):
        model = fit(x[fit_index], y[fit_index], c, class_weight)
        logits[held_index] = full_logits(model, x[held_index])
    return logits


def influence(model: LogisticRegression, x: csr_matrix) -> np.ndarray:
    """Per feature: how far its weights spread the themes apart, times its mean value."""
    coefficients = model.coef_ - model.coef_.mean(axis=0, keepdims=True)
    mean_value = np.asarray(x.mean(axis=0)).ravel()
    return np.linalg.norm(coefficients, axis=0) * mean_value


def payload_for(model: LogisticRegression, columns: dict[str, int], idf: dict[str, float],
                settings: dict, temperature: float, threshold: float, kept: set[str]) -> dict:
    coefficients = np.zeros((len(THEMES), len(columns)))
    coefficients[model.classes_] = model.coef_
    bias = np.full(len(THEMES), -1e4)
    bias[model.classes_] = model.intercept_
    features = {}
    for name, column in columns.items():
        row = [round(float(value), WEIGHT_DIGITS) for value in coefficients[:, column]]
        if name in kept and any(row):
            features[name] = [round(idf.get(name, 0.0), WEIGHT_DIGITS), *row]
    return {
        "about": "Theme classifier exported by bench/train_themes.py; read by "
                 "flows/understanding/theme_model.py. Each feature: [idf, weight per theme].",
        "themes": list(THEMES),
        "bias": [round(float(value), WEIGHT_DIGITS) for value in bias],
        "temperature": round(temperature, WEIGHT_DIGITS),
        "one_tap_probability": round(threshold, 3),
        "lexicon_scale": settings["lexicon_scale"],
        "char_sizes": list(settings["char_sizes"]),
        "settings": {"C": settings["C"], "class_weight": settings["class_weight"]},
        "features": features,
    }


def runtime_probabilities(payload: dict, prepared: list[Prepared]) -> np.ndarray:
    """Theme probabilities of the exported weights, computed exactly as the analyzer does."""
    runtime = theme_model.from_dict(payload)
    rows = []
    for entry in prepared:
        features = theme_model.weighted(entry.counts[runtime.char_sizes], runtime.idf)
        features.update(theme_model.lexicon_features(entry.lexicon, runtime.lexicon_scale))
        probabilities = runtime.probabilities(features)
        rows.append([probabilities[theme] for theme in THEMES])
    return np.array(rows)


def in_scope(items: list[LabelledText], split: str) -> list[LabelledText]:
    return [item for item in items if item.split == split and item.out_of_scope is None]


def without_test_duplicates(train: list[LabelledText], test_texts: set[str]) -> list[LabelledText]:
    heads = {text[:30] for text in test_texts}
    return [item for item in train if item.text not in test_texts and item.text[:30] not in heads]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-export", action="store_true", help="print figures only")
    parser.add_argument("--quiet", action="store_true", help="only the chosen setting")
    args = parser.parse_args()

    everything = list(load_all())
    test_texts = {item.text for item in everything if item.split == "test"}
    train_items = without_test_duplicates(in_scope(everything, "train"), test_texts)
    dev_items = without_test_duplicates(in_scope(everything, "dev"), test_texts)
    char_options = GRID["char_sizes"]
    train = [prepare(item, char_options) for item in train_items]
    dev = [prepare(item, char_options) for item in dev_items]
    y_train, y_dev = labels(train), labels(dev)
    print(f"train: {len(train)} in-scope texts {dict(Counter(e.item.theme for e in train))}")
    print(f"dev:   {len(dev)} in-scope texts")

    results = []
    idf_by_sizes = {sizes: fit_idf([entry.counts[sizes] for entry in train]) for sizes in char_options}
    for c, class_weight, scale, sizes in itertools.product(*GRID.values()):
        idf = idf_by_sizes[sizes]
        columns = columns_for(idf)
        x_train = matrix(feature_rows(train, sizes, idf, scale), columns)
        x_dev = matrix(feature_rows(dev, sizes, idf, scale), columns)
        model = fit(x_train, y_train, c, class_weight)
        logits = full_logits(model, x_dev)
        score = (top_k(logits, y_dev, 1), top_k(logits, y_dev, 2))
        settings = {"C": c, "class_weight": class_weight, "lexicon_scale": scale, "char_sizes": sizes}
        results.append((score, settings))
        if not args.quiet:
            print(f"  dev top-1 {score[0]:.3f} top-2 {score[1]:.3f}  {settings}", flush=True)
    (best_top1, best_top2), settings = max(results, key=lambda result: result[0])
    print(f"chosen: {settings}  dev top-1 {best_top1:.3f} top-2 {best_top2:.3f}")
    no_lexicon = max(score for score, other in results
                     if other["lexicon_scale"] == 0.0 and other["char_sizes"] == settings["char_sizes"])
    print(f"same features without the word lists: dev top-1 {no_lexicon[0]:.3f} top-2 {no_lexicon[1]:.3f}")

    sizes, scale = settings["char_sizes"], settings["lexicon_scale"]
    idf = idf_by_sizes[sizes]
    columns = columns_for(idf)
    x_train = matrix(feature_rows(train, sizes, idf, scale), columns)
    x_dev = matrix(feature_rows(dev, sizes, idf, scale), columns)
    temperature = fit_temperature(out_of_fold_logits(x_train, y_train, settings["C"], settings["class_weight"]),
                                  y_train)
    model = fit(x_train, y_train, settings["C"], settings["class_weight"])
    print(f"temperature {temperature:.3f} (5-fold out-of-fold log-loss on train)")
    order = np.argsort(-influence(model, x_train))
    names = {column: name for name, column in columns.items()}
    kept = {names[column] for column in order[:KEPT_FEATURES]} | {
        name for name in columns if name.startswith(theme_model.LEXICON)}
    payload = payload_for(model, columns, idf, settings, temperature, 1.0, kept)
    dev_probabilities = runtime_probabilities(payload, dev)
    print(f"exported weights ({len(payload['features'])} features) as the analyzer computes them: "
          f"dev top-1 {top_k(np.log(dev_probabilities), y_dev, 1):.3f} "
          f"top-2 {top_k(np.log(dev_probabilities), y_dev, 2):.3f}")
    threshold = one_tap_threshold(dev_probabilities, y_dev)
    payload["one_tap_probability"] = round(threshold, 3)
    offered = dev_probabilities.max(axis=1) >= threshold
    right = dev_probabilities.argmax(axis=1) == y_dev
    print(f"one-tap threshold {threshold:.3f}: dev share {offered.mean():.3f}, "
          f"precision {right[offered].mean() if offered.any() else float('nan'):.3f}")
    if not args.no_export:
        theme_model.MODEL_FILE.write_text(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        size = theme_model.MODEL_FILE.stat().st_size / 1024
        print(f"wrote {theme_model.MODEL_FILE.relative_to(ROOT)} ({size:.0f} KB)")


if __name__ == "__main__":
    main()
