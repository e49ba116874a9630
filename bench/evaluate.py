"""Measures the analyzer on the labelled texts, split by split (train / dev / test / check).

For each split: theme top-1 / top-2 (on texts 12315 handles) overall and per source, the
confusion matrix, the one-tap share and its precision, the two-or-three shortlist hit rate,
out-of-scope precision / recall and the false-alarm rate on ordinary complaints, and
exact-match accuracy of every labelled fact (a fact labelled null must stay empty). Texts
labelled with a trade also get top-1 per trade group.

    .venv/bin/python bench/evaluate.py [--split test] [--split check] [--errors] [--jieba-default]

The texts come from bench/labelled_data.py (real texts are read from ../shared/data/).
`train` figures are fitting figures, `dev` was used to choose settings (and the word lists
were tuned on it), `test` is the frozen split: report it, never tune on it. `check` (written
complaints from every trade, held out from training and tuning) runs only when asked for.
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
sys.path.insert(0, str(ROOT / "bench"))

from labelled_data import CHECK_SPLIT, SPLITS, LabelledText, load_all, load_check  # noqa: E402

from flows.understanding import analyze  # noqa: E402
from flows.vocabulary import THEMES  # noqa: E402

# The trade groups of 12315's intake, for the per-trade figures; any other trade is "other services".
TRADE_GROUPS: dict[str, tuple[str, ...]] = {
    "online shopping, live-stream": ("ecommerce", "livestream"),
    "food, takeaway": ("takeaway", "food", "supermarket", "fruit", "bakery", "canteen"),
    "prepaid, gym, beauty, education": ("gym", "beauty", "hair", "education", "prepaid", "membership",
                                        "sports"),
    "appliances, phones": ("appliance", "phone", "computer", "telecom_shop"),
    "decoration, furniture": ("decoration", "furniture"),
    "travel, hotels, restaurants": ("travel", "hotel", "restaurant", "ticketing"),
    "cars": ("car", "car_rental", "car_wash", "ebike"),
    "health products, elderly sales": ("health_product", "medical_device", "pharmacy"),
    "housing, property, utilities": ("rental", "property", "utilities", "real_estate"),
}
GROUP_OF_TRADE = {trade: group for group, trades in TRADE_GROUPS.items() for trade in trades}

# The frozen test split: reported once per release, its texts never printed with the figures.
FROZEN_SPLIT = "test"

SHORT = {"quality": "qual", "after_sales": "aftr", "false_ad": "fals", "contract": "cont",
         "price": "pric", "food_safety": "food", "other": "othr"}


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


class SplitReport:
    """Counts for one split, filled one text at a time."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sources: Counter[str] = Counter()
        self.in_scope: Counter[str] = Counter()
        self.top1: Counter[str] = Counter()
        self.top2: Counter[str] = Counter()
        self.confusion: Counter[tuple[str, str]] = Counter()
        self.trade_texts: Counter[str] = Counter()
        self.trade_top1: Counter[str] = Counter()
        self.one_tap = self.one_tap_right = self.shortlist_hit = 0
        self.oos_gold = self.oos_predicted = self.oos_hit = self.oos_right_topic = 0
        self.false_alarms: list[str] = []
        self.fact_right: Counter[str] = Counter()
        self.fact_total: Counter[str] = Counter()
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, item: LabelledText) -> None:
        insight = analyze(item.text, item.today)
        ranked = [score.theme for score in insight.themes]
        predicted_scope = insight.out_of_scope.topic if insight.out_of_scope else None
        short = item.text[:70].replace("\n", " ")
        self.sources[item.source] += 1
        self.oos_predicted += predicted_scope is not None
        if item.out_of_scope is None:
            self.in_scope[item.source] += 1
            self.confusion[(item.theme, ranked[0])] += 1
            self.top1[item.source] += ranked[0] == item.theme
            self.top2[item.source] += item.theme in ranked[:2]
            if item.trade is not None:
                group = GROUP_OF_TRADE.get(item.trade, "other services")
                self.trade_texts[group] += 1
                self.trade_top1[group] += ranked[0] == item.theme
            if insight.one_tap:
                self.one_tap += 1
                self.one_tap_right += ranked[0] == item.theme
            else:
                self.shortlist_hit += item.theme in insight.theme_shortlist
            if ranked[0] != item.theme:
                self.errors["theme"].append(f"{item.theme} -> {ranked[:2]} {insight.themes[0].score} | {short}")
            if predicted_scope:
                # The frozen split's texts are never shown: its alarms are named by source and row.
                shown = "" if self.name == FROZEN_SPLIT else f" | {short}"
                self.false_alarms.append(f"{predicted_scope} | {item.source} {item.row}{shown}")
        else:
            self.oos_gold += 1
            self.oos_hit += predicted_scope is not None
            self.oos_right_topic += predicted_scope == item.out_of_scope
            if predicted_scope != item.out_of_scope:
                self.errors["out_of_scope"].append(f"{item.out_of_scope} -> {predicted_scope} | {short}")
        for key, gold in item.facts.items():
            fact = insight.facts.get(key)
            got = comparable(key, fact.value if fact else None)
            self.fact_total[key] += 1
            if got == comparable(key, gold):
                self.fact_right[key] += 1
            else:
                self.errors[key].append(f"{gold!r} -> {got!r} | {short}")

    def print(self, show_errors: bool) -> None:
        in_scope = sum(self.in_scope.values())
        print(f"\n== {self.name}: {sum(self.sources.values())} texts {dict(self.sources)}")
        print(f"themes on {in_scope} texts 12315 handles")
        print(f"  top-1 {percent(sum(self.top1.values()), in_scope)}   "
              f"top-2 {percent(sum(self.top2.values()), in_scope)}")
        for source in sorted(self.in_scope):
            print(f"    {source:<9} top-1 {percent(self.top1[source], self.in_scope[source])}   "
                  f"top-2 {percent(self.top2[source], self.in_scope[source])}")
        if self.trade_texts:
            print("  top-1 per trade group (texts labelled with a trade)")
            for group, count in self.trade_texts.most_common():
                print(f"    {group:<32} {percent(self.trade_top1[group], count)}")
        print(f"  one-tap share {percent(self.one_tap, in_scope)}   "
              f"precision {percent(self.one_tap_right, self.one_tap)}")
        print(f"  otherwise the shortlist of two or three holds the theme: "
              f"{percent(self.shortlist_hit, in_scope - self.one_tap)}")
        print("  confusion (rows: label, columns: top-1)")
        print("        " + " ".join(f"{SHORT[theme]:>5}" for theme in THEMES))
        for gold in THEMES:
            cells = " ".join(f"{self.confusion[(gold, guess)]:>5}" for guess in THEMES)
            print(f"  {SHORT[gold]:<5} {cells}")
        print("out of scope")
        print(f"  precision {percent(self.oos_hit, self.oos_predicted)}   "
              f"recall {percent(self.oos_hit, self.oos_gold)}   "
              f"right topic {percent(self.oos_right_topic, self.oos_gold)}")
        print(f"  false alarms on ordinary complaints {percent(len(self.false_alarms), in_scope)}")
        for alarm in self.false_alarms:
            print(f"    {alarm}")
        if self.fact_total:
            print("facts (exact match; a null label must stay empty)")
            for key in sorted(self.fact_total, key=lambda name: -self.fact_total[name]):
                print(f"  {key:<20} {percent(self.fact_right[key], self.fact_total[key])}")
        if show_errors:
            for kind, lines in self.errors.items():
                print(f"errors: {kind}")
                for line in lines:
                    print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=(*SPLITS, CHECK_SPLIT), action="append",
                        help="only these splits (default: train, dev and test; check only when named)")
    parser.add_argument("--errors", action="store_true", help="list every mistake")
    parser.add_argument("--jieba-default", action="store_true",
                        help="use jieba's full dictionary instead of the compact one")
    args = parser.parse_args()
    if args.jieba_default:
        from flows.understanding import segmenter

        segmenter.use_jieba_default_dictionary()
    wanted = args.split or SPLITS
    items = list(load_all()) + (load_check() if CHECK_SPLIT in wanted else [])
    for split in wanted:
        report = SplitReport(split)
        for item in items:
            if item.split == split:
                report.add(item)
        report.print(args.errors)


if __name__ == "__main__":
    main()
