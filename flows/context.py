"""What a step may know besides the session and the input: the text catalog, the clock, the analyzer.

Passing these in keeps the engine pure: tests choose the date, channels choose the locale.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from flows.catalog import Catalog
from flows.insight import Understand, understand_nothing
from flows.language import Language, language_for


class Context(msgspec.Struct, frozen=True):
    catalog: Catalog
    now: datetime
    understand: Understand = understand_nothing
    # the reply answers a question the user picked to change (from the edit summary): it is
    # that answer, never an account typed at the wrong question
    chosen: bool = False

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def language(self) -> Language:
        """The readers of the catalog's language (dates, sums, the account's analyzer)."""
        return language_for(self.catalog.locale)

    def t(self, key: str, /, **params: object) -> str:
        return self.catalog.text(key, **params)
