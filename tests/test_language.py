"""Language sits behind one object chosen by locale: readers and the account's analyzer."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from flows.catalog import Catalog
from flows.context import Context
from flows.insight import Insight
from flows.language import CHINESE, language_for
from flows.model import Draft
from flows.readers import read_date

TODAY = date(2026, 11, 28)


def test_chinese_reads_dates_sums_and_accounts() -> None:
    language = language_for("zh_CN")
    assert language is CHINESE
    assert language.read_when("上礼拜三", TODAY).day == date(2026, 11, 18)
    assert language.read_amount("两千五") == 2500
    insight = language.understand("10月1号在三里屯买的鞋1299元，穿了两天就开胶了", TODAY)
    assert insight.facts["amount"].value == 1299


def test_a_locale_without_readers_of_its_own_reads_no_account() -> None:
    other = language_for("xx_XX")
    assert other.understand("anything at all", TODAY) == Insight()


def test_the_answer_readers_use_the_context_language(catalog: Catalog, monkeypatch) -> None:
    """Swap the language's date reader: the purchase-date question reads through it."""
    seen = []

    def spy(text: str, today: date):
        seen.append(text)
        return CHINESE.read_when(text, today)

    spying = msgspec.structs.replace(CHINESE, read_when=spy)
    monkeypatch.setattr("flows.context.language_for", lambda locale: spying)
    ctx = Context(catalog, datetime(2026, 11, 28, 10, 0))
    draft = Draft(number=1, created_at=ctx.now, updated_at=ctx.now, answers={"kind": "complaint"})
    assert read_date("前天", ctx, draft).value == "2026-11-26"
    assert seen == ["前天"]
