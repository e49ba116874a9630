"""The word cues the advice rules look for, read once from `data/cues.tsv`.

Chinese vocabulary is data, not code: a cue is a name and one or more regular expressions,
so a rule names `mentions("prepaid")` and the words behind it can grow without touching logic.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flows.numerals import parse_number

CUES_FILE = Path(__file__).resolve().parent / "data" / "cues.tsv"


@cache
def cue_patterns(path: Path = CUES_FILE) -> dict[str, tuple[re.Pattern[str], ...]]:
    """cue name -> its patterns, one per line (kept apart so each may name its own groups)."""
    parts: dict[str, list[re.Pattern[str]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, pattern = line.partition("\t")
        if not sep or not pattern.strip():
            raise ValueError(f"{path.name}:{number}: expected <name> TAB <pattern>")
        parts.setdefault(name.strip(), []).append(re.compile(pattern.strip()))
    return {name: tuple(alternatives) for name, alternatives in parts.items()}


def patterns(name: str) -> tuple[re.Pattern[str], ...]:
    """The patterns of one cue; an unknown name is a bug in a rule, so it raises."""
    table = cue_patterns()
    if name not in table:
        raise KeyError(f"no cue named {name!r} in {CUES_FILE.name}")
    return table[name]


def find(name: str, text: str) -> str | None:
    """The first words of `text` that match cue `name`, or None."""
    for compiled in patterns(name):
        match = compiled.search(text)
        if match:
            return match.group(0)
    return None


def numbers(name: str, text: str) -> list[float]:
    """Every number a `*_number` cue captures in `text` (its groups named n, n2 …), in order."""
    found: list[tuple[int, float]] = []
    for compiled in patterns(name):
        for match in compiled.finditer(text):
            for key, value in match.groupdict().items():
                parsed = parse_number(value) if key.startswith("n") and value else None
                if parsed is not None:
                    found.append((match.start(), parsed))
    return [value for _, value in sorted(found)]


CARD_TERMS_FILE = Path(__file__).resolve().parent / "data" / "card_terms.tsv"


@cache
def card_terms(path: Path = CARD_TERMS_FILE) -> tuple[tuple[str, float, re.Pattern[str]], ...]:
    """(role, months, pattern) per line of `data/card_terms.tsv`, in file order."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2].strip():
            raise ValueError(f"{path.name}:{number}: expected <role> TAB <months> TAB <pattern>")
        rows.append((parts[0].strip(), float(parts[1]), re.compile(parts[2].strip())))
    return tuple(rows)


def months(role: str, text: str) -> float | None:
    """The months a time-based card's `role` ("total", "used", "left") comes to in `text`:
    the first line of that role that matches, its months × the number it captures, if any."""
    for name, unit, compiled in card_terms():
        if name != role:
            continue
        match = compiled.search(text)
        if not match:
            continue
        said = match.groupdict().get("n")
        if said is None:
            return unit
        count = parse_number(said)
        if count:
            return unit * count
    return None
