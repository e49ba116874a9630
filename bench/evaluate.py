"""Measures the analyzer on the hand-labelled set tests/data/eval_set.jsonl.

Prints top-1 / top-2 theme accuracy (on accounts 12315 handles), per-theme precision and
recall, out-of-scope precision and recall with the false alarms on ordinary complaints, and
exact-match accuracy of every labelled fact. A fact labelled null must not be extracted.

    .venv/bin/python bench/evaluate.py [--errors] [--set PATH] [--jieba-default]

--jieba-default segments with jieba's full dictionary (plus our domain words) instead of
the compact one, to check that the compact dictionary loses no quality.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.understanding import analyze  # noqa: E402
from flows.vocabulary import THEMES  # noqa: E402

EVAL_SET = ROOT / "tests" / "data" / "eval_set.jsonl"


def comparable(key: str, value: Any) -> Any:
    """A form of a fact value that compares exactly: ISO dates, rounded amounts, demand sets."""
    if value is None:
        return None
    if key == "purchase_date":
        return value.isoformat() if isinstance(value, date) else value
    if key in ("amount", "compensation_amount"):
        return round(float(value), 2)
    if key == "demands":
        return tuple(sorted(value))
    return value


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}% ({part}/{whole})" if whole else "   n/a"


def evaluate(path: Path, show_errors: bool) -> None:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    top1 = top2 = in_scope = 0
    predicted_count: Counter[str] = Counter()
    gold_count: Counter[str] = Counter()
    correct_count: Counter[str] = Counter()
    oos_true_positive = oos_predicted = oos_gold = oos_right_topic = 0
    false_alarms: list[str] = []
    fact_right: Counter[str] = Counter()
    fact_total: Counter[str] = Counter()
    errors: dict[str, list[str]] = defaultdict(list)
    for item in items:
        insight = analyze(item["text"], date.fromisoformat(item["today"]))
        ranked = [score.theme for score in insight.themes]
        gold_scope = item.get("out_of_scope")
        predicted_scope = insight.out_of_scope.topic if insight.out_of_scope else None
        short = item["text"][:70].replace("\n", " ")
        if gold_scope is None:
            in_scope += 1
            gold_count[item["theme"]] += 1
            predicted_count[ranked[0]] += 1
            if ranked[0] == item["theme"]:
                top1 += 1
                correct_count[item["theme"]] += 1
            else:
                errors["theme"].append(f"{item['theme']} -> {ranked[:2]} | {short}")
            top2 += item["theme"] in ranked[:2]
            if predicted_scope:
                false_alarms.append(f"{predicted_scope} | {short}")
        else:
            oos_gold += 1
            if predicted_scope:
                oos_true_positive += 1
                oos_right_topic += predicted_scope == gold_scope
            if predicted_scope != gold_scope:
                errors["out_of_scope"].append(f"{gold_scope} -> {predicted_scope} | {short}")
        oos_predicted += predicted_scope is not None
        for key, gold in item.get("facts", {}).items():
            fact = insight.facts.get(key)
            got = comparable(key, fact.value if fact else None)
            fact_total[key] += 1
            if got == comparable(key, gold):
                fact_right[key] += 1
            else:
                errors[key].append(f"{gold!r} -> {got!r} | {short}")

    print(f"eval set: {path.relative_to(ROOT)}  ({len(items)} texts, "
          f"{dict(Counter(item['source'] for item in items))})")
    print(f"\nthemes (on {in_scope} texts 12315 handles)")
    print(f"  top-1 accuracy  {percent(top1, in_scope)}")
    print(f"  top-2 accuracy  {percent(top2, in_scope)}")
    print(f"  {'theme':<12} {'precision':>20} {'recall':>20}")
    for theme in THEMES:
        print(f"  {theme:<12} {percent(correct_count[theme], predicted_count[theme]):>20} "
              f"{percent(correct_count[theme], gold_count[theme]):>20}")
    print("\nout of scope")
    print(f"  precision       {percent(oos_true_positive, oos_predicted)}")
    print(f"  recall          {percent(oos_true_positive, oos_gold)}")
    print(f"  right topic     {percent(oos_right_topic, oos_gold)}")
    print(f"  false alarms on ordinary complaints: {len(false_alarms)} of {in_scope}")
    for alarm in false_alarms:
        print(f"    {alarm}")
    print("\nfacts (exact match; a null label must stay empty)")
    for key in sorted(fact_total, key=lambda name: -fact_total[name]):
        print(f"  {key:<20} {percent(fact_right[key], fact_total[key])}")
    if show_errors:
        for kind, lines in errors.items():
            print(f"\nerrors: {kind}")
            for line in lines:
                print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every mistake")
    parser.add_argument("--set", type=Path, default=EVAL_SET, help="eval set (JSON Lines)")
    parser.add_argument("--jieba-default", action="store_true",
                        help="use jieba's full dictionary instead of the compact one")
    args = parser.parse_args()
    if args.jieba_default:
        from flows.understanding import segmenter

        segmenter.use_jieba_default_dictionary()
    evaluate(args.set.resolve(), args.errors)


if __name__ == "__main__":
    main()
