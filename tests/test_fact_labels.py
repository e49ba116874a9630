"""Facts read from 200 real texts (labels in tests/data/fact_labels.tsv, texts in
../shared/data/): the ones sure enough to pre-tick must be right."""

from __future__ import annotations

from datetime import date

import pytest
from labelled_texts import SharedDataMissing, load_fact_labels

from flows.insight import PRETICK_CONFIDENCE
from flows.understanding import analyze


def _value(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | int):
        return f"{float(value):.2f}"
    return str(value).lower()


def test_pre_ticked_facts_on_real_texts_are_right() -> None:
    try:
        items = load_fact_labels()
    except SharedDataMissing as missing:
        pytest.fail(str(missing))
    assert len(items) == 200
    right = wrong = 0
    for item in items:
        facts = analyze(item.text, item.today).facts
        for key, gold in item.labels.items():
            fact = facts.get(key)
            if fact is None or fact.confidence < PRETICK_CONFIDENCE:
                continue
            wanted = {_value(float(v)) if key == "amount" else v.lower() for v in gold}
            if _value(fact.value) in wanted:
                right += 1
            else:
                wrong += 1
    assert right >= 10
    assert right / (right + wrong) >= 0.97
