"""Other kinds of features and models for the theme classifier, each scored the way
bench/train_themes.py scores its settings (its grouped 5-fold cross-validation and
leave-one-source-out on the real train and dev rows; the test split is never read), so a
candidate can be compared with the shipped model before anything is exported. Development
figures: they come from the rows the model is fitted on.

    .venv/bin/pip install -e '.[train]'
    nice -n 19 .venv/bin/python bench/theme_variants.py VARIANT [VARIANT ...]
    nice -n 19 .venv/bin/python bench/theme_variants.py reference   # train_themes' own model

VARIANT names are the keys of VARIANTS below (base, nb_multi, nb_std_head1, tail1, balance,
split_plain, ens_geo, svm1, bigram, …; the _cut6000 ones first cut the vocabulary to the
6,000 features an export keeps). FOLD_SEED=n re-draws the folds (default 12315, as
train_themes.py). The e5_* variants use a pretrained sentence encoder's vectors of the texts
(bench/embed_texts.py writes them): e5_only_c* a logistic regression on them alone,
e5_extra_s* the vectors as columns beside the shipped features; fuse_<variant> averages the
shipped model's and that variant's log-probabilities at several weights.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402
import train_themes as tt  # noqa: E402
from scipy.sparse import csr_matrix, diags, hstack  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from flows.understanding import theme_model  # noqa: E402
from flows.understanding.segmenter import segment  # noqa: E402
from flows.understanding.text import normalise  # noqa: E402
from flows.understanding.themes import raw_theme_scores  # noqa: E402
from flows.vocabulary import THEMES  # noqa: E402

SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
HANDLING = ("经销商", "4s", "4s店", "店里", "店方", "厂家", "厂方", "厂商", "客服", "售后", "维修", "保修", "索赔",
            "拒绝", "推脱", "推诿", "不予", "不给", "答复", "回复", "处理", "协商", "三包", "退车", "换车", "退换",
            "至今", "一直", "拖", "等待", "没有结果", "没结果", "不管", "不理", "沟通", "联系", "要求", "承诺")
DEFECT = ("异响", "漏油", "渗油", "漏水", "故障", "抖动", "熄火", "坏", "裂", "生锈", "响", "异味", "亮", "断",
          "变形", "脱落", "失灵", "噪音", "烧机油", "机油", "油耗", "顿挫", "发动机", "变速箱", "刹车", "启动",
          "水温", "冒烟", "掉漆", "起泡", "质量", "缺陷", "问题")


@dataclass
class Entry:
    base: tt.Prepared
    extra: dict[str, Counter] = field(default_factory=dict)
    dense: dict[str, dict[str, float]] = field(default_factory=dict)


def sentences_of(lowered: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(lowered):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(lowered):
        spans.append((start, len(lowered)))
    return [span for span in spans if lowered[span[0]:span[1]].strip()] or [(0, len(lowered))]


def prefixed(counter: Counter, prefix: str) -> Counter:
    return Counter({prefix + name: value for name, value in counter.items()})


def enrich(entry: tt.Prepared) -> Entry:
    lowered = normalise(entry.item.text)
    tokens = segment(lowered)
    spans = sentences_of(lowered)
    out = Entry(entry)

    def part(first: int, last: int, prefix: str, sizes: tuple[int, ...]) -> Counter:
        start, end = spans[first][0], spans[last][1]
        inside = [token for token in tokens if token.start >= start and token.end <= end]
        return prefixed(theme_model.raw_counts(lowered[start:end], inside, sizes), prefix)

    n = len(spans)
    out.extra["tail1"] = part(n - 1, n - 1, "e:", (2, 3))
    out.extra["tail2"] = part(max(0, n - 2), n - 1, "e:", (2, 3))
    out.extra["head1"] = part(0, 0, "b:", (2, 3))
    # word bigrams
    words = [token.word for token in tokens if any(theme_model._is_han_or_letter(c) for c in token.word)]
    out.extra["bigram"] = Counter("v:" + a + "_" + b for a, b in itertools.pairwise(words))
    # handling vs defect, per sentence
    handling = defect = lex_after = lex_quality = 0
    for start, end in spans:
        inside = [token for token in tokens if token.start >= start and token.end <= end]
        text = lowered[start:end]
        h = any(cue in text for cue in HANDLING)
        d = any(cue in text for cue in DEFECT)
        handling += h
        defect += d
        scores, _ = raw_theme_scores(inside)
        lex_after += scores.get("after_sales", 0.0) > 0
        lex_quality += scores.get("quality", 0.0) > 0
    tail = lowered[spans[max(0, n - 2)][0]:]
    out.dense["balance"] = {
        "d:handling_share": handling / n, "d:defect_share": defect / n,
        "d:lex_after_share": lex_after / n, "d:lex_quality_share": lex_quality / n,
        "d:handling_log": math.log1p(handling), "d:defect_log": math.log1p(defect),
        "d:lex_after_log": math.log1p(lex_after), "d:lex_quality_log": math.log1p(lex_quality),
        "d:tail_handling": float(any(cue in tail for cue in HANDLING)),
        "d:tail_defect": float(any(cue in tail for cue in DEFECT)),
    }
    return out


def build_plan() -> tuple[tt.Plan, list[Entry], dict]:
    everything = list(tt.load_all())
    test_texts = {item.text for item in everything if item.split == "test"}
    items = tt.without_test_duplicates(tt.in_scope(everything, "train") + tt.in_scope(everything, "dev"), test_texts)
    del everything, test_texts  # the test split is used only to drop its duplicates, as train_themes does
    prepared = [tt.prepare(item, ((1, 2, 3), (2, 3), (1, 2, 3, 4), (2, 3, 4))) for item in items]
    y = tt.labels(prepared)
    real = np.array([entry.item.source != tt.WRITTEN for entry in prepared])
    groups = tt.duplicate_groups(prepared)
    seed = int(os.environ.get("FOLD_SEED", "12315"))
    strata = np.array([label if np.sum(y == label) >= tt.FOLDS else -1 for label in y])
    folds = list(tt.StratifiedGroupKFold(n_splits=tt.FOLDS, shuffle=True, random_state=seed).split(
        np.zeros(len(y)), strata, groups))
    plan = tt.Plan(prepared, y, real, tt.prior_matrix(prepared), folds,
                   tt.held_out_sources(prepared))
    return plan, [enrich(entry) for entry in prepared], tt.shipped_settings()


@dataclass
class Variant:
    sizes: tuple[int, ...] = (1, 2, 3)
    keep_words: bool = True
    keep_chars: bool = True
    extras: tuple[str, ...] = ()
    dense: tuple[str, ...] = ()
    dense_scale: float = 1.0
    nb: str = ""  # "", "multi", "ovr"
    nb_power: float = 1.0
    nb_alpha: float = 1.0
    nb_spread: str = "max"  # or "std"
    sublinear: bool = True
    min_df: int = 2
    c_factor: float = 1.0
    mnb: bool = False  # return LR logits and multinomial-NB logits side by side (14 columns)
    split_qa: tuple[str, ...] | None = None  # dense groups of a binary quality/after_sales splitter
    split_c: float = 1.0
    kept: int = 0  # >0: the export procedure (cut to the most influential features, refitted)
    svm: float = 0.0  # >0: LinearSVC (one-vs-rest squared hinge) with this C instead of the LR
    adapt: float = 0.0  # >0: per-source copies of every feature (scaled so), only the shared ones used to predict
    emb: str = ""  # "only": LR on e5 embeddings alone; "extra": embeddings as dense columns beside the shipped ones
    emb_c: float = 1.0  # C of the embeddings-only LR
    emb_scale: float = 1.0  # scale of the (fit-mean-centred, re-normalised) embedding columns for "extra"


# Sentence vectors of the train and dev texts, written by bench/embed_texts.py.
EMBEDDINGS = tt.ROOT / "build" / "theme_embeddings.npz"
_EMB: dict = {}


def embeddings(entries: list[Entry]) -> np.ndarray:
    """The cached e5 vectors (query: prefix) of the entries' texts, in entry order (train+dev rows only)."""
    if "matrix" not in _EMB:
        import hashlib
        if not EMBEDDINGS.exists():
            sys.exit(f"{EMBEDDINGS} is missing: run bench/embed_texts.py first")
        cache = np.load(EMBEDDINGS)
        by_key = {key: index for index, key in enumerate(cache["keys"].tolist())}
        rows = [by_key[hashlib.sha1(entry.base.item.text.encode("utf-8")).hexdigest()] for entry in entries]
        _EMB["matrix"] = cache["emb"][rows].astype(np.float64)
    return _EMB["matrix"]


