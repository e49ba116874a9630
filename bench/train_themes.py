"""Trains the theme classifier and exports it to flows/understanding/data/theme_model.json.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python bench/train_themes.py [--no-export] [--quiet]

Fits on the `train` and `dev` splits together and chooses everything by 5-fold
cross-validation over them; the frozen `test` split is never read here. Train and dev
texts identical to (or starting like) a test text are dropped, since the car complaints
hold reposted duplicates.

1. Features (flows/understanding/theme_model.py, shared with run time): sublinear TF-IDF of
   the jieba words and character n-grams, each group scaled to unit length, plus the domain
   word lists' per-theme evidence (log-compressed).
2. A multinomial logistic regression for each setting in a small grid; the best
   cross-validated top-1 (then top-2) wins. The train -> dev figure is printed beside it.
3. The exported vocabulary is cut to the KEPT_FEATURES most influential features and the
   model refitted on that vocabulary alone, so that the exported weights compute exactly
   what was validated (cutting without refitting changes every text's normalisation).
4. Calibration: a single temperature fitted on the out-of-fold probabilities of that whole
   procedure (minimum log-loss), so the probabilities mean what they say on unseen text.
5. One-tap threshold: the lowest probability at which the out-of-fold one-tap offers are at
   least 95 % right (and stay so for every higher threshold), on the dev rows and on all
   rows, whichever is higher, plus a small margin.
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
KEPT_FEATURES = 6000
FOLDS = 5
# Cross-validated on train + dev, a wider grid (C 1-30, balanced class weights, character
# 1-3-grams, word-list scale 2, a quality/after-sales share feature) stayed within about one
# point of these settings, i.e. within noise.
GRID = {
    "C": (3.0, 10.0),
    "class_weight": (None,),
    "lexicon_scale": (0.0, 1.0),
    "char_sizes": ((2,), (2, 3)),
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


def folds_for(y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds on themes with at least FOLDS texts; rarer ones are spread by the shuffle."""
    strata = np.array([label if np.sum(y == label) >= FOLDS else -1 for label in y])
    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=12315)
    return list(splitter.split(np.zeros(len(y)), strata))


def grid_logits(prepared: list[Prepared], y: np.ndarray, fit_index: np.ndarray, held_index: np.ndarray,
                settings: dict) -> np.ndarray:
    """Logits on the held texts of a model fitted on the others, with the full vocabulary."""
    fitted = [prepared[index] for index in fit_index]
    held = [prepared[index] for index in held_index]
    sizes, scale = settings["char_sizes"], settings["lexicon_scale"]
    idf = fit_idf([entry.counts[sizes] for entry in fitted])
    columns = columns_for(idf)
    model = fit(matrix(feature_rows(fitted, sizes, idf, scale), columns), y[fit_index],
                settings["C"], settings["class_weight"])
    return full_logits(model, matrix(feature_rows(held, sizes, idf, scale), columns))


def export_payload(prepared: list[Prepared], y: np.ndarray, settings: dict) -> dict:
    """The exported model fitted on these texts: cut to the most influential features, refitted."""
    sizes, scale = settings["char_sizes"], settings["lexicon_scale"]
    idf = fit_idf([entry.counts[sizes] for entry in prepared])
    columns = columns_for(idf)
    x = matrix(feature_rows(prepared, sizes, idf, scale), columns)
    model = fit(x, y, settings["C"], settings["class_weight"])
    names = {column: name for name, column in columns.items()}
    order = np.argsort(-influence(model, x))
    kept = {names[column] for column in order[:KEPT_FEATURES] if not names[column].startswith(theme_model.LEXICON)}
    kept_idf = {name: value for name, value in idf.items() if name in kept}
    kept_columns = columns_for(kept_idf)
    kept_model = fit(matrix(feature_rows(prepared, sizes, kept_idf, scale), kept_columns), y,
                     settings["C"], settings["class_weight"])
    return payload_for(kept_model, kept_columns, kept_idf, settings, 1.0, 1.0, set(kept_columns))


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


