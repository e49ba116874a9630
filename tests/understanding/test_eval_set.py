"""The labelled texts are well formed and complete, and the analyzer stays above a floor.

Real texts are read from ../shared/data/ (see tests/data/EVAL_README.md); when that folder is
missing these tests fail with the loader's message rather than being skipped.
"""

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from flows.insight import FACT_KEYS
from flows.understanding import analyze
from flows.vocabulary import DEMANDS, OUT_OF_SCOPE_TOPICS, THEMES

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import labelled_data  # noqa: E402


@pytest.fixture(scope="module")
def items() -> tuple[labelled_data.LabelledText, ...]:
    return labelled_data.load_all()


def test_labels_are_well_formed_and_cover_enough_real_text(items):
    real = [item for item in items if item.source != "written"]
    assert len(real) >= 1500
    assert {item.source for item in real} == set(labelled_data.SOURCES)
    assert len({(item.source, item.row) for item in real}) == len(real)
    for item in items:
        assert item.text.strip()
        assert item.split in labelled_data.SPLITS
        assert item.theme in THEMES
        assert item.out_of_scope is None or item.out_of_scope in OUT_OF_SCOPE_TOPICS
        assert set(item.facts) <= set(FACT_KEYS)
        for code in item.facts.get("demands") or []:
            assert code in DEMANDS
    test = [item for item in real if item.split == "test"]
    assert len(test) >= 300
    assert {item.source for item in test} == set(labelled_data.SOURCES)


def test_written_training_texts_are_well_formed_and_reach_training():
    """Training-only written texts: labelled by the guide, every theme and body present, train only."""
    written = labelled_data.load_written_train()
    assert len(written) >= 700
    texts = [item.text for item in written]
    assert len(set(texts)) == len(texts)
    for item in written:
        assert (item.source, item.split, item.row, item.facts) == ("written", "train", None, {})
        assert 15 <= len(item.text) <= 400
        assert item.theme in THEMES
        assert item.out_of_scope is None or item.out_of_scope in OUT_OF_SCOPE_TOPICS
        assert item.trade and item.trade.isascii() and item.trade == item.trade.lower()
    assert {item.theme for item in written if item.out_of_scope is None} == set(THEMES)
    assert {item.out_of_scope for item in written if item.out_of_scope} == set(OUT_OF_SCOPE_TOPICS)
    loaded = [item for item in labelled_data.load_all() if item.trade is not None]
    assert loaded == written


def test_written_training_texts_repeat_no_evaluation_text(items):
    """No training-only text equals, or starts like, a text of the old set or of the test split."""
    training_only = {item.text for item in labelled_data.load_written_train()}
    others = [json.loads(line).get("text") for line in
              labelled_data.EVAL_SET.read_text(encoding="utf-8").splitlines()]
    others += [item.text for item in items if item.split == "test"]
    heads = {text[:30] for text in others if text}
    assert not any(text in others or text[:30] in heads for text in training_only)


def test_no_third_party_text_is_stored_in_the_repository():
    """Only written texts carry their text; real ones are references (source, row)."""
    for line in labelled_data.EVAL_SET.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        assert ("text" in item) == (item["source"] == "written")


def test_missing_shared_data_fails_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("SHARED_DATA_DIR", str(tmp_path))
    labelled_data._source_rows.cache_clear()
    labelled_data.load_all.cache_clear()
    try:
        with pytest.raises(labelled_data.SharedDataMissing, match=r"\.\./shared/data"):
            labelled_data.load_all()
    finally:
        labelled_data._source_rows.cache_clear()
        labelled_data.load_all.cache_clear()


def test_quality_floor_on_dev_and_few_false_alarms(items):
    """Floors well under the measured figures (bench/evaluate.py), to catch regressions."""
    dev = [item for item in items if item.split == "dev" and item.out_of_scope is None]
    ranked = [[score.theme for score in analyze(item.text, item.today).themes] for item in dev]
    top1 = sum(ranking[0] == item.theme for ranking, item in zip(ranked, dev, strict=True))
    top2 = sum(item.theme in ranking[:2] for ranking, item in zip(ranked, dev, strict=True))
    assert top1 / len(dev) >= 0.75
    assert top2 / len(dev) >= 0.90
    ordinary = [item for item in items if item.split != "test" and item.out_of_scope is None]
    alarms = Counter(analyze(item.text, item.today).out_of_scope is not None for item in ordinary)
    assert alarms[True] / len(ordinary) <= 0.01


def test_out_of_scope_recall_on_written_cases(items):
    """The reference cases only: the training-only written cases are material to learn from."""
    training_only = {item.text for item in labelled_data.load_written_train()}
    cases = [item for item in items if item.split != "test" and item.out_of_scope and item.text not in training_only]
    found = [analyze(item.text, item.today).out_of_scope for item in cases]
    right = sum(referral is not None and referral.topic == item.out_of_scope
                for referral, item in zip(found, cases, strict=True))
    assert right / len(cases) >= 0.9
