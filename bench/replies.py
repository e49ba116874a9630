"""How well replies and accounts are understood.

1. Per-field accuracy of the answer readers on the labelled reply corpus
   (tests/data/replies.tsv, the smaller tests/data/replies_second.tsv written after the
   readers were built, and tests/data/replies_third.tsv written blind), overall and on the
   replies written as people type on phones.
2. Pre-tick precision of the facts read from an account, on the evaluation set
   (tests/data/eval_set.jsonl, labelled keys only) and on 200 real texts labelled for date,
   amount, product, store and district (tests/data/fact_labels.tsv): of the facts whose
   confidence reaches flows.insight.PRETICK_CONFIDENCE, how many are right; and how many facts
   are pre-ticked, offered as a suggestion (SUGGEST_CONFIDENCE and above) or asked.

    .venv/bin/python bench/replies.py [--errors]

Real texts are read from ../shared/data/ beside the repository.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from labelled_texts import (  # noqa: E402
    check_reply,
    load_eval_set,
    load_fact_labels,
    load_reply_corpus,
)

from flows.catalog import load_catalog  # noqa: E402
from flows.insight import PRETICK_CONFIDENCE, SUGGEST_CONFIDENCE, Fact  # noqa: E402
from flows.understanding import analyze  # noqa: E402


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}% ({part}/{whole})" if whole else "   n/a"


def reply_accuracy(path: Path, show_errors: bool) -> None:
    catalog = load_catalog()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    phone_right = phone_total = 0
    errors = []
    for case in load_reply_corpus(path):
        ok, got = check_reply(case, catalog)
        total[case.field] += 1
        right[case.field] += ok
        if case.phone_style:
            phone_total += 1
            phone_right += ok
        if not ok:
            errors.append(f"  line {case.line} {case.field} {case.reply!r}: "
                          f"want {case.expected}, got {got}")
    print(f"reply corpus: {path.relative_to(ROOT)} ({sum(total.values())} replies, "
          f"{phone_total} written as typed on phones; development figures)")
    print(f"  all fields           {percent(sum(right.values()), sum(total.values()))}")
    print(f"  phone-style replies  {percent(phone_right, phone_total)}")
    for name in sorted(total, key=lambda n: -total[n]):
        print(f"  {name:<20} {percent(right[name], total[name])}")
    if show_errors and errors:
        print("errors:")
        print("\n".join(errors))


def _fact_value(key: str, fact: Fact) -> str:
    value = fact.value
    if isinstance(value, date):
        return value.isoformat()
    if key in ("amount", "compensation_amount"):
        return f"{float(value):.2f}"
    if isinstance(value, list):
        return ",".join(sorted(value))
    return str(value).lower()


def _gold(key: str, value: Any) -> str:
    if key in ("amount", "compensation_amount"):
        return f"{float(value):.2f}"
    if isinstance(value, list):
        return ",".join(sorted(value))
    return str(value).lower()


class Tally:
    """Counts of facts pre-ticked (right / wrong), suggested and asked, per key."""

    def __init__(self) -> None:
        self.pretick_right: Counter[str] = Counter()
        self.pretick_wrong: Counter[str] = Counter()
        self.suggest_right: Counter[str] = Counter()
        self.suggested: Counter[str] = Counter()
        self.asked: Counter[str] = Counter()
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, key: str, fact: Fact | None, gold: tuple[str, ...], text: str) -> None:
        if fact is None or fact.confidence < SUGGEST_CONFIDENCE:
            self.asked[key] += 1
            return
        got = _fact_value(key, fact)
        right = got in gold
        if fact.confidence >= PRETICK_CONFIDENCE:
            (self.pretick_right if right else self.pretick_wrong)[key] += 1
            if not right:
                self.errors[key].append(f"{gold or '-'} -> {got} ({fact.confidence}) | "
                                        f"{text[:60]}")
        else:
            self.suggested[key] += 1
            self.suggest_right[key] += right

    def show(self, title: str, show_errors: bool) -> None:
        right, wrong = sum(self.pretick_right.values()), sum(self.pretick_wrong.values())
        suggested, asked = sum(self.suggested.values()), sum(self.asked.values())
        print(f"\n{title}")
        print(f"  pre-ticked guesses correct  {percent(right, right + wrong)}")
        print(f"  facts pre-ticked {right + wrong}, suggested {suggested} "
              f"({percent(sum(self.suggest_right.values()), suggested).strip()} right), "
              f"asked {asked}")
        keys = sorted(set(self.pretick_right) | set(self.pretick_wrong) | set(self.suggested)
                      | set(self.asked))
        for key in keys:
            ticked = self.pretick_right[key] + self.pretick_wrong[key]
            print(f"  {key:<20} pre-ticked {percent(self.pretick_right[key], ticked):>18}"
                  f"   suggested {self.suggested[key]:>3}   asked {self.asked[key]:>3}")
        if show_errors:
            for key, lines in self.errors.items():
                print(f"  wrong pre-ticks: {key}")
                for line in lines:
                    print(f"    {line}")


def eval_set_pretick(show_errors: bool) -> None:
    tally = Tally()
    for item in load_eval_set():
        facts = analyze(item["text"], date.fromisoformat(item["today"])).facts
        for key, gold in item.get("facts", {}).items():
            wanted = () if gold is None else (_gold(key, gold),)
            fact = facts.get(key)
            if fact is None and not wanted:
                continue  # nothing stated, nothing read: not a fact to tick or ask
            tally.add(key, fact, wanted, item["text"])
    tally.show("pre-tick on tests/data/eval_set.jsonl (labelled keys only; development set)",
               show_errors)


def real_texts_pretick(show_errors: bool) -> None:
    tally = Tally()
    for item in load_fact_labels():
        facts = analyze(item.text, item.today).facts
        for key, gold in item.labels.items():
            wanted = tuple(_gold(key, value) for value in gold)
            fact = facts.get(key)
            if fact is None and not wanted:
                continue
            tally.add(key, fact, wanted, item.text)
    tally.show("pre-tick on 200 real texts, tests/data/fact_labels.tsv", show_errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every mistake")
    args = parser.parse_args()
    reply_accuracy(ROOT / "tests" / "data" / "replies.tsv", args.errors)
    print()
    reply_accuracy(ROOT / "tests" / "data" / "replies_second.tsv", args.errors)
    print()
    reply_accuracy(ROOT / "tests" / "data" / "replies_third.tsv", args.errors)
    eval_set_pretick(args.errors)
    real_texts_pretick(args.errors)


if __name__ == "__main__":
    main()
