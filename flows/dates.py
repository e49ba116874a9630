"""The one reader of dates as people write them, shared by the answer readers and the analyzer.

Absolute days (2025年10月1日, 2025-10-01, 2025.10.1, 25年10月1日, 十月一日, 10月1号, 10.11中午),
relative ones (今天, 昨天, 3天前, 上周三, 上礼拜, 星期五, 这周一, 上个月15号, 去年10月1日), shopping
festivals (双十一, 618, 年货节) and whole months (2025年10月, 24年5月, 去年十月份, 十月份, 上个月).
A date without a year is the latest such date not after `today`; a relative or festival date
is never resolved into the future. An explicit date after `today` is still returned by
`read_when` (marked `future`) so that the caller can say so; `find_dates` drops it.

A month is kept as a month: its value is "2025-10" (a day keeps "2025-10-01", so
`date.fromisoformat` still reads every day-precision value).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from flows.numerals import CHINESE_DIGITS, parse_small_integer

DATA_DIR = Path(__file__).resolve().parent / "data"

_N = r"[0-9零〇一二两三四五六七八九十]{1,3}"
_YEAR = r"(?:\d{4}|\d{2}|[零〇一二三四五六七八九]{4})"
_DAY_END = r"(?:日|号)?"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
             "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_REL_YEAR = {"今年": 0, "去年": 1, "前年": 2}
_RELATIVE_DAYS = {"大前天": 3, "前天": 2, "昨天": 1, "昨日": 1, "今天": 0, "今日": 0,
                  "明天": -1, "后天": -2,
                  # a part of the day: 昨晚 is yesterday, 今早 today
                  "前晚": 2, "昨晚": 1, "昨儿": 1, "昨早": 1, "昨夜": 1, "今早": 0, "今晚": 0,
                  "今儿": 0}
_WEEK = r"(?:周|星期|礼拜|个星期|个礼拜|个周)"
_COUNT = r"[1-9]|1[0-2]|[一两二三四五六七八九十]|十[一二]"  # weeks or months back
_AGO = r"(?:前|之前|以前)"


@dataclass(frozen=True)
class Festival:
    """A shopping day people name instead of a date: a fixed day, or a month (年货节)."""

    month: int
    day: int | None  # None: the festival spans the month, so it is kept as a month
    needs_cue: bool  # 五一 and 618 are plain numbers too: only with a shopping word after


@cache
def festivals() -> dict[str, Festival]:
    """name -> Festival, from data/festivals.tsv."""
    table: dict[str, Festival] = {}
    for line in (DATA_DIR / "festivals.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, month, day, cue = (cell.strip() for cell in line.split("\t"))
        table[name] = Festival(int(month), int(day) if day != "-" else None, cue == "cue")
    return table


@cache
def _festival_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(any festival name, festival name standing where a date is expected)."""
    names = sorted(festivals(), key=len, reverse=True)
    plain = [re.escape(n) for n in names if not festivals()[n].needs_cue]
    cued = [re.escape(n) for n in names if festivals()[n].needs_cue]
    shopping = r"(?=大促|活动|期间|当天|那天|的时候|买|购|抢|下单|搞活动)"
    anywhere = re.compile(rf"(?:{'|'.join(plain)})|(?:{'|'.join(cued)}){shopping}")
    return anywhere, re.compile("|".join(re.escape(n) for n in names))


@dataclass(frozen=True)
class When:
    """A date read from text: a day, or a whole month; `approximate` for 大概/上礼拜."""

    day: date  # the day itself, or the first of the month
    precision: str = "day"  # "day" | "month"
    approximate: bool = False
    relative: bool = False  # resolved against today (昨天, 上周三, 双十一)
    future: bool = False  # an explicit date after today
    start: int = 0
    end: int = 0

    @property
    def value(self) -> str:
        """What the draft stores: "2025-10-01" for a day, "2025-10" for a month."""
        return self.day.isoformat() if self.precision == "day" else self.day.isoformat()[:7]

    @property
    def last_day(self) -> date:
        """The latest day this reading may mean (the month's last day for a month)."""
        if self.precision == "day":
            return self.day
        following = (self.day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)


