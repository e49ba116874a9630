"""Finds the purchase date in an account, resolved against `today`.

Absolute forms (2025年10月1日, 2025-10-01, 2025.10.1, 25年10月1日, 十月一日, 10月1号),
relative ones (今天, 昨天, 前天, 大前天, 3天前, 上周三, 上个月15号, 去年双十一) and a few
shopping days (国庆节, 双十一, 618). A date without a year is the latest such date not after
`today`; a date after `today` is dropped. A date counts as the purchase date only when a
purchase word follows it in the same stretch of text ("10月1号在三里屯买的") or announces it
("购于", "入住当天是"), so fault, repair and delivery dates are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flows.numerals import CHINESE_DIGITS, parse_small_integer
from flows.parsing import latest_past, safe_date

_N = r"[0-9零〇一二两三四五六七八九十]{1,3}"
_YEAR = r"(?:\d{4}|\d{2}|[零〇一二三四五六七八九]{4})"
_DAY_END = r"(?:日|号)?"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
             "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_HOLIDAY_NAMES = r"国庆节|国庆|双十一|双11|双十二|双12|元旦|圣诞节|情人节|劳动节|五一|618"
_HOLIDAYS = {"国庆节": (10, 1), "国庆": (10, 1), "双十一": (11, 11), "双11": (11, 11),
             "双十二": (12, 12), "双12": (12, 12), "元旦": (1, 1), "圣诞节": (12, 25),
             "情人节": (2, 14), "劳动节": (5, 1), "五一": (5, 1), "618": (6, 18)}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(rf"(?P<y>{_YEAR})\s*年\s*(?P<m>{_N})\s*月\s*(?P<d>{_N})\s*{_DAY_END}")),
    ("ymd", re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d.])\s*(?:日|号)?")),
    ("rel_year", re.compile(rf"(?P<r>今年|去年|前年)\s*(?P<m>{_N})\s*月\s*(?P<d>{_N})\s*{_DAY_END}")),
    ("rel_year_holiday", re.compile(rf"(?P<r>今年|去年|前年)\s*的?(?P<h>{_HOLIDAY_NAMES})")),
    ("rel_month", re.compile(rf"(?P<r>上个月|上月|这个月|本月)\s*(?P<d>{_N})\s*(?:日|号)")),
    ("md", re.compile(rf"(?<![\d年.])(?P<m>{_N})\s*月\s*(?P<d>{_N})\s*(?:日|号)")),
    ("md", re.compile(r"(?<![\d.])(?P<m>\d{1,2})\.(?P<d>\d{1,2})\s*(?:日|号)")),
    ("md_buy", re.compile(r"(?<![\d.\-/])(?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?=\s*(?:买|购|下单|提车|入住))")),
    ("weekday", re.compile(r"(?P<r>上上|上|这|本)?\s*(?:个)?(?:周|星期|礼拜)(?P<w>[一二三四五六日天1-7])")),
    ("days_ago", re.compile(r"(?P<n>[0-9一二两三四五六七八九十]{1,3})\s*天(?:前|之前|以前)")),
    ("relative_day", re.compile(r"大前天|前天|昨天|昨日|今天|今日")),
    # 五一 and 618 are also plain numbers, so they need a shopping word right after them.
    ("holiday", re.compile(r"国庆节|国庆|双十一|双11|双十二|双12|元旦|圣诞节|情人节|劳动节|"
                           r"(?:五一|618)(?=大促|活动|期间|当天|那天|买|购|抢)")),
)

_RELATIVE_DAYS = {"大前天": 3, "前天": 2, "昨天": 1, "昨日": 1, "今天": 0, "今日": 0}
_PURCHASE_AFTER = re.compile(
    r"买|购|下单|下的单|订|提车|提的车|办|交|付款|支付|付了|充值|报名|签|入住|消费|吃饭|"
    r"用餐|就餐|保养|拍下|团购|抢"
)
_PURCHASE_BEFORE = re.compile(r"(购买于|购于|买于|购车于|购买日期|购买时间|下单时间|提车时间|"
                              r"购车时间|入住当天是|入住时间|消费时间|购买日期为|购买时间为)\s*[:：是为]?\s*$")
_NOT_PURCHASE_BEFORE = re.compile(r"(生产日期|生产于|保质期|有效期|到期|出厂日期|生产)\s*[:：是为至到]?\s*$")
_SEGMENT_END = re.compile(r"[。！？!?;；\n]")


@dataclass(frozen=True)
class DateMention:
    """A date in the text, resolved to a calendar day."""

    day: date
    start: int
    end: int
    relative: bool


def _year_of(text: str) -> int | None:
    if text.isdigit():
        year = int(text)
        return year + 2000 if year < 100 else year
    if all(char in CHINESE_DIGITS for char in text):
        return int("".join(str(CHINESE_DIGITS[char]) for char in text))
    return None


def _resolve(kind: str, match: re.Match[str], today: date) -> date | None:
    groups = match.groupdict()
    if kind == "ymd":
        year = _year_of(groups["y"])
        month, day = parse_small_integer(groups["m"]), parse_small_integer(groups["d"])
        return safe_date(year, month, day) if year and month and day else None
    if kind == "rel_year":
        offset = {"今年": 0, "去年": 1, "前年": 2}[groups["r"]]
        month, day = parse_small_integer(groups["m"]), parse_small_integer(groups["d"])
        return safe_date(today.year - offset, month, day) if month and day else None
    if kind == "rel_year_holiday":
        offset = {"今年": 0, "去年": 1, "前年": 2}[groups["r"]]
        month, day = _HOLIDAYS[groups["h"]]
        return safe_date(today.year - offset, month, day)
    if kind == "rel_month":
        day = parse_small_integer(groups["d"])
        if not day:
            return None
        if groups["r"] in ("上个月", "上月"):
            first = today.replace(day=1) - timedelta(days=1)
            return safe_date(first.year, first.month, day)
        return safe_date(today.year, today.month, day)
    if kind in ("md", "md_buy"):
        month, day = parse_small_integer(groups["m"]), parse_small_integer(groups["d"])
        return latest_past(month, day, today) if month and day else None
    if kind == "weekday":
        weekday = _WEEKDAYS[groups["w"]]
        monday = today - timedelta(days=today.weekday())
        prefix = groups["r"] or ""
        if prefix == "上":
            return monday - timedelta(days=7) + timedelta(days=weekday)
        if prefix == "上上":
            return monday - timedelta(days=14) + timedelta(days=weekday)
        if prefix in ("这", "本"):
            return monday + timedelta(days=weekday)
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    if kind == "days_ago":
        count = parse_small_integer(groups["n"])
        return today - timedelta(days=count) if count is not None else None
    if kind == "relative_day":
        return today - timedelta(days=_RELATIVE_DAYS[match.group(0)])
    if kind == "holiday":
        month, day = _HOLIDAYS[match.group(0)]
        return latest_past(month, day, today)
    return None


def find_dates(text: str, today: date) -> list[DateMention]:
    """Every date mentioned, in order, without overlaps; future dates are dropped."""
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            day = _resolve(kind, match, today)
            if day is None or day > today:
                continue
            relative = kind not in ("ymd",)
            mentions.append(DateMention(day, start, end, relative))
    return sorted(mentions, key=lambda mention: mention.start)


def _is_purchase(text: str, mention: DateMention, next_start: int) -> bool:
    before = text[max(0, mention.start - 12):mention.start]
    if _NOT_PURCHASE_BEFORE.search(before):
        return False
    if _PURCHASE_BEFORE.search(before):
        return True
    stretch = text[mention.end:next_start]
    sentence_end = _SEGMENT_END.search(stretch)
    if sentence_end:
        stretch = stretch[:sentence_end.start()]
    return bool(_PURCHASE_AFTER.search(stretch[:40]))


def find_purchase_date(text: str, today: date) -> tuple[DateMention, float] | None:
    """The first date that the text ties to the purchase, with a confidence."""
    mentions = find_dates(text, today)
    for index, mention in enumerate(mentions):
        next_start = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
        if _is_purchase(text, mention, next_start):
            return mention, (0.8 if mention.relative else 0.9)
    return None