def counts_of(entry: Entry, variant: Variant) -> Counter:
    counts = Counter()
    for name, value in entry.base.counts[variant.sizes].items():
        if (name.startswith(theme_model.WORD) and variant.keep_words) or (
                name.startswith(theme_model.CHARS) and variant.keep_chars):
            counts[name] = value
    for extra in variant.extras:
        counts.update(entry.extra[extra])
    return counts


def weighted(counts: Counter, idf: dict, sublinear: bool) -> dict[str, float]:
    if sublinear:
        return theme_model.weighted(counts, idf)
    values, norms = {}, {}
    for name, count in counts.items():
        weight = idf.get(name)
        if weight is None:
            continue
        values[name] = count * weight
        norms[name[:2]] = norms.get(name[:2], 0.0) + values[name] ** 2
    return {name: value / math.sqrt(norms[name[:2]]) for name, value in values.items()}


def rows_for(entries: list[Entry], variant: Variant, idf: dict, scale: float) -> list[dict[str, float]]:
    rows = []
    for entry in entries:
        row = weighted(counts_of(entry, variant), idf, variant.sublinear)
        row.update(theme_model.lexicon_features(entry.base.lexicon, scale))
        for dense in variant.dense:
            row.update({name: variant.dense_scale * value for name, value in entry.dense[dense].items()})
        rows.append(row)
    return rows