def cross_validated(prepared: list[Prepared], y: np.ndarray, settings: dict) -> np.ndarray:
    logits = np.zeros((len(prepared), len(THEMES)))
    for fit_index, held_index in folds_for(y):
        logits[held_index] = grid_logits(prepared, y, fit_index, held_index, settings)
    return logits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-export", action="store_true", help="print figures only")
    parser.add_argument("--quiet", action="store_true", help="only the chosen setting")
    args = parser.parse_args()

    everything = list(load_all())
    test_texts = {item.text for item in everything if item.split == "test"}
    items = without_test_duplicates(in_scope(everything, "train") + in_scope(everything, "dev"), test_texts)
    char_options = GRID["char_sizes"]
    prepared = [prepare(item, char_options) for item in items]
    y = labels(prepared)
    is_dev = np.array([entry.item.split == "dev" for entry in prepared])
    train_index, dev_index = np.where(~is_dev)[0], np.where(is_dev)[0]
    print(f"fitting on {len(prepared)} in-scope texts ({len(train_index)} train, {len(dev_index)} dev) "
          f"{dict(Counter(entry.item.theme for entry in prepared))}")

    results = []
    for c, class_weight, scale, sizes in itertools.product(*GRID.values()):
        settings = {"C": c, "class_weight": class_weight, "lexicon_scale": scale, "char_sizes": sizes}
        logits = cross_validated(prepared, y, settings)
        score = (top_k(logits, y, 1), top_k(logits, y, 2))
        results.append((score, settings))
        if not args.quiet:
            dev_logits = grid_logits(prepared, y, train_index, dev_index, settings)
            print(f"  {FOLDS}-fold CV top-1 {score[0]:.3f} top-2 {score[1]:.3f}   train->dev top-1 "
                  f"{top_k(dev_logits, y[dev_index], 1):.3f} top-2 {top_k(dev_logits, y[dev_index], 2):.3f}"
                  f"  {settings}", flush=True)
    (best_top1, best_top2), settings = max(results, key=lambda result: result[0])
    print(f"chosen: {settings}  CV top-1 {best_top1:.3f} top-2 {best_top2:.3f}")
    no_lexicon = max(score for score, other in results
                     if other["lexicon_scale"] == 0.0 and other["char_sizes"] == settings["char_sizes"])
    print(f"same features without the word lists: CV top-1 {no_lexicon[0]:.3f} top-2 {no_lexicon[1]:.3f}")

    # The exact export procedure, cross-validated: its out-of-fold probabilities calibrate it.
    out_of_fold = np.zeros((len(prepared), len(THEMES)))
    for fit_index, held_index in folds_for(y):
        payload = export_payload([prepared[index] for index in fit_index], y[fit_index], settings)
        out_of_fold[held_index] = runtime_probabilities(payload, [prepared[index] for index in held_index])
    log_probabilities = np.log(np.maximum(out_of_fold, 1e-12))
    temperature = fit_temperature(log_probabilities, y)
    calibrated = softmax(log_probabilities, temperature)
    for name, index in (("all", np.arange(len(y))), ("train rows", train_index), ("dev rows", dev_index)):
        print(f"exported procedure, out of fold, {name}: top-1 {top_k(calibrated[index], y[index], 1):.3f} "
              f"top-2 {top_k(calibrated[index], y[index], 2):.3f}")
    print(f"temperature {temperature:.3f} (out-of-fold log-loss)")
    threshold = max(one_tap_threshold(calibrated[dev_index], y[dev_index]), one_tap_threshold(calibrated, y))
    for name, index in (("all", np.arange(len(y))), ("dev rows", dev_index)):
        offered = calibrated[index].max(axis=1) >= threshold
        right = calibrated[index].argmax(axis=1) == y[index]
        print(f"one-tap threshold {threshold:.3f}, out of fold, {name}: share {offered.mean():.3f}, "
              f"precision {right[offered].mean() if offered.any() else float('nan'):.3f}")

    payload = export_payload(prepared, y, settings)
    payload["temperature"] = round(temperature, WEIGHT_DIGITS)
    payload["one_tap_probability"] = round(threshold, 3)
    if not args.no_export:
        theme_model.MODEL_FILE.write_text(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        size = theme_model.MODEL_FILE.stat().st_size / 1024
        print(f"wrote {theme_model.MODEL_FILE.relative_to(ROOT)} ({len(payload['features'])} features, {size:.0f} KB)")


if __name__ == "__main__":
    main()
