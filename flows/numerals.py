"""Reads numbers written the ways people write them: 1299, 1,299.00, 一千二百九十九,
贰仟叁佰, 1.2万, 2万8, 三万八 (= 38 000), 一千二 (= 1 200), 二〇二五.
"""

from __future__ import annotations

import re

CHINESE_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7,
    "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

NUMBER_CHARS = "".join(CHINESE_DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
# One number as written: arabic parts (with thousands commas and decimals) and Chinese parts.
NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{NUMBER_CHARS}])+"
_PART = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?|[{NUMBER_CHARS}]")


def parse_number(text: str) -> float | None:
    """The value of one written number, or None when it is not one."""
    parts = _PART.findall(text)
    if not parts or "".join(parts) != text:
        return None
    if all(part in CHINESE_DIGITS for part in parts) and len(parts) > 1:
        return float("".join(str(CHINESE_DIGITS[part]) for part in parts))
    total = 0.0
    section = 0.0
    pending: float | None = None
    last_unit = 0
    for part in parts:
        if part in SMALL_UNITS:
            unit = SMALL_UNITS[part]
            section += (1.0 if pending is None else pending) * unit
            pending, last_unit = None, unit
        elif part in BIG_UNITS:
            unit = BIG_UNITS[part]
            section += pending or 0.0
            total += (section or 1.0) * unit
            section, pending, last_unit = 0.0, None, unit
        else:
            if pending is not None:
                return None
            pending = float(CHINESE_DIGITS[part]) if part in CHINESE_DIGITS else float(
                part.replace(",", ""))
    if pending is not None:
        # A bare digit after a unit is one step down: 三万八 = 38 000, 一千二 = 1 200.
        trailing_scale = last_unit / 10 if last_unit >= 100 and pending < 10 else 1
        section += pending * trailing_scale
    return total + section


def parse_small_integer(text: str) -> int | None:
    """Months, days and counts: 10, 十, 十二, 二十三, 三十一."""
    value = parse_number(text)
    if value is None or value != int(value):
        return None
    return int(value)