def fit_idf(docs: list[Counter], min_df: int) -> dict[str, float]:
    frequency = Counter()
    for doc in docs:
        frequency.update(doc.keys())
    total = len(docs)
    return {name: math.log((1 + total) / (1 + df)) + 1.0 for name, df in frequency.items() if df >= min_df}


def columns_for(idf: dict, entries: list[Entry], variant: Variant) -> dict[str, int]:
    names = sorted(idf) + [theme_model.LEXICON + theme for theme in THEMES]
    for dense in variant.dense:
        names += sorted(entries[0].dense[dense])
    return {name: index for index, name in enumerate(names)}


def nb_ratios(x: csr_matrix, y: np.ndarray, sparse_columns: int, alpha: float = 1.0) -> np.ndarray:
    """Per class (rows) and feature: log-count ratio of the class against the rest (binarised)."""
    binary = (x[:, :sparse_columns] > 0).astype(float).tocsr()
    ratios = np.zeros((len(THEMES), x.shape[1]))
    for label in range(len(THEMES)):
        inside = y == label
        if not inside.any():
            continue
        p = np.asarray(binary[inside].sum(axis=0)).ravel() + alpha
        q = np.asarray(binary[~inside].sum(axis=0)).ravel() + alpha
        ratios[label, :sparse_columns] = np.log(p / p.sum()) - np.log(q / q.sum())
    return ratios


def make_logits(plan: tt.Plan, entries: list[Entry], settings: dict, variant: Variant):
    c = settings["C"] * variant.c_factor
    inner = _make_logits(plan, entries, settings, variant, c)
    if not variant.kept:
        return inner

    def cut_logits(fit_index: np.ndarray, held_index: np.ndarray) -> np.ndarray:
        fitted = [entries[index] for index in fit_index]
        idf = fit_idf([counts_of(entry, variant) for entry in fitted], variant.min_df)
        columns = columns_for(idf, entries, variant)
        y = plan.y[fit_index]
        weights = tt.row_weights([entry.base for entry in fitted], y, settings["class_power"], settings["source_power"])
        x = tt.matrix(rows_for(fitted, variant, idf, settings["lexicon_scale"]), columns)
        scale = np.ones(x.shape[1])
        if variant.nb == "multi":
            ratios = nb_ratios(x, y, len(idf), variant.nb_alpha)
            spread = (np.abs(ratios).max(axis=0) if variant.nb_spread == "max" else ratios[np.unique(y)].std(axis=0))
            scale = spread ** variant.nb_power
            scale[len(idf):] = 1.0
        model = tt.fit((x @ diags(scale)).tocsr(), y, c, weights)
        effective = model.coef_ * scale
        centred = effective - effective.mean(axis=0, keepdims=True)
        influence = np.linalg.norm(centred, axis=0) * np.asarray(x.mean(axis=0)).ravel()
        names = {column: name for name, column in columns.items()}
        kept = {names[column] for column in np.argsort(-influence)[:variant.kept] if column < len(idf)}
        kept_idf = {name: value for name, value in idf.items() if name in kept}
        return inner(fit_index, held_index, kept_idf)
    return cut_logits


