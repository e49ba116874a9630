"""Reads a consumer's own account: suggests 12315 themes, spots matters for other bodies,
and pulls out the facts the complaint form asks for.

`analyze` conforms to `flows.insight.Understand`; everything is pure apart from reading
the package's own data files, once, on first use.
"""

from flows.understanding.analyzer import analyze

__all__ = ["analyze"]
