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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled_data import DATA, LABELS, SOURCES, shared_data_dir

SECOND = DATA / "labels_second.tsv"
SEED = 20261206
TRAIN_PER_SOURCE = {"315che": 120, "shopping": 50}
TITLE_COLUMN = {"315che": "诉求问题(标题)"}
DEFAULT_OUT = Path("/tmp/second_reading_texts.tsv")


def _label_lines() -> list[list[str]]:
    lines = LABELS.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def sampled_rows() -> list[tuple[str, int, str]]:
    """(source, row, split) of every dev real row and a stratified seeded draw of train real rows,
    in a seeded shuffled order. Reads only the source, row and split columns of labels.tsv."""
    dev: list[tuple[str, int, str]] = []
    train: dict[str, list[tuple[str, int, str]]] = {source: [] for source in TRAIN_PER_SOURCE}
    for fields in _label_lines():
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sample_command = commands.add_parser("sample", help="write the sampled texts, without labels")
    sample_command.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.out)


if __name__ == "__main__":
    main()