def _make_logits(plan: tt.Plan, entries: list[Entry], settings: dict, variant: Variant, c: float):
    emb = embeddings(entries) if variant.emb else None

    def logits_for(fit_index: np.ndarray, held_index: np.ndarray, idf: dict | None = None) -> np.ndarray:
        fitted = [entries[index] for index in fit_index]
        held = [entries[index] for index in held_index]
        y = plan.y[fit_index]
        if variant.emb == "only":
            weights = tt.row_weights([entry.base for entry in fitted], y, settings["class_power"],
                                     settings["source_power"])
            mean, spread = emb[fit_index].mean(axis=0), emb[fit_index].std(axis=0) + 1e-9
            model = tt.fit((emb[fit_index] - mean) / spread, y, variant.emb_c, weights)
            return tt.full_logits(model, (emb[held_index] - mean) / spread)
        if idf is None:
            idf = fit_idf([counts_of(entry, variant) for entry in fitted], variant.min_df)
        columns = columns_for(idf, entries, variant)
        weights = tt.row_weights([entry.base for entry in fitted], y, settings["class_power"],
                                 settings["source_power"])
        x = tt.matrix(rows_for(fitted, variant, idf, settings["lexicon_scale"]), columns)
        x_held = tt.matrix(rows_for(held, variant, idf, settings["lexicon_scale"]), columns)
        if variant.mnb:
            lr = tt.full_logits(tt.fit(x, y, c, weights), x_held)
            sparse = len(idf)
            nb = np.full((len(held_index), len(THEMES)), -1e4)
            for label in np.unique(y):
                inside = y == label
                totals = np.asarray(x[inside][:, :sparse].T @ weights[inside]).ravel() + 0.1
                log_theta = np.log(totals / totals.sum())
                nb[:, label] = x_held[:, :sparse] @ log_theta + math.log(weights[inside].sum() / weights.sum())
            return np.hstack([lr, nb])
        if variant.split_qa is not None:
            lr = tt.full_logits(tt.fit(x, y, c, weights), x_held)
            q, a = THEMES.index("quality"), THEMES.index("after_sales")
            pair = (y == q) | (y == a)
            split_variant = Variant(dense=variant.split_qa)
            split_columns = columns_for(idf, entries, split_variant)
            xs = tt.matrix(rows_for([fitted[i] for i in np.where(pair)[0]], split_variant, idf,
                                    settings["lexicon_scale"]), split_columns)
            ys = (y[pair] == q).astype(int)
            ws = tt.row_weights([fitted[i].base for i in np.where(pair)[0]], ys, settings["class_power"],
                                settings["source_power"])
            model = LogisticRegression(C=c * variant.split_c, max_iter=5000).fit(xs, ys, sample_weight=ws)
            b = model.decision_function(tt.matrix(rows_for(held, split_variant, idf, settings["lexicon_scale"]),
                                                  split_columns))
            m = np.logaddexp(lr[:, q], lr[:, a])
            lr[:, q] = m - np.logaddexp(0, -b)
            lr[:, a] = m - np.logaddexp(0, b)
            return lr
        if variant.svm:
            from sklearn.svm import LinearSVC
            model = LinearSVC(C=variant.svm, max_iter=20000).fit(x, y, sample_weight=weights)
            logits = np.full((len(held_index), len(THEMES)), -1e4)
            logits[:, model.classes_] = model.decision_function(x_held)
            return logits
        if variant.adapt:
            sources = sorted({entry.base.item.source for entry in fitted})
            blocks = [x]
            for source in sources:
                mask = np.array([entry.base.item.source == source for entry in fitted], dtype=float)
                blocks.append(diags(mask * variant.adapt) @ x)
            model = tt.fit(hstack(blocks).tocsr(), y, c, weights)
            width = x.shape[1]
            logits = np.full((len(held_index), len(THEMES)), -1e4)
            logits[:, model.classes_] = x_held @ model.coef_[:, :width].T + model.intercept_
            return logits
        if variant.emb == "extra":
            mean = emb[fit_index].mean(axis=0)

            def block(index: np.ndarray) -> csr_matrix:
                centred = emb[index] - mean
                return csr_matrix(variant.emb_scale * centred / np.linalg.norm(centred, axis=1, keepdims=True))
            x, x_held = hstack([x, block(fit_index)]).tocsr(), hstack([x_held, block(held_index)]).tocsr()
        if not variant.nb:
            return tt.full_logits(tt.fit(x, y, c, weights), x_held)
        ratios = nb_ratios(x, y, len(idf), variant.nb_alpha)
        if variant.nb == "multi":
            # one scale per feature: how far the classes' log-count ratios spread
            spread = (np.abs(ratios).max(axis=0) if variant.nb_spread == "max"
                      else ratios[np.unique(y)].std(axis=0))
            scale = spread ** variant.nb_power
            scale[len(idf):] = 1.0
            d = diags(scale)
            return tt.full_logits(tt.fit((x @ d).tocsr(), y, c, weights), (x_held @ d).tocsr())
        logits = np.full((len(held_index), len(THEMES)), -1e4)
        for label in np.unique(y):
            scale = np.abs(ratios[label]) ** variant.nb_power * np.sign(ratios[label])
            scale[len(idf):] = 1.0
            d = diags(scale)
            model = LogisticRegression(C=c, max_iter=5000)
            model.fit((x @ d).tocsr(), (y == label).astype(int), sample_weight=weights)
            logits[:, label] = model.decision_function((x_held @ d).tocsr())
        return logits
    return logits_for


