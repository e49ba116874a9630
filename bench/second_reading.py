"""A blind second reading of the theme labels on a seeded sample of dev and train rows.

`sample` writes the sampled real texts (source, row, the car title for context, the text;
never a label) to a file outside the repository, in a seeded shuffled order so dev and train
rows are interleaved. The second labels are kept in `tests/data/labels_second.tsv`.
`agree` compares them with `tests/data/labels.tsv`: overall agreement, Cohen's kappa,
agreement per source and per split, and the confusion table (first reading x second reading).

    python bench/second_reading.py sample [--out /tmp/second_reading_texts.tsv]
    python bench/second_reading.py agree
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled_data import DATA, LABELS, SOURCES, shared_data_dir

from flows.tables import table_rows

SECOND = DATA / "labels_second.tsv"
SEED = 20261206
TRAIN_PER_SOURCE = {"315che": 120, "shopping": 50}
TITLE_COLUMN = {"315che": "诉求问题(标题)"}
DEFAULT_OUT = Path("/tmp/second_reading_texts.tsv")


def sampled_rows() -> list[tuple[str, int, str]]:
    """(source, row, split) of every dev real row and a stratified seeded draw of train real rows,
    in a seeded shuffled order. Reads only the source, row and split columns of labels.tsv."""
    dev: list[tuple[str, int, str]] = []
    train: dict[str, list[tuple[str, int, str]]] = {source: [] for source in TRAIN_PER_SOURCE}
    for fields in table_rows(LABELS):
        source, row, split = fields[0], int(fields[1]), fields[2]
        if split == "dev":
            dev.append((source, row, split))
        elif split == "train" and source in train:
            train[source].append((source, row, split))
    rng = random.Random(SEED)
    picked = list(dev)
    for source, count in TRAIN_PER_SOURCE.items():
        picked += rng.sample(sorted(train[source]), count)
    rng.shuffle(picked)
    return picked


def _raw_rows(source: str) -> list[dict[str, str]]:
    path = shared_data_dir() / SOURCES[source][0]
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _flat(value: str) -> str:
    return " ".join(value.replace("\t", " ").split())


def sample(out: Path) -> None:
    rows = {source: _raw_rows(source) for source in SOURCES}
    lines = ["source\trow\ttitle\ttext"]
    for source, row, _split in sampled_rows():
        record = rows[source][row]
        title = record.get(TITLE_COLUMN.get(source, ""), "") or "-"
        lines.append(f"{source}\t{row}\t{_flat(title)}\t{_flat(record[SOURCES[source][1]])}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} texts written to {out}")


def _read_second() -> dict[tuple[str, int], tuple[str, str]]:
    return {(source, int(row)): (theme, topic)
            for source, row, theme, topic in table_rows(SECOND)}


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two readings given as (first, second) pairs."""
    total = len(pairs)
    observed = sum(first == second for first, second in pairs) / total
    firsts = Counter(first for first, _ in pairs)
    seconds = Counter(second for _, second in pairs)
    expected = sum(firsts[code] * seconds[code] for code in firsts) / total**2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def _share(pairs: list[tuple[str, str]]) -> str:
    same = sum(first == second for first, second in pairs)
    return f"{same}/{len(pairs)} = {same / len(pairs):.1%}"


def agree() -> None:
    second = _read_second()
    first: dict[tuple[str, int], tuple[str, str, str]] = {}
    for fields in table_rows(LABELS):
        key = (fields[0], int(fields[1]))
        if key in second:
            first[key] = (fields[2], fields[3], fields[4])
    missing = sorted(set(second) - set(first))
    if missing:
        raise SystemExit(f"second labels for rows not in labels.tsv: {missing[:5]}")
    keys = sorted(second)
    pairs = [(first[key][1], second[key][0]) for key in keys]
    print(f"rows compared: {len(keys)}")
    print(f"theme agreement: {_share(pairs)}, Cohen's kappa {cohen_kappa(pairs):.3f}")
    topic_pairs = [(first[key][2], second[key][1]) for key in keys]
    print(f"out-of-scope agreement: {_share(topic_pairs)}")
    for name, index in (("source", 0), ("split", 1)):
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, pair in zip(keys, pairs, strict=True):
            group = key[0] if index == 0 else first[key][0]
            groups.setdefault(group, []).append(pair)
        for group, group_pairs in sorted(groups.items()):
            print(f"  {name} {group}: {_share(group_pairs)}, kappa {cohen_kappa(group_pairs):.3f}")
    codes = sorted({code for pair in pairs for code in pair})
    counts = Counter(pairs)
    width = max(len(code) for code in codes) + 1
    print("\nconfusion (rows: first reading, labels.tsv; columns: second reading)")
    print(" " * width + "".join(f"{code[:8]:>9}" for code in codes) + f"{'total':>9}")
    for code in codes:
        cells = [counts[(code, other)] for other in codes]
        print(f"{code:<{width}}" + "".join(f"{cell:>9}" for cell in cells) + f"{sum(cells):>9}")
    print(f"{'total':<{width}}" + "".join(f"{sum(counts[(a, b)] for a in codes):>9}" for b in codes)
          + f"{len(pairs):>9}")
    print("\ndisagreements (source, row, split: first -> second)")
    for key, (one, two) in zip(keys, pairs, strict=True):
        if one != two:
            print(f"  {key[0]}\t{key[1]}\t{first[key][0]}\t{one} -> {two}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sample_command = commands.add_parser("sample", help="write the sampled texts, without labels")
    sample_command.add_argument("--out", type=Path, default=DEFAULT_OUT)
    commands.add_parser("agree", help="compare the second labels with labels.tsv")
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.out)
    else:
        agree()


if __name__ == "__main__":
    main()
