"""How often each advice rule fires on real and written accounts, with examples to read.

Runs the labelled evaluation set (tests/data/eval_set.jsonl) and a seeded sample of texts from
../shared/data/ through the analyzer and the advice rules, as they stand right after the
account is read (the answers hold only the account; channel, date, amount and theme come from
the analyzer), every text taken as a 投诉. Prints, per rule, how many texts it fires on at any
moment, then up to 10 random examples per rule for a person to judge.

    .venv/bin/python bench/advice.py [--sample 500] [--examples 10] [--seed 14] [--data DIR]

Eval-set lines may carry their text, or only where it comes from ("source"/"file" and "row",
the 0-based data row): those texts are read from the data folder.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.advice import RULES, build_case, fired_rules  # noqa: E402
from flows.understanding import analyze  # noqa: E402

EVAL_SET = ROOT / "tests" / "data" / "eval_set.jsonl"
DATA_DIR = ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class DataFile:
    """A CSV of real texts: which column holds the text, how to date a row."""

    name: str
    text_column: str
    date_column: str | None
    default_today: date


CAR = DataFile("car-complaints-315che.csv", "投诉明细", "投诉时间", date(2020, 6, 30))
SHOPPING = DataFile("shopping-reviews-negative.csv", "review", None, date(2018, 1, 1))
SOURCES = {"315che": CAR, "shopping": SHOPPING, CAR.name: CAR, SHOPPING.name: SHOPPING}


@dataclass(frozen=True)
class Account:
    origin: str  # "eval:<source>:<row>" or "<file>:<row>"
    text: str
    today: date


def read_rows(data_dir: Path, source: DataFile) -> list[dict[str, str]]:
    with (data_dir / source.name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def row_today(source: DataFile, row: dict[str, str]) -> date:
    stamp = (row.get(source.date_column) or "").split(" ")[0] if source.date_column else ""
    try:
        return datetime.strptime(stamp, "%Y-%m-%d").date()
    except ValueError:
        return source.default_today


def eval_accounts(path: Path, data_dir: Path) -> Iterator[Account]:
    """The evaluation set; a line without "text" is looked up by its file (or source) and row."""
    cache: dict[str, list[dict[str, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        origin = f"eval:{item.get('source', '?')}:{item.get('row', '?')}"
        text = item.get("text")
        if text is None:
            source = SOURCES[item.get("file") or item["source"]]
            rows = cache.setdefault(source.name, read_rows(data_dir, source))
            text = rows[int(item["row"])][item.get("column") or source.text_column]
        today = item.get("today")
        yield Account(origin, text, date.fromisoformat(today) if today else date.today())


def sampled_accounts(data_dir: Path, size: int, seed: int, skip: set[str]) -> list[Account]:
    """`size` texts drawn (seeded) from every data file, leaving out rows the eval set holds."""
    pool: list[Account] = []
    for source in (CAR, SHOPPING):
        for index, row in enumerate(read_rows(data_dir, source)):
            text = (row.get(source.text_column) or "").strip()
            origin = f"{source.name}:{index}"
            if len(text) >= 6 and origin not in skip:
                pool.append(Account(origin, text, row_today(source, row)))
    return random.Random(seed).sample(pool, min(size, len(pool)))


def eval_origin_rows(path: Path) -> set[str]:
    rows = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            source = SOURCES.get(item.get("file") or item.get("source", ""))
            if source and "row" in item:
                rows.add(f"{source.name}:{item['row']}")
    return rows


def fire(accounts: list[Account]) -> dict[str, list[tuple[Account, list[str]]]]:
    """rule id -> the accounts it fires on, with the moments."""
    hits: dict[str, list[tuple[Account, list[str]]]] = defaultdict(list)
    for account in accounts:
        insight = analyze(account.text, account.today)
        case = build_case({"kind": "complaint", "narrative": account.text}, insight, "complaint",
                          account.today)
        for rule_id, moments in fired_rules(case).items():
            hits[rule_id].append((account, moments))
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=EVAL_SET, help="eval set (JSON Lines)")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the real texts")
    parser.add_argument("--sample", type=int, default=500, help="texts drawn from --data")
    parser.add_argument("--examples", type=int, default=10, help="examples shown per rule")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    evaluation = list(eval_accounts(args.set, args.data))
    sample = sampled_accounts(args.data, args.sample, args.seed, eval_origin_rows(args.set))
    eval_hits, sample_hits = fire(evaluation), fire(sample)

    print(f"| rule | source | eval set ({len(evaluation)}) | sample of ../shared/data ({len(sample)}) |")
    print("|---|---|---|---|")
    for rule in RULES:
        counts = [len(eval_hits.get(rule.id, [])), len(sample_hits.get(rule.id, []))]
        cells = [f"{n} ({100 * n / total:.1f} %)" if total else "n/a"
                 for n, total in zip(counts, (len(evaluation), len(sample)), strict=True)]
        print(f"| `{rule.id}` | {rule.source} | {cells[0]} | {cells[1]} |")
    firings = sum(len(hits) for hits in (*eval_hits.values(), *sample_hits.values()))
    texts_with_advice = len({a.origin for hits in (*eval_hits.values(), *sample_hits.values())
                             for a, _ in hits})
    print(f"\ntexts with at least one piece of advice: {texts_with_advice} of "
          f"{len(evaluation) + len(sample)}; {firings} rule firings in all")

    picker = random.Random(args.seed)
    for rule in RULES:
        hits = eval_hits.get(rule.id, []) + sample_hits.get(rule.id, [])
        print(f"\n== {rule.id} ({rule.source}) — {len(hits)} texts; when: {rule.when}")
        for account, moments in picker.sample(hits, min(args.examples, len(hits))):
            short = account.text.replace("\n", " ")[:110]
            print(f"  [{account.origin}] {','.join(moments)}\n    {short}")


if __name__ == "__main__":
    main()