def collect(plan: tt.Plan, logits_for, width: int = len(THEMES)) -> tuple[np.ndarray, dict]:
    out_of_fold = np.zeros((len(plan.y), width))
    for fit_index, held_index in plan.folds:
        out_of_fold[held_index] = logits_for(fit_index, held_index)
    by_source = {source: (held, logits_for(fitted, held))
                 for source in plan.sources for fitted, held in [plan.source_split(source)]}
    return out_of_fold, by_source


def score_of(plan: tt.Plan, out_of_fold: np.ndarray, by_source: dict, prior: float) -> tt.Score:
    cv = out_of_fold + prior * plan.prior
    held_out = {}
    for source, (held, logits) in by_source.items():
        shifted = logits + prior * plan.prior[held]
        held_out[source] = (tt.top_k(shifted, plan.y[held], 1), tt.top_k(shifted, plan.y[held], 2))
    return tt.Score((tt.top_k(cv[plan.real], plan.y[plan.real], 1), tt.top_k(cv[plan.real], plan.y[plan.real], 2)),
                    held_out)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def qa_confusion(plan: tt.Plan, out_of_fold: np.ndarray, prior: float) -> str:
    cv = out_of_fold + prior * plan.prior
    guess = cv.argmax(axis=1)
    q, a = THEMES.index("quality"), THEMES.index("after_sales")
    real = plan.real
    return (f"q->a {int(np.sum(real & (plan.y == q) & (guess == a)))} "
            f"a->q {int(np.sum(real & (plan.y == a) & (guess == q)))}")


