"""Development figures for the "not a 12315 matter" detector, on the train and dev texts.

Prints, per group of texts: recall per other body (the body named by the analyzer equals the
label), redirects to the wrong body, the precision of redirects, the false-alarm rate on
ordinary complaints (any redirect on a text labelled in scope) and how many ordinary texts
got a note instead. Groups: the written training-only texts, the old written cases, each
real source, and all together.

    .venv/bin/python bench/scope.py [--errors]

These are DEVELOPMENT figures: the word lists, patterns and guards of
flows/understanding/scope.py were tuned on exactly these texts. The test split is never
read here; bench/evaluate.py --split test reports it once per release.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from labelled_data import LabelledText, load_all  # noqa: E402

from flows.understanding import analyze  # noqa: E402
from flows.vocabulary import OUT_OF_SCOPE_TOPICS  # noqa: E402

DEVELOPMENT_SPLITS = ("train", "dev")


@dataclass
class Tally:
    """Counts for one group of texts."""

    cases: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    wrong_body: int = 0
    redirects: int = 0
    right_redirects: int = 0
    ordinary: int = 0
    alarms: int = 0
    noted: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, item: LabelledText) -> None:
        insight = analyze(item.text, item.today)
        predicted = insight.out_of_scope.topic if insight.out_of_scope else None
        if predicted:
            self.redirects += 1
            self.right_redirects += predicted == item.out_of_scope
        if item.out_of_scope is None:
            self.ordinary += 1
            self.alarms += predicted is not None
            self.noted += predicted is None and bool(insight.notes)
            if predicted:
                self.errors.append(f"false alarm {predicted} {insight.out_of_scope.keywords} | {item.text[:90]}")
            return
        self.cases[item.out_of_scope] += 1
        self.found[item.out_of_scope] += predicted == item.out_of_scope
        if predicted != item.out_of_scope:
            self.wrong_body += predicted is not None
            self.errors.append(f"missed {item.out_of_scope} -> {predicted} | {item.text[:90]}")


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    -  "


def group_of(item: LabelledText) -> str:
    if item.source != "written":
        return item.source
    return "written-train-only" if item.trade is not None else "written-old-set"


def report(name: str, tally: Tally, show_errors: bool) -> None:
    total_cases = sum(tally.cases.values())
    total_found = sum(tally.found.values())
    print(f"\n== {name}: {total_cases} out-of-scope cases, {tally.ordinary} ordinary complaints")
    if total_cases:
        per_body = "  ".join(f"{topic} {tally.found[topic]}/{tally.cases[topic]}"
                             for topic in OUT_OF_SCOPE_TOPICS if tally.cases[topic])
        print(f"recall {total_found}/{total_cases} = {percent(total_found, total_cases)}   ({per_body})")
        print(f"sent to the wrong body: {tally.wrong_body}")
    if tally.redirects:
        print(f"redirect precision {tally.right_redirects}/{tally.redirects} = "
              f"{percent(tally.right_redirects, tally.redirects)}")
    if tally.ordinary:
        print(f"false alarms {tally.alarms}/{tally.ordinary} = {percent(tally.alarms, tally.ordinary)}; "
              f"a note instead: {tally.noted}")
    if show_errors:
        for line in tally.errors:
            print("   ", line)


def merged(tallies: Iterable[Tally]) -> Tally:
    """One tally adding up several groups."""
    total = Tally()
    for tally in tallies:
        total.cases += tally.cases
        total.found += tally.found
        for name in ("wrong_body", "redirects", "right_redirects", "ordinary", "alarms", "noted"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    arguments = parser.parse_args()
    items = [item for item in load_all() if item.split in DEVELOPMENT_SPLITS]
    groups: dict[str, Tally] = {}
    for item in items:
        groups.setdefault(group_of(item), Tally()).add(item)
    print("DEVELOPMENT figures (splits: " + ", ".join(DEVELOPMENT_SPLITS) +
          "; the scope word lists and guards were tuned on these texts)")
    for name in sorted(groups):
        report(name, groups[name], arguments.errors)
    report("all train + dev", merged(groups.values()), False)


if __name__ == "__main__":
    main()
