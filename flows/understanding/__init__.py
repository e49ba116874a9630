"""Reads a consumer's own account: suggests 12315 themes, spots matters for other bodies,
and pulls out the facts the complaint form asks for.

`analyze` conforms to `flows.insight.Understand`; everything is pure apart from reading
the package's own data files, once, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flows.understanding.analyzer import analyze

__all__ = ["analyze"]


def __getattr__(name: str) -> Any:
    """`analyze` is imported on first use: the package's small modules (text, resources) are
    also used where no account is read, and should not bring the whole analyzer with them."""
    if name == "analyze":
        from flows.understanding.analyzer import analyze

        return analyze
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
