"""Everything about reading one language, behind one object chosen by locale.

The answer readers, the case questions and the analyzer of the user's own account all read
dates and sums through `Context.language`, so a second locale is its catalog (sentences and
reply vocabulary in `locale/<locale>/`) plus a `Language` with its own readers here. Chinese
(zh_CN) is the only full locale; another one gets the catalog's words and no account analyzer
until it has readers of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from flows import amounts, dates
from flows.insight import Understand, understand_nothing


@dataclass(frozen=True)
class Language:
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


CHINESE = Language("zh_CN", dates.read_when, dates.find_dates, amounts.read_amount,
                   _chinese_analyzer)
LANGUAGES = {CHINESE.locale: CHINESE}


@cache
def language_for(locale: str) -> Language:
    """The readers of `locale`; a locale without readers of its own reads no accounts."""
    found = LANGUAGES.get(locale)
    if found is not None:
        return found
    return Language(locale, dates.read_when, dates.find_dates, amounts.read_amount,
                    lambda: understand_nothing)