def stored_day(value: str) -> date:
    """The day a stored value stands for: "2025-10-01" itself, "2025-10" its first day."""
    return date.fromisoformat(value if len(value) > 7 else f"{value}-01")


def is_month_value(value: str) -> bool:
    """True for a stored month ("2025-10"), False for a day ("2025-10-01")."""
    return re.fullmatch(r"\d{4}-\d{2}", value) is not None


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when the day does not exist (2月30日)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def latest_past(month: int, day: int, today: date) -> date | None:
    """A month and day without a year: the latest such date not after today."""
    for year in (today.year, today.year - 1, today.year - 2):
        candidate = safe_date(year, month, day)
        if candidate and candidate <= today:
            return candidate
    return None


def latest_past_month(month: int, today: date) -> date | None:
    """A month without a year: the first day of the latest such month that has begun."""
    if not 1 <= month <= 12:
        return None
    year = today.year if month <= today.month else today.year - 1
    return date(year, month, 1)


def year_of(text: str) -> int | None:
    """'2025' → 2025, '25' → 2025, '二〇二五' → 2025."""
    if text.isdigit():
        year = int(text)
        return year + 2000 if year < 100 else year
    if all(char in CHINESE_DIGITS for char in text):
        return int("".join(str(CHINESE_DIGITS[char]) for char in text))
    return None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_TIME_OF_DAY = r"(?=\s*(?:早上|上午|中午|下午|晚上|傍晚|凌晨|那天|当天|左右|前后|的时候))"
