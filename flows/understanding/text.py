"""Normalises an account so that full-width digits and letters read like ASCII ones.

The mapping is one character for one character, so a span found in the normalised text
is also the span in what the user typed.
"""

from __future__ import annotations

from flows.understanding.resources import lower_ascii

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
_FULL_WIDTH[0xFFE5] = ord("¥")

CLAUSE_BREAKS = frozenset(",.!?;:，。！？；：、\n\r~…()（）[]【】\"“”'‘’ ")


def half_width(text: str) -> str:
    """Full-width ASCII forms (１２９９, ＲＭＢ, ，) become their ASCII twins; length is kept."""
    return text.translate(_FULL_WIDTH)


def normalise(text: str) -> str:
    """Half-width and lower-case ASCII: the form every matcher works on."""
    return lower_ascii(half_width(text))


def clause_bounds(text: str, position: int) -> tuple[int, int]:
    """Start and end of the clause (between punctuation) that holds `position`."""
    start = position
    while start > 0 and text[start - 1] not in CLAUSE_BREAKS:
        start -= 1
    end = position
    while end < len(text) and text[end] not in CLAUSE_BREAKS:
        end += 1
    return start, end