VARIANTS = {
    "base": Variant(),
    "nb_multi": Variant(nb="multi"),
    "nb_multi_half": Variant(nb="multi", nb_power=0.5),
    "nb_ovr": Variant(nb="ovr"),
    "nb_ovr_half": Variant(nb="ovr", nb_power=0.5),
    "tail1": Variant(extras=("tail1",)),
    "tail2": Variant(extras=("tail2",)),
    "tail2_head1": Variant(extras=("tail2", "head1")),
    "head1": Variant(extras=("head1",)),
    "balance": Variant(dense=("balance",)),
    "balance_x3": Variant(dense=("balance",), dense_scale=3.0),
    "bigram": Variant(extras=("bigram",)),
    "mindf1": Variant(min_df=1),
    "mindf3": Variant(min_df=3),
    "linear_tf": Variant(sublinear=False),
    "words_only": Variant(keep_chars=False),
    "chars_only": Variant(keep_words=False),
    "nb_multi_c3": Variant(nb="multi", c_factor=0.3),
    "nb_multi_c01": Variant(nb="multi", c_factor=0.1),
    "nb_multi_cx3": Variant(nb="multi", c_factor=3.0),
    "mnb": Variant(mnb=True),
    "split_plain": Variant(split_qa=()),
    "split_balance": Variant(split_qa=("balance",)),
    "c_x3": Variant(c_factor=3.0),
    "chars1234": Variant(sizes=(1, 2, 3, 4)),
    "svm01": Variant(svm=0.1),
    "svm03": Variant(svm=0.3),
    "svm1": Variant(svm=1.0),
    "base_cut6000": Variant(kept=6000),
    "nb_std_head1_cut6000": Variant(nb="multi", nb_spread="std", extras=("head1",), kept=6000),
    "nb_std_cut6000": Variant(nb="multi", nb_spread="std", kept=6000),
    "nb_multi_head1_c3": Variant(nb="multi", extras=("head1",), c_factor=0.3),
    "nb_std": Variant(nb="multi", nb_spread="std"),
    "nb_alpha05": Variant(nb="multi", nb_alpha=0.5),
    "nb_alpha2": Variant(nb="multi", nb_alpha=2.0),
    "nb_std_head1": Variant(nb="multi", nb_spread="std", extras=("head1",)),
    "chars234": Variant(sizes=(2, 3, 4)),
    "nb_multi_head1": Variant(nb="multi", extras=("head1",)),
    "nb_multi_1234": Variant(nb="multi", sizes=(1, 2, 3, 4)),
    "adapt1": Variant(adapt=1.0),
    "adapt05": Variant(adapt=0.5),
    "adapt2": Variant(adapt=2.0),
    "adapt1_nb": Variant(adapt=1.0, nb="multi"),
    "c_x03": Variant(c_factor=0.3),
    **{f"e5_only_c{c:g}": Variant(emb="only", emb_c=c) for c in (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)},
    **{f"e5_extra_s{s:g}": Variant(emb="extra", emb_scale=s) for s in (0.5, 0.7, 1.0, 1.4, 2.0, 4.0, 8.0)},
    "e5_extra_s1_cut6000": Variant(emb="extra", emb_scale=1.0, kept=6000),
    "e5_extra_s1_c_x03": Variant(emb="extra", emb_scale=1.0, c_factor=0.3),
    "e5_extra_s1_c_x3": Variant(emb="extra", emb_scale=1.0, c_factor=3.0),
}


