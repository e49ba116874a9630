"""Reminders in the terminal chat: a closed terminal cannot be reached, so what fell due in
between is shown when the chat starts, once, and its options can be picked by number.

In-process, unlike tests/test_terminal.py, so the clock can be set: each "start" opens the
SQLite file afresh, as `complaint-bot chat` does, and types its lines through a StringIO.
"""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime, timedelta
from pathlib import Path

from test_terminal import GUIDE_EXAMPLE

from bot.service import ConversationService
from bot.storage import Storage
from bot.terminal import chat
from flows.case_view import day_text
from flows.catalog import Catalog, load_catalog
from flows.model import Session
from flows.reminders import plan

USER = "terminal:local"
# A Monday in a year whose official holidays the calendar knows (see tests/telegram too).
FILED_AT = datetime(2026, 11, 16, 10, 0)
CASE_NUMBER = "A20261116001"
ACCEPTANCE_DEADLINE = date(2026, 11, 25)  # the 7th working day after 16 November
ACCEPTANCE_DUE = datetime(2026, 11, 26, 10, 0)  # the morning after it


def start(database: Path, now: datetime, lines: list[str]) -> str:
    """One run of the terminal chat at `now`, typing `lines`; returns everything printed."""

    async def run() -> str:
        storage = await Storage.open(database)
        try:
            service = ConversationService(storage, load_catalog("zh_CN"), clock=lambda: now)
            out = io.StringIO()
            await chat(service, USER, io.StringIO("".join(f"{line}\n" for line in lines)), out)
            return out.getvalue()
        finally:
            await storage.close()

    return asyncio.run(run())


def stored(database: Path) -> Session:
    async def load() -> Session:
        storage = await Storage.open(database)
        try:
            return await storage.load(USER)
        finally:
            await storage.close()

    return asyncio.run(load())


def typed(line: str, catalog: Catalog) -> str:
    """How the terminal echoes a piped line; what follows it is the answer to that line."""
    return catalog.text("terminal.echo", text=line)


def test_an_idle_draft_is_reminded_at_the_next_start_and_only_once(tmp_path: Path,
                                                                    catalog: Catalog) -> None:
    t = catalog.text
    database = tmp_path / "x.sqlite3"
    idle = t("remind.idle", number=1, business=t("drafts.untitled"))

    first = start(database, FILED_AT, ["1"])  # 投诉, by its number: the draft has an answer
    assert t("field.for_whom.prompt") in first and t("terminal.reminders") not in first
    [item] = plan(stored(database))
    assert (item.key, item.due) == ("idle:1", FILED_AT + timedelta(days=3))

    # Four days later: after the welcome back, the reminder and its numbered options.
    second = start(database, FILED_AT + timedelta(days=4), ["1"])
    shown, _, answered = second.partition(typed("1", catalog))
    assert shown.count(idle) == 1
    reminders = shown[shown.index(t("terminal.reminders")):]
    assert reminders.index(idle) < reminders.index("  1. " + t("option.continue", number=1))
    assert "  2. " + t("option.delete", number=1) in reminders
    assert shown.index(t("start.welcome_back", number=1)) < shown.index(t("terminal.reminders"))
    # "1" picks 继续 on the reminder, not 为本人投诉 on the question printed before it.
    assert t("field.for_whom.prompt") in answered
    draft = stored(database).drafts[1]
    assert "for_whom" not in draft.answers and not draft.finished

    # The next starts, however late, do not show it again.
    for later in (FILED_AT + timedelta(days=5), FILED_AT + timedelta(days=40)):
        out = start(database, later, [])
        assert idle not in out and t("terminal.reminders") not in out
    assert stored(database).reminders.sent == ["idle:1"]


def test_a_deadline_passed_while_closed_is_shown_at_the_next_start_and_answered_by_number(
        tmp_path: Path, catalog: Catalog) -> None:
    t = catalog.text
    database = tmp_path / "x.sqlite3"
    filing = [*GUIDE_EXAMPLE, t("option.submitted"), CASE_NUMBER, "1"]  # 1: 今天
    out = start(database, FILED_AT, filing)
    assert t("case.filed", number=1, case_number=CASE_NUMBER,
             date=day_text(FILED_AT.date(), catalog)) in out
    [item] = plan(stored(database))
    assert (item.kind, item.due) == ("acceptance", ACCEPTANCE_DUE)

    # Closed until after the deadline; the user then says it was accepted, all by numbers.
    acceptance = t("remind.acceptance", number=1, business="北京某某体育用品有限公司",
                   date=day_text(ACCEPTANCE_DEADLINE, catalog), case_number=CASE_NUMBER)
    now = ACCEPTANCE_DUE + timedelta(days=2, hours=3)
    out = start(database, now, ["1", "1", "1"])  # 已受理, 今天, 不用备注
    shown, _, answered = out.partition(typed("1", catalog))
    reminders = shown[shown.index(t("terminal.reminders")):]
    assert reminders.count(acceptance) == 1
    options = [t("case.state.accepted"), t("case.state.rejected"), t("case.state.closed"),
               t("case.option.no_news"), t("reminders.option.stop")]
    assert "".join(f"  {n}. {label}\n" for n, label in enumerate(options, start=1)) in reminders
    assert t("case.ask.moved_on", state=t("case.state.accepted")) in answered
    assert t("case.moved", number=1, state=t("case.state.accepted"),
             date=day_text(now.date(), catalog)) in answered

    case = stored(database).drafts[1].case
    assert case is not None and case.state == "accepted" and case.entered("accepted") == now.date()
    assert start(database, now + timedelta(days=1), []).count(acceptance) == 0