# What was done on a day written without 日 ("5.20签的合同", "上个月十八买的"): a date then
_DONE_THAT_DAY = r"(?=\s*(?:买|购|下单|签|订|交钱|交的|付的|付款|办的|办了|报名|提车|入住|开工|装修|在|去))"
# (kind, pattern), most specific first; a span taken by one is not read again by a later one.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(rf"(?P<y>{_YEAR})\s*年\s*的?\s*(?P<m>{_N})\s*月+\s*(?P<d>{_N})\s*{_DAY_END}")),
    ("ymd", re.compile(r"(?<![\d.])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d.])"
                       r"\s*(?:日|号)?")),
    ("ym", re.compile(rf"(?P<y>{_YEAR})\s*年\s*的?\s*(?P<m>{_N})\s*月(?:份)?(?!\s*[0-9零〇一二两三四五六七八九十])")),
    ("rel_year_part", re.compile(r"(?P<r>今年|去年|前年)\s*的?\s*(?P<p>年初|年中|年底|年末|年尾)")),
    ("ym", re.compile(r"(?<![\d.])(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?![\d./\-])(?!\s*[号日元块])")),
    ("rel_year", re.compile(rf"(?P<r>今年|去年|前年)\s*的?\s*(?P<m>{_N})\s*月\s*(?P<d>{_N})\s*"
                            rf"{_DAY_END}")),
    ("rel_year_month", re.compile(rf"(?P<r>今年|去年|前年)\s*的?\s*(?P<m>{_N})\s*月(?:份)?")),
    ("rel_year_festival", re.compile(r"(?P<r>今年|去年|前年)\s*的?\s*(?P<h>FESTIVALS)")),
    ("rel_month", re.compile(rf"(?P<r>上个月|上月|这个月|本月)\s*的?\s*(?P<d>{_N})\s*(?:日|号)")),
    # "上个月十八": a day without 号, when nothing after makes the number a count
    ("rel_month", re.compile(rf"(?P<r>上个月|上月|这个月|本月)\s*的?\s*(?P<d>{_N})"
                             rf"(?:{_DONE_THAT_DAY}|{_TIME_OF_DAY}|(?=\s*(?:$|[，,。!！?？；;])))")),
    ("rel_month_only", re.compile(r"(?P<r>上上个月|上个月|上月|这个月|本月)(?:初|底|中|末)?")),
    ("md", re.compile(rf"(?<![\d年.])(?P<m>{_N})\s*月+\s*(?P<d>{_N})\s*(?:日|号)")),
    ("md", re.compile(r"(?<![\d.])(?P<m>\d{1,2})\.(?P<d>\d{1,2})\s*(?:日|号)")),
    ("md", re.compile(r"(?<![\d.])(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.])" + _TIME_OF_DAY)),
    ("md", re.compile(r"(?<![\d.])(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.])" + _DONE_THAT_DAY)),
    ("md", re.compile(r"(?<![\d.\-/])(?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?![\d.\-/])"
                      r"(?=\s*(?:买|购|下单|提车|入住|号|日))")),
    ("md", re.compile(rf"(?<![\d年.])(?P<m>{_N})\s*月\s*(?P<d>{_N})(?=\s*(?:买|购|下单|在|,|，|$))")),
    # not a count of weeks ("穿了三周一直跑绒") nor the 一 of another word (一直, 一样, 一起)
    ("weekday", re.compile(rf"(?P<r>上上|上|这|本)?\s*(?<![一二两三四五六七八九十几\d]){_WEEK}"
                           r"(?P<w>[一二三四五六日天1-7])(?![直样起共般定下点些切次遍边])")),
    ("week", re.compile(r"(?P<r>上上|上)\s*(?:个)?(?:周|星期|礼拜)")),
    ("days_ago", re.compile(r"(?P<n>[0-9一二两三四五六七八九十]{1,3})\s*天(?:前|之前|以前)")),
    # spoken spans back from today: 两周前, 半个月前, 一个多月前, 半年前, 一年前, 前几天
    ("weeks_ago", re.compile(rf"(?<![\d.])(?P<n>{_COUNT})\s*{_WEEK}多?{_AGO}")),
    ("half_month_ago", re.compile(rf"半个多?月{_AGO}")),
    ("months_ago", re.compile(rf"(?<![\d.])(?P<n>{_COUNT})\s*个多?月{_AGO}")),
    ("half_year_ago", re.compile(rf"半年多?{_AGO}")),
    ("years_ago", re.compile(rf"(?<![\d.])(?P<n>[一两二三四五1-5])\s*年多?{_AGO}")),
    ("few_days_ago", re.compile(r"前几天|几天前|前些天")),
    ("relative_day", re.compile(r"大前天|前天|昨天|昨日|今天|今日|前晚|昨晚|昨儿|昨早|昨夜|今早|今晚|今儿")),
    ("month_only", re.compile(rf"(?<![\d年.])(?P<m>{_N})\s*月份")),
    ("festival", re.compile("FESTIVALS_ANYWHERE")),
)
# Answers are short: a lone "10月", "15号", "10.11" or "五一" there can only be a date.
_ANSWER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(r"^\s*(?P<y>\d{2})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})\s*$")),
    ("md", re.compile(r"^\s*(?P<m>\d{1,2})[./\-](?P<d>\d{1,2})\s*$")),
    ("days_ago", re.compile(r"前(?P<n>[两二三四五六七八九2-9])天")),
    ("month_only", re.compile(rf"(?<![\d年.])(?P<m>{_N})\s*月(?!\s*[0-9零〇一二两三四五六七八九十])")),
    # "1号楼", "3号线", "5号门" are places, not days
    ("day_only", re.compile(rf"(?<![\d月.])(?P<d>{_N})\s*(?:号|日)"
                            r"(?!\s*(?:楼|线|院|门|店|厅|馆|房|室|位|床|口|车厢|库|柜|铺|摊|窗))")),
    ("festival", re.compile("FESTIVALS_ALL")),
    # "月初", "月中旬": this month's part, or last month's when it has not come yet
    ("month_part", re.compile(r"(?<![\d个上这本年])月(?P<p>初|中旬|中|下旬|底|末)")),
)
_APPROXIMATE = re.compile(r"大概|大约|差不多|好像|应该是|左右|前后|记不清|不太记得|估计")


