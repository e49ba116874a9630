"""Loads the labelled sets the tests and `bench/replies.py` share.

- `tests/data/eval_set.jsonl`: each line either carries its "text" (written texts, and the
  older form of the real ones) or only "source" and "row" pointing into `../shared/data/`.
- `tests/data/fact_labels.tsv`: 200 real texts labelled for facts, by source and row only.
- `tests/data/replies.tsv`: the labelled reply corpus (field, reply, expected).

Real texts are read from `../shared/data/` beside the repository; when that folder is absent,
`SharedDataMissing` says so instead of a bare file error.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"
SOURCES = {
    "315che": ("car-complaints-315che.csv", "投诉明细"),
    "shopping": ("shopping-reviews-negative.csv", "review"),
}
SHOPPING_TODAY = date(2018, 1, 1)  # the reviews carry no date
BROKEN_DATE_TODAY = date(2020, 6, 30)  # three 315che rows have "May" as their date


class SharedDataMissing(RuntimeError):
    """The real texts in ../shared/data/ are needed but not there."""


@cache
def _rows(source: str) -> list[dict[str, str]]:
    name, _ = SOURCES[source]
    path = SHARED_DATA / name
    if not path.is_file():
        raise SharedDataMissing(f"{path} is missing: the labelled real texts are read from "
                                "../shared/data/ beside the repository")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def real_text(source: str, row: int) -> str:
    """The text of data row `row` (0-based) of a ../shared/data/ file."""
    return _rows(source)[row][SOURCES[source][1]]


def real_today(source: str, row: int) -> date:
    """The day a real text was written: its complaint date, or a fixed day when it has none."""
    if source != "315che":
        return SHOPPING_TODAY
    try:
        return datetime.strptime(_rows(source)[row]["投诉时间"].split()[0], "%Y-%m-%d").date()
    except ValueError:
        return BROKEN_DATE_TODAY


def load_eval_set(path: Path = DATA / "eval_set.jsonl") -> list[dict[str, Any]]:
    """Every item with its "text" filled in, whichever form the line has."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if "text" not in item:
            item["text"] = real_text(item["source"], int(item["row"]))
        items.append(item)
    return items


@dataclass(frozen=True)
class FactLabels:
    """The facts a real text states: each key → the right values ("" when it states none)."""

    source: str
    row: int
    text: str
    today: date
    labels: dict[str, tuple[str, ...]]


FACT_COLUMNS = ("purchase_date", "amount", "product", "store_name", "district")


def load_fact_labels(path: Path = DATA / "fact_labels.tsv") -> list[FactLabels]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, row, *cells = line.split("\t")
        labels = {key: tuple(v for v in cell.split("|") if v != "-")
                  for key, cell in zip(FACT_COLUMNS, cells, strict=True)}
        found.append(FactLabels(source, int(row), real_text(source, int(row)),
                                real_today(source, int(row)), labels))
    return found


@dataclass(frozen=True)
class ReplyCase:
    """One labelled reply: the field asked, what was typed, and what must come of it."""

    line: int
    field: str
    reply: str
    expected: str  # the value as JSON, or "re-ask:<reason>", "skip", "story", "clarify"
    kind: str  # "complaint" or "report"
    phone_style: bool
    context: dict[str, Any]


def load_reply_corpus(path: Path = DATA / "replies.tsv") -> list[ReplyCase]:
    """The corpus: field, reply, expected, then optional flags ("phone", "report") and a JSON
    object of answers already given (e.g. {"amount": 599})."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        field_name, reply, expected = cells[0], cells[1], cells[2]
        flags = cells[3].split(",") if len(cells) > 3 and cells[3] else []
        context = json.loads(cells[4]) if len(cells) > 4 and cells[4] else {}
        cases.append(ReplyCase(number, field_name, reply, expected,
                               "report" if "report" in flags else "complaint",
                               "phone" in flags, context))
    return cases


CORPUS_TODAY = datetime(2026, 11, 28, 12, 0)  # a Saturday: the corpus's dates resolve against it


def check_reply(case: ReplyCase, catalog: Any) -> tuple[bool, str]:
    """Run one reply through its field's reader; (right, what came out)."""
    from flows.context import Context
    from flows.fields import FIELDS
    from flows.model import Draft

    ctx = Context(catalog, CORPUS_TODAY)
    draft = Draft(number=1, created_at=CORPUS_TODAY, updated_at=CORPUS_TODAY)
    draft.answers.update({"kind": case.kind, **case.context})
    parsed = FIELDS[case.field].parse(case.reply, ctx, draft)
    if parsed.story:
        got = "story"
    elif parsed.clarify is not None:
        got = "clarify:" + "|".join(parsed.clarify.options)
    elif parsed.skip:
        got = "skip"
    elif parsed.error:
        got = f"re-ask:{parsed.reason or ''}"
    else:
        got = json.dumps(parsed.value, ensure_ascii=False, sort_keys=True)
    expected = case.expected
    if expected.startswith("re-ask") and got.startswith("re-ask"):
        wanted = expected.partition(":")[2]
        return (not wanted or got == f"re-ask:{wanted}"), got
    if expected.startswith("clarify") and got.startswith("clarify"):
        wanted = expected.partition(":")[2]
        return (not wanted or got == f"clarify:{wanted}"), got
    if expected in ("story", "skip") or expected.startswith(("re-ask", "clarify")):
        return got == expected, got
    want = json.loads(expected)
    value = json.loads(got) if not got.startswith(("re-ask", "clarify", "story", "skip")) else got
    if isinstance(want, list) and isinstance(value, list):
        return sorted(want) == sorted(value), got
    if isinstance(want, float | int) and isinstance(value, float | int):
        return abs(float(want) - float(value)) < 0.005, got
    return want == value, got
