"""Readers for what people type: dates, sums of money, phone numbers.

Each returns the value or None; the field declarations turn None into a friendly,
specific message. Everything is NFKC-folded first, so full-width digits work too.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from flows.numerals import parse_number

# The numerals people type in answers; the rarer financial forms (壹, 贰 …) are read by
# flows.numerals too, but are not worth arabising inside ordinary sentences.
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def fold(text: str) -> str:
    """Half-width, trimmed text: '２０２５年１０月１日' becomes '2025年10月1日'."""
    return unicodedata.normalize("NFKC", text).strip()


def chinese_number(text: str) -> int | None:
    """'十二' → 12, '一千二百九十九' → 1299, '二〇二五' → 2025 (digit by digit), '一千二' → 1200;
    None for anything that is not a whole number written in Chinese numerals."""
    if not text or _CN_NUMBER.fullmatch(text) is None:
        return None
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) else None


def _arabize(text: str) -> str:
    """Replace runs of Chinese numerals by digits so one set of patterns reads both."""
    return _CN_NUMBER.sub(lambda m: str(chinese_number(m.group()) or m.group()), text)


_FULL_DATE = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_DAYS_AGO = re.compile(r"(\d{1,3})\s*天(?:以)?前")
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3,
                  "明天": -1, "后天": -2}


def parse_date(text: str, today: date) -> date | None:
    """A calendar date from the forms people use; a date without a year is the latest past one.

    Returns None when nothing readable is found or the day does not exist. Whether the date
    lies in the future is the caller's concern (it deserves its own message).
    """
    folded = fold(text)
    for word in sorted(_RELATIVE_DAYS, key=len, reverse=True):
        if word in folded:
            return today - timedelta(days=_RELATIVE_DAYS[word])
    folded = _arabize(folded)
    if match := _DAYS_AGO.search(folded):
        return today - timedelta(days=int(match.group(1)))
    if match := _FULL_DATE.search(folded):
        year, month, day = (int(part) for part in match.groups())
        return safe_date(year, month, day)
    if match := _MONTH_DAY.search(folded):
        return latest_past(int(match.group(1)), int(match.group(2)), today)
    return None


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when the day does not exist (2月30日)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def latest_past(month: int, day: int, today: date) -> date | None:
    """A month and day without a year: the latest such date not after today."""
    for year in (today.year, today.year - 1):
        candidate = safe_date(year, month, day)
        if candidate and candidate <= today:
            return candidate
    return None


_AMOUNT = re.compile(r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+)\s*(万|千)?")


def parse_amount(text: str) -> float | None:
    """Yuan from '1299', '1,299.00', '1299元', '¥1299', '1.2万', '一千二百九十九元'; else None."""
    folded = fold(text).replace("￥", "¥").replace(" ", "")
    match = _AMOUNT.search(folded)
    if match:
        value = float(match.group(1).replace(",", ""))
        scale = {"万": 10_000, "千": 1_000}.get(match.group(2) or "", 1)
        return round(value * scale, 2)
    cn = _CN_NUMBER.search(folded)
    if cn:
        value = chinese_number(cn.group())
        return float(value) if value else None
    return None


def amount_without_number(text: str) -> str:
    """What is left of '交通费200元' once the sum is taken out: '交通费'."""
    folded = fold(text)
    stripped = _AMOUNT.sub("", folded, count=1) if _AMOUNT.search(folded) else folded
    stripped = _CN_NUMBER.sub("", stripped, count=1) if stripped == folded else stripped
    return re.sub(r"^[\s,，:：]+|[\s,，。:：]+$", "", stripped.replace("元", "").replace("¥", ""))


_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?")


def parse_phone(text: str) -> str | None:
    """A mainland mobile (13812345678, +86 138 1234 5678) or landline with area code."""
    folded = fold(text).replace(" ", "").replace("(", "").replace(")", "")
    folded = folded.replace("（", "").replace("）", "").replace("转", "-")
    mobile = folded.replace("-", "")
    for prefix in ("+86", "0086", "86"):
        if mobile.startswith(prefix) and len(mobile) == len(prefix) + 11:
            mobile = mobile[len(prefix):]
    if _MOBILE.fullmatch(mobile):
        return mobile
    if _LANDLINE.fullmatch(folded):
        return folded
    return None
