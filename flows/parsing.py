"""Readers for what people type: sums of money, phone numbers.

Each returns the value or None; the answer readers (`flows.readers`) turn None into a
friendly, specific message. Everything is NFKC-folded first, so full-width digits work too.
Sums are read by `flows.amounts`, the same reader the analyzer uses on a whole account; dates
by `flows.dates.read_when`, which the answer readers reach through the locale's language
(`flows.language`), since a date answer may name a month only.
"""

from __future__ import annotations

import re
import unicodedata

from flows.numerals import parse_number

# flows.amounts (many patterns to compile) is imported by the reader that uses it, with the
# first sum, not when the chat starts.

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


_AMOUNT = re.compile(r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+)\s*(万|千)?")


def amount_without_number(text: str) -> str:
    """What is left of '交通费200元' once the sum is taken out: '交通费'."""
    folded = fold(text)
    stripped = _AMOUNT.sub("", folded, count=1) if _AMOUNT.search(folded) else folded
    stripped = _CN_NUMBER.sub("", stripped, count=1) if stripped == folded else stripped
    for unit in ("块钱", "块", "元", "¥"):
        stripped = stripped.replace(unit, "")
    return re.sub(r"^[\s,，:：]+|[\s,，。:：]+$", "", stripped)


_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?")


# A run of digits that may be a phone number inside a sentence ("138 1234 5678", "010-8456转2").
PHONE_RUN = re.compile(r"[+\d][\d\s\-()（）转]{6,24}\d")


def parse_phone(text: str) -> str | None:
    """A mainland mobile (13812345678, +86 138 1234 5678) or landline with area code, alone or
    inside a sentence ("手机是138 1234 5678")."""
    whole = _phone_alone(text)
    if whole:
        return whole
    folded = fold(text)
    for candidate in PHONE_RUN.findall(folded):
        found = _phone_alone(candidate)
        if found:
            return found
    return None


def _phone_alone(text: str) -> str | None:
    # "010 84562237", "(010)84562237": the area code as written apart, kept apart by a hyphen
    folded = re.sub(r"^[(（]?(0\d{2,3})(?:[)）]\s*|\s+)(?=\d{7,8}\b)", r"\1-", fold(text).strip())
    folded = folded.replace(" ", "").replace("(", "").replace(")", "")
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
