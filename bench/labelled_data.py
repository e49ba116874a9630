"""The labelled texts: labels from tests/data/, real texts read from ../shared/data/.

Third-party complaint texts carry no licence, so the repository keeps only their labels
(source file, row, split, theme, out-of-scope topic) in `tests/data/labels.tsv` and the fact
labels in `tests/data/eval_set.jsonl`; the texts are read at run time from the shared data
folder next to the repository (`../shared/data/`, or `$SHARED_DATA_DIR`). Written texts,
which the project owns, are stored whole: the old evaluation set's in `eval_set.jsonl`, and
the training-only ones (trades the real sources lack) in `written_train.jsonl`.

The held-out `check` split (`written_check.jsonl`: complaints from every trade, written and
labelled for evaluation only) has its own loader and is not part of `load_all()`, so nothing
that fits or tunes on `load_all()` can read it.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from flows.tables import table_rows

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
LABELS = DATA / "labels.tsv"
EVAL_SET = DATA / "eval_set.jsonl"
WRITTEN_TRAIN = DATA / "written_train.jsonl"
# Written training texts carry no date of their own; their relative dates ("上礼拜", "今年")
# resolve against this day, after every explicit date they mention.
WRITTEN_TRAIN_TODAY = date(2025, 12, 20)
SPLITS = ("train", "dev", "test")
WRITTEN_CHECK = DATA / "written_check.jsonl"
CHECK_SPLIT = "check"
# The check texts were written in late November 2026; their relative dates resolve against it.
WRITTEN_CHECK_TODAY = date(2026, 11, 28)

# source name -> (file in the shared folder, text column, date column or None)
SOURCES: dict[str, tuple[str, str, str | None]] = {
    "315che": ("car-complaints-315che.csv", "投诉明细", "投诉时间"),
    "shopping": ("shopping-reviews-negative.csv", "review", None),
}
# The reviews carry no date; a car row whose date column is broken gets the end of the crawl.
UNDATED = {"315che": date(2020, 6, 30), "shopping": date(2018, 1, 1)}


class SharedDataMissing(RuntimeError):
    """The shared complaint texts are not where the labels expect them."""


@dataclass(frozen=True)
class LabelledText:
    """One text with its labels; `facts` holds only the fact keys that were labelled."""

    source: str
    row: int | None
    split: str
    text: str
    theme: str
    out_of_scope: str | None
    today: date
    facts: dict[str, Any] = field(default_factory=dict)
    trade: str | None = None  # the kind of business, labelled on written training and check texts


def shared_data_dir() -> Path:
    return Path(os.environ.get("SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))


@cache
def _source_rows(source: str) -> tuple[tuple[str, date], ...]:
    """(text, date) per 0-based data row of a shared file."""
    name, text_column, date_column = SOURCES[source]
    path = shared_data_dir() / name
    if not path.is_file():
        raise SharedDataMissing(
            f"{path} is missing: the labelled real texts are read from the shared data folder "
            f"next to the repository (../shared/data/ or $SHARED_DATA_DIR); see tests/data/EVAL_README.md")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple((row[text_column].strip(), _row_date(row.get(date_column or ""), source)) for row in rows)


def source_texts(source: str) -> list[str]:
    """Every text of a shared source file, labelled or not, in row order."""
    return [text for text, _ in _source_rows(source)]


def _row_date(value: str | None, source: str) -> date:
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", (value or "").strip())
    if not match:
        return UNDATED[source]
    return date(*(int(part) for part in match.groups()))


def load_written_train() -> list[LabelledText]:
    """The written training-only texts: split `train`, no fact labels, one `trade` each."""
    items = []
    for line in WRITTEN_TRAIN.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        items.append(LabelledText("written", None, "train", item["text"], item["theme"], item["out_of_scope"],
                                  WRITTEN_TRAIN_TODAY, {}, item["trade"]))
    return items


def load_check() -> list[LabelledText]:
    """The held-out check texts: source `written_check`, split `check`, no fact labels.

    Kept out of `load_all()` on purpose: they are for `bench/evaluate.py --split check` only.
    """
    items = []
    for line in WRITTEN_CHECK.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        items.append(LabelledText("written_check", None, CHECK_SPLIT, item["text"], item["theme"],
                                  item["out_of_scope"], WRITTEN_CHECK_TODAY, {}, item["trade"]))
    return items


@cache
def load_all() -> tuple[LabelledText, ...]:
    """Every labelled text of train, dev and test: the real ones from labels.tsv and the written
    ones of eval_set.jsonl and written_train.jsonl (not the held-out check, see `load_check`)."""
    fact_rows: dict[tuple[str, int], dict[str, Any]] = {}
    written: list[LabelledText] = []
    for line in EVAL_SET.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["source"] == "written":
            written.append(LabelledText("written", None, item["split"], item["text"], item["theme"],
                                        item["out_of_scope"], date.fromisoformat(item["today"]),
                                        item["facts"]))
        else:
            fact_rows[(item["source"], item["row"])] = item
    real = []
    for source, row, split, theme, topic in table_rows(LABELS):
        text, row_date = _source_rows(source)[int(row)]
        extra = fact_rows.get((source, int(row)), {})
        today = date.fromisoformat(extra["today"]) if "today" in extra else row_date
        real.append(LabelledText(source, int(row), split, text, theme, None if topic == "-" else topic,
                                 today, extra.get("facts", {})))
    return tuple(real + written + load_written_train())


def load_split(split: str) -> list[LabelledText]:
    return [item for item in load_all() if item.split == split]