@cache
def _compiled(answer: bool) -> tuple[tuple[str, re.Pattern[str]], ...]:
    anywhere, every = _festival_patterns()
    names = "|".join(sorted((re.escape(n) for n in festivals()), key=len, reverse=True))
    patterns = []
    for kind, pattern in _PATTERNS + (_ANSWER_PATTERNS if answer else ()):
        source = pattern.pattern
        if source == "FESTIVALS_ANYWHERE":
            pattern = anywhere
        elif source == "FESTIVALS_ALL":
            pattern = every
        elif "FESTIVALS" in source:
            pattern = re.compile(source.replace("FESTIVALS", names))
        patterns.append((kind, pattern))
    return tuple(patterns)


def _resolve(kind: str, match: re.Match[str], today: date) -> When | None:
    """The reading of one match; `future` set when an explicit date lies after today."""
    groups = match.groupdict()
    span = {"start": match.start(), "end": match.end()}
    if kind == "ymd":
        year = year_of(groups["y"])
        month, day = parse_small_integer(groups["m"]), parse_small_integer(groups["d"])
        found = safe_date(year, month, day) if year and month and day else None
        return When(found, future=found > today, **span) if found else None
    if kind == "ym":
        year, month = year_of(groups["y"]), parse_small_integer(groups["m"])
        found = safe_date(year, month, 1) if year and month else None
        return When(found, "month", future=found > today, **span) if found else None
    if kind in ("rel_year", "rel_year_month", "rel_year_festival"):
        year = today.year - _REL_YEAR[groups["r"]]
        if kind == "rel_year_festival":
            festival = festivals()[groups["h"]]
            found = safe_date(year, festival.month, festival.day or 1)
            precision = "day" if festival.day else "month"
        else:
            month = parse_small_integer(groups["m"])
            day = parse_small_integer(groups["d"]) if kind == "rel_year" else 1
            found = safe_date(year, month, day) if month and day else None
            precision = "day" if kind == "rel_year" else "month"
        if found is None or found > today:
            return None
        return When(found, precision, relative=True, **span)
    if kind == "rel_year_part":
        month = {"年初": 1, "年中": 6}.get(groups["p"], 12)
        found = safe_date(today.year - _REL_YEAR[groups["r"]], month, 1)
        if found is None or found > today:
            return None
        return When(found, "month", approximate=True, relative=True, **span)
    if kind == "rel_month":
        day = parse_small_integer(groups["d"])
        first = today.replace(day=1)
        if groups["r"] in ("上个月", "上月"):
            first = (first - timedelta(days=1)).replace(day=1)
        found = safe_date(first.year, first.month, day) if day else None
        return When(found, relative=True, **span) if found and found <= today else None
    if kind == "rel_month_only":
        first = today.replace(day=1)
        for _ in range({"上上个月": 2, "上个月": 1, "上月": 1}.get(groups["r"], 0)):
            first = (first - timedelta(days=1)).replace(day=1)
        return When(first, "month", relative=True, **span)
    if kind == "md":
        month, day = parse_small_integer(groups["m"]), parse_small_integer(groups["d"])
        found = latest_past(month, day, today) if month and day else None
        return When(found, relative=True, **span) if found else None
    if kind == "month_only":
        month = parse_small_integer(groups["m"])
        found = latest_past_month(month, today) if month else None
        return When(found, "month", relative=True, **span) if found else None
    if kind == "day_only":
        day = parse_small_integer(groups["d"])
        first = today.replace(day=1)
        for _ in range(3):
            found = safe_date(first.year, first.month, day) if day else None
            if found and found <= today:
                return When(found, relative=True, **span)
            first = (first - timedelta(days=1)).replace(day=1)
        return None
    if kind == "weekday":
        weekday = _WEEKDAYS[groups["w"]]
        monday = today - timedelta(days=today.weekday())
        prefix = groups["r"] or ""
        if prefix in ("上", "上上"):
            found = monday - timedelta(days=7 * len(prefix)) + timedelta(days=weekday)
        elif prefix in ("这", "本"):
            found = monday + timedelta(days=weekday)
        else:
            found = today - timedelta(days=(today.weekday() - weekday) % 7)
        return When(found, relative=True, **span) if found <= today else None
    if kind == "week":
        weeks = 2 if groups["r"] == "上上" else 1
        return When(today - timedelta(days=7 * weeks), approximate=True, relative=True, **span)
    if kind == "days_ago":
        count = parse_small_integer(groups["n"])
        return When(today - timedelta(days=count), relative=True, **span) if count is not None \
            else None
    if kind in ("weeks_ago", "half_month_ago", "few_days_ago"):
        days = {"half_month_ago": 15, "few_days_ago": 3}.get(kind) or 7 * (
            parse_small_integer(groups["n"]) or 0)
        if not days:
            return None
        return When(today - timedelta(days=days), approximate=True, relative=True, **span)
    if kind in ("months_ago", "half_year_ago", "years_ago"):
        months = {"half_year_ago": 6}.get(kind) or (parse_small_integer(groups["n"]) or 0) * (
            12 if kind == "years_ago" else 1)
        if not months:
            return None
        back = today.year * 12 + today.month - 1 - months
        return When(date(back // 12, back % 12 + 1, 1), "month", approximate=True, relative=True,
                    **span)
    if kind == "month_part":
        starts = {"初": 1, "中": 11, "中旬": 11, "下旬": 21, "底": 21, "末": 21}[groups["p"]]
        first = today.replace(day=1)
        if today.day < starts:
            first = (first - timedelta(days=1)).replace(day=1)
        return When(first, "month", approximate=True, relative=True, **span)
    if kind == "relative_day":
        found = today - timedelta(days=_RELATIVE_DAYS[match.group(0)])
        return When(found, relative=True, **span)
    if kind == "festival":
        festival = festivals()[match.group(0)]
        if festival.day is None:
            found = latest_past_month(festival.month, today)
            return When(found, "month", relative=True, **span) if found else None
        found = latest_past(festival.month, festival.day, today)
        return When(found, relative=True, **span) if found else None
    return None


def _scan(text: str, today: date, answer: bool) -> list[When]:
    taken: list[tuple[int, int]] = []
    found: list[When] = []
    for kind, pattern in _compiled(answer):
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or any(start < o_end and o_start < end for o_start, o_end in taken):
                continue
            taken.append((start, end))
            when = _resolve(kind, match, today)
            if when is not None:
                found.append(when)
    return sorted(found, key=lambda when: when.start)


def find_dates(text: str, today: date) -> list[When]:
    """Every date mentioned in a longer text, in order, without overlaps; never a future one.

    Spans index `text` as given (fold full-width digits first with a length-keeping fold)."""
    return [when for when in _scan(text, today, answer=False) if not when.future]


def read_when(text: str, today: date) -> When | None:
    """The date a short answer gives, or None. Forms only an answer can use (a lone "15号",
    "10月", "10.11", "五一") are read too; 大概/好像 mark it approximate. An explicit future
    date comes back with `future` set; relative forms never resolve into the future."""
    folded = re.sub(r"\.{2,}", " ", _fold(text)).strip()  # "嗯…9月份": … folds to ...
    if not folded:
        return None
    if match := re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", folded):
        year, month, day = (int(part) if part else None for part in match.groups())
        found = safe_date(year, month, day or 1)
        if found is None:
            return None
        return When(found, "day" if day else "month", future=found > today)
    relative = next((word for word in sorted(_RELATIVE_DAYS, key=len, reverse=True)
                     if word in folded), None)
    approximate = bool(_APPROXIMATE.search(folded))
    found = _scan(folded, today, answer=True)
    if relative in ("明天", "后天") and not found:
        day = today - timedelta(days=_RELATIVE_DAYS[relative])
        return When(day, relative=True, future=True)
    if not found:
        if match := re.search(r"(?P<n>\d{1,3})\s*天(?:前|之前|以前)", folded):
            return When(today - timedelta(days=int(match.group("n"))), relative=True)
        return None
    best = max(found, key=lambda when: (when.precision == "day", -when.start))
    if approximate and not best.approximate:
        best = When(best.day, best.precision, True, best.relative, best.future, best.start,
                    best.end)
    return best
