"""The labelled reply corpus (tests/data/replies.tsv) through the field readers."""

from __future__ import annotations

import pytest
from labelled_texts import DATA, check_reply, load_reply_corpus

from flows.catalog import Catalog
from flows.fields import FIELDS

MIN_ACCURACY = 0.97  # the bench prints the measured figure; this only catches regressions


def test_the_corpus_is_big_enough_and_well_formed() -> None:
    cases = load_reply_corpus()
    assert len(cases) >= 800
    assert sum(case.phone_style for case in cases) >= 300
    missing = set(FIELDS) - {case.field for case in cases}
    assert not missing, missing


@pytest.mark.parametrize("name", ["replies.tsv", "replies_second.tsv", "replies_third.tsv"])
def test_the_readers_get_the_corpus_right(catalog: Catalog, name: str) -> None:
    cases = load_reply_corpus(DATA / name)
    wrong = []
    for case in cases:
        right, got = check_reply(case, catalog)
        if not right:
            wrong.append(f"line {case.line} {case.field} {case.reply!r}: "
                         f"want {case.expected}, got {got}")
    accuracy = 1 - len(wrong) / len(cases)
    assert accuracy >= MIN_ACCURACY, "\n".join(wrong)
