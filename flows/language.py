"""Everything about reading one language, behind one object chosen by locale.

The answer readers, the case questions and the analyzer of the user's own account all read
dates and sums through `Context.language`, so a second locale is its catalog (sentences and
reply vocabulary in `locale/<locale>/`) plus a `Language` with its own readers here. Chinese
(zh_CN) is the only full locale; another one gets the catalog's words and no account analyzer
until it has readers of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

import msgspec

from flows.insight import Understand, understand_nothing

if TYPE_CHECKING:
    from flows import dates


class Language(msgspec.Struct, frozen=True):
    """The readers of one language: a date as an answer (`read_when`, a day or a month, never
    resolved into the future), every date in an account (`find_dates`), a sum (`read_amount`),
    and the analyzer of a whole account (`understand`, loaded only when first used)."""

    locale: str
    read_when: Callable[[str, date], dates.When | None]
    find_dates: Callable[[str, date], list[dates.When]]
    read_amount: Callable[[str], float | None]
    analyzer: Callable[[], Understand]

    @property
    def understand(self) -> Understand:
        return self.analyzer()


def _chinese_analyzer() -> Understand:
    """jieba and the theme model load with the first account, not at start-up."""
    try:
        from flows.understanding import analyze
    except ImportError:  # installed without the analyzer's data: the interview simply asks
        return understand_nothing
    return analyze


# The Chinese readers of dates and sums compile many patterns: they are imported with the
# first date or sum read, not when the chat starts.


def _read_when(text: str, today: date) -> dates.When | None:
    from flows.dates import read_when

    return read_when(text, today)


def _find_dates(text: str, today: date) -> list[dates.When]:
    from flows.dates import find_dates

    return find_dates(text, today)


def _read_amount(text: str) -> float | None:
    from flows.amounts import read_amount

    return read_amount(text)


CHINESE = Language("zh_CN", _read_when, _find_dates, _read_amount, _chinese_analyzer)
LANGUAGES = {CHINESE.locale: CHINESE}


@cache
def language_for(locale: str) -> Language:
    """The readers of `locale`; a locale without readers of its own reads no accounts."""
    found = LANGUAGES.get(locale)
    if found is not None:
        return found
    return Language(locale, _read_when, _find_dates, _read_amount, lambda: understand_nothing)
