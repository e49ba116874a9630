"""Numbers as people write them, shared by the questions, the draft and the complaint text."""

from __future__ import annotations


def money(amount: float) -> str:
    """1299.0 → '1299', 1299.5 → '1299.50': how people write sums of yuan."""
    return f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"