def main() -> None:
    names = sys.argv[1:]
    started = time.time()
    plan, entries, settings = build_plan()
    prior = settings["prior"]
    print(f"settings {settings}; {len(plan.y)} rows, {int(plan.real.sum())} real; prepared in "
          f"{time.time() - started:.0f} s", flush=True)
    cache = {}
    for name in names:
        started = time.time()
        if name.startswith("ens_"):
            # ens_geo / ens_arith: words-only LR and chars-only LR combined
            parts = [cache.get(part) or collect(plan, make_logits(plan, entries, settings, VARIANTS[part]))
                     for part in ("words_only", "chars_only")]
            combine = (lambda a, b: (log_softmax(a) + log_softmax(b)) / 2) if name == "ens_geo" else (
                lambda a, b: np.log((np.exp(log_softmax(a)) + np.exp(log_softmax(b))) / 2))
            oof = combine(parts[0][0], parts[1][0])
            by_source = {source: (parts[0][1][source][0], combine(parts[0][1][source][1], parts[1][1][source][1]))
                         for source in parts[0][1]}
        elif name.startswith("fuse_"):
            # fuse_<embedding variant>: log-softmax average of base's and the embedding model's logits
            parts = [cache.get(part) or collect(plan, make_logits(plan, entries, settings, VARIANTS[part]))
                     for part in ("base", name[len("fuse_"):])]
            cache["base"] = parts[0]
            for weight in (0.2, 0.3, 0.4, 0.5, 0.6):
                def combine(a, b, w=weight):
                    return (1 - w) * log_softmax(a) + w * log_softmax(b)
                oof = combine(parts[0][0], parts[1][0])
                by_source = {source: (parts[0][1][source][0], combine(parts[0][1][source][1], parts[1][1][source][1]))
                             for source in parts[0][1]}
                scores = {p: score_of(plan, oof, by_source, p) for p in tt.PRIORS}
                best_prior, best = max(scores.items(), key=lambda pair: pair[1].criterion)
                print(f"{name} w={weight:<4} prior {prior}: {scores[prior].describe()}  "
                      f"[{qa_confusion(plan, oof, prior)}]  | best prior {best_prior}: {best.criterion:.4f}  "
                      f"({time.time() - started:.0f} s)", flush=True)
            continue
        elif name == "offset":
            oof, by_source = cache.get("base") or collect(plan, make_logits(plan, entries, settings, VARIANTS["base"]))
            a = THEMES.index("after_sales")
            for delta in (-0.5, -0.25, 0.25, 0.5, 0.75, 1.0):
                shift = np.zeros(len(THEMES))
                shift[a] = delta
                scored = score_of(plan, oof + shift, {k: (h, lg + shift) for k, (h, lg) in by_source.items()}, prior)
                print(f"offset after_sales {delta:+.2f} prior {prior}: {scored.describe()}  "
                      f"[{qa_confusion(plan, oof + shift, prior)}]", flush=True)
            continue
        elif name == "mnb":
            oof2, by2 = collect(plan, make_logits(plan, entries, settings, VARIANTS[name]), 2 * len(THEMES))
            k = len(THEMES)
            for weight in (0.0, 0.05, 0.1, 0.2, 0.5, 1.0):
                oof = oof2[:, :k] + weight * log_softmax(oof2[:, k:])
                by_source = {src: (held, lg[:, :k] + weight * log_softmax(lg[:, k:]))
                             for src, (held, lg) in by2.items()}
                scores = {p: score_of(plan, oof, by_source, p) for p in tt.PRIORS}
                best_prior, best = max(scores.items(), key=lambda pair: pair[1].criterion)
                print(f"mnb w={weight:<5} prior {prior}: {scores[prior].describe()}  [{qa_confusion(plan, oof, prior)}]"
                      f"  | best prior {best_prior}: {best.criterion:.3f}", flush=True)
            oof = oof2[:, k:]
            by_source = {src: (held, lg[:, k:]) for src, (held, lg) in by2.items()}
            name = "mnb alone"
        else:
            oof, by_source = collect(plan, make_logits(plan, entries, settings, VARIANTS[name]))
            cache[name] = (oof, by_source)
        scores = {p: score_of(plan, oof, by_source, p) for p in tt.PRIORS}
        best_prior, best = max(scores.items(), key=lambda pair: pair[1].criterion)
        print(f"{name:<14} prior {prior}: {scores[prior].describe()}  [{qa_confusion(plan, oof, prior)}]"
              f"  | best prior {best_prior}: {best.criterion:.4f} (at shipped "
              f"{scores[prior].criterion:.4f})  ({time.time() - started:.0f} s)", flush=True)


def reference() -> None:
    """train_themes.py's own scoring of the shipped settings (full vocabulary and the export cut)."""
    plan, _, settings = build_plan()
    prior = settings["prior"]
    print("train_themes model_logits:", plan.score(tt.model_logits(plan, settings), (prior,))[prior].describe())
    print("train_themes export_logits (6000):", plan.score(tt.export_logits(plan, {**settings, "kept_features": 6000}),
                                                          (prior,))[prior].describe(), flush=True)


if __name__ == "__main__":
    reference() if sys.argv[1:] == ["reference"] else main()
