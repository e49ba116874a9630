"""The tab-separated tables shipped in the packages' `data/` folders: word lists and names are
data, not code, and every table is read the same way."""

from __future__ import annotations

from pathlib import Path


def table_rows(path: Path) -> list[list[str]]:
    """The lines of a table that are neither blank nor comments ("#…"), split on tabs, each
    cell stripped."""
    return [[cell.strip() for cell in line.split("\t")]
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
