"""The labelled evaluation set is well formed, and the analyzer stays above a quality floor."""

import json
from datetime import date
from pathlib import Path

from flows.insight import FACT_KEYS
from flows.understanding import analyze
from flows.vocabulary import DEMANDS, OUT_OF_SCOPE_TOPICS, THEMES

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "eval_set.jsonl"


def load() -> list[dict]:
    return [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()]


def test_eval_set_is_well_formed():
    items = load()
    assert len(items) >= 300
    assert {item["source"] for item in items} == {"315che", "shopping", "written"}
    assert len({item["text"] for item in items}) == len(items)
    for item in items:
        assert item["text"].strip()
        assert item["theme"] in THEMES
        assert item["out_of_scope"] is None or item["out_of_scope"] in OUT_OF_SCOPE_TOPICS
        date.fromisoformat(item["today"])
        assert set(item["facts"]) <= set(FACT_KEYS)
        for code in item["facts"].get("demands") or []:
            assert code in DEMANDS


def test_quality_floor_and_no_false_alarms():
    """A floor well under the measured figures (bench/evaluate.py), to catch regressions."""
    items = [item for item in load() if item["out_of_scope"] is None]
    right = 0
    for item in items:
        insight = analyze(item["text"], date.fromisoformat(item["today"]))
        right += insight.themes[0].theme == item["theme"]
        assert insight.out_of_scope is None, item["text"]
    assert right / len(items) >= 0.85
