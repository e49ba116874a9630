"""End to end: reminders after filing, sent by the running bot when a fake clock says they are
due: once each, across restarts, after a failed delivery, never again to a user who blocked the
bot, not at all once switched off, and not held up by another user whose state cannot be read.

The bot's "now" is a `Clock` the test moves; everything else (PTB, the fake Bot API, SQLite) is
the production path. A `rounds` counter of finished reminder rounds lets a test wait for "the
bot has looked for due reminders since I moved the clock" instead of sleeping.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import test_telegram_interview as interview
from telegram_harness import RunningBot, SimUser, api_fixture, bot_env_fixture, buttons, database_fixture, wait_until  # noqa: F401

from bot import telegram as channel
from bot.reminders import ReminderDispatcher
from bot.storage import Storage
from flows.case_view import day_text
from flows.catalog import Catalog
from flows.model import Session
from flows.reminders import plan

# A Monday in a year whose official holidays the calendar knows, so no deadline is estimated.
FILED_AT = datetime(2026, 11, 16, 10, 0)
BOUGHT = "2026-11-01"
CASE_NUMBER = "A20261116001"
# 7 working days after Monday 16 November 2026 is Wednesday the 25th (no holiday in between);
# the reminder goes out the morning after.
ACCEPTANCE_DEADLINE = date(2026, 11, 25)
ACCEPTANCE_DUE = datetime(2026, 11, 26, 10, 0)
FAST_CHECKS = "0.1"  # REMINDER_CHECK_SECONDS for tests that move the clock while the bot runs


class Clock:
    """The bot's clock: whatever `now` the test set."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(name="rounds")
def rounds_fixture(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """`rounds[0]`: how many rounds of looking for due reminders have finished so far."""
    finished = [0]
    original = ReminderDispatcher.run_once

    async def counted(self: ReminderDispatcher) -> int:
        try:
            return await original(self)
        finally:
            finished[0] += 1

    monkeypatch.setattr(ReminderDispatcher, "run_once", counted)
    return finished


@pytest.fixture(name="fast_retries")
def fast_retries_fixture(monkeypatch: pytest.MonkeyPatch) -> int:
    """Send retries without the production pauses (7.5 s in all); returns the attempts a
    message gets before a round gives up on it."""
    monkeypatch.setattr(channel, "SEND_RETRY_DELAYS", (0.01,) * len(channel.SEND_RETRY_DELAYS))
    return len(channel.SEND_RETRY_DELAYS) + 1


async def rounds_pass(rounds: list[int], count: int = 1) -> None:
    """Wait until `count` rounds have started and finished after this call (a round already
    under way when it is called does not count)."""
    target = rounds[0] + count + 1
    await wait_until(lambda: rounds[0] >= target, lambda: f"{count} more reminder rounds")


async def first_round(rounds: list[int], before: int) -> None:
    """Wait for the round a bot started when `rounds[0]` was `before` makes at startup."""
    await wait_until(lambda: rounds[0] > before, lambda: "the reminder round at startup")


async def run_one_round(clock: Clock, rounds: list[int]) -> None:
    """Start the bot, let it make its startup round of reminders, and stop it."""
    before = rounds[0]
    async with RunningBot.serving(clock=clock):
        await first_round(rounds, before)


async def stored(database: Path, user_id: str) -> tuple[Session, list[tuple[str, str]]]:
    """The user's session and reminder schedule as they are on disk."""
    storage = await Storage.open(database)
    try:
        return await storage.load(user_id), await storage.scheduled(user_id)
    finally:
        await storage.close()


def reminder_messages(user: SimUser, text: str) -> int:
    return sum(sent == text for sent in user.texts())


async def start_a_draft(user: SimUser, catalog: Catalog) -> None:
    """One answer given: the draft now has something to lose, so it gets an idle reminder."""
    t = catalog.text
    user.send("/start")
    await user.expect(t("field.kind.prompt"))
    user.press(t("kind.complaint"))
    await user.expect(t("field.for_whom.prompt"))


def test_the_acceptance_reminder_comes_once_after_the_deadline_and_its_buttons_move_the_case(
        api, bot_env, catalog, database, rounds, monkeypatch):
    t = catalog.text
    monkeypatch.setattr(interview, "purchase_day", lambda: BOUGHT)  # before the fake today
    clock = Clock(FILED_AT)
    user = SimUser(api, 5001)
    expected = t("remind.acceptance", number=1, business=interview.BUSINESS,
                 date=day_text(ACCEPTANCE_DEADLINE, catalog), case_number=CASE_NUMBER)

    async def scenario() -> None:
        # Write the complaint, file it on 12315 today, and tell the bot.
        async with RunningBot.serving(clock=clock):
            await interview.answer_up_to_demands(user, catalog)
            await interview.finish_from_demands(user, catalog)
            user.press(t("option.submitted"))
            await user.expect(t("case.ask.number_submit", number=1))
            user.send(CASE_NUMBER)
            await user.expect(t("case.ask.submitted_on"))
            user.press(t("case.option.today", date=t("format.month_day", m=11, d=16)))
            await user.expect(t("case.filed", number=1, case_number=CASE_NUMBER,
                                date=day_text(FILED_AT.date(), catalog)))
        session, schedule = await stored(database, "telegram:5001")
        [item] = plan(session)
        assert (item.kind, item.draft, item.due) == ("acceptance", 1, ACCEPTANCE_DUE)
        assert schedule == [(item.key, ACCEPTANCE_DUE.isoformat())]

        # A minute before it is due, a restart sends nothing.
        clock.now = ACCEPTANCE_DUE - timedelta(minutes=1)
        user.mark = len(user.events())
        await run_one_round(clock, rounds)
        assert user.texts(user.mark) == []

        # The deadline passed while the bot was down: the round at startup sends it.
        clock.now = ACCEPTANCE_DUE + timedelta(hours=2)
        before = rounds[0]
        async with RunningBot.serving(clock=clock):
            said = await user.expect(expected)
            await first_round(rounds, before)
        assert said == [expected] and user.texts(user.mark) == [expected]
        reminder = user.events()[-1].params
        assert [b["text"] for b in buttons(reminder)] == [
            t("case.state.accepted"), t("case.state.rejected"), t("case.state.closed"),
            t("case.option.no_news"), t("reminders.option.stop")]

        # Later starts do not send it again; its buttons still work.
        clock.now = ACCEPTANCE_DUE + timedelta(days=1)
        before = rounds[0]
        async with RunningBot.serving(clock=clock):
            await first_round(rounds, before)
            assert reminder_messages(user, expected) == 1
            user.press(t("case.state.accepted"))
            await user.expect(t("case.ask.moved_on", state=t("case.state.accepted")))
            user.press(t("case.option.today", date=t("format.month_day", m=11, d=27)))
            await user.expect(t("case.ask.note"))
            user.press(t("case.option.no_note"))
            await user.expect(t("case.moved", number=1, state=t("case.state.accepted"),
                                date=day_text(date(2026, 11, 27), catalog)))
        assert reminder_messages(user, expected) == 1
        session, schedule = await stored(database, "telegram:5001")
        case = session.drafts[1].case
        assert case is not None and case.state == "accepted" and case.number == CASE_NUMBER
        assert case.entered("accepted") == date(2026, 11, 27)
        assert item.key in session.reminders.sent
        # Next: mediation should end 60 days after acceptance; reminded the morning after.
        assert [key.split(":")[0] for key, _ in schedule] == ["mediation"]
        assert schedule[0][1] == datetime(2027, 1, 27, 10, 0).isoformat()

    asyncio.run(scenario())


def test_a_reminder_that_could_not_be_delivered_goes_out_in_a_later_round_once(
        api, bot_env, catalog, database, rounds, fast_retries, monkeypatch):
    monkeypatch.setenv("REMINDER_CHECK_SECONDS", FAST_CHECKS)
    t = catalog.text
    clock = Clock(FILED_AT)
    user = SimUser(api, 5002)
    expected = t("remind.idle", number=1, business=t("drafts.untitled"))

    async def scenario() -> None:
        async with RunningBot.serving(clock=clock):
            await start_a_draft(user, catalog)
            _, [(key, due)] = await stored(database, "telegram:5002")
            assert key == "idle:1" and due == (FILED_AT + timedelta(days=3)).isoformat()

            # Telegram cannot be reached for longer than one round's retries.
            api.fail_next("sendMessage", "network", times=fast_retries)
            user.mark = len(user.events())
            clock.now = datetime.fromisoformat(due) + timedelta(minutes=1)
            await user.expect(expected)
            failed = api.calls("sendMessage", chat_id=5002, outcome="network")
            assert len(failed) == fast_retries
            assert all(call.params["text"] == expected for call in failed)
            await rounds_pass(rounds, 2)
        assert user.texts(user.mark) == [expected]
        session, schedule = await stored(database, "telegram:5002")
        assert session.reminders.sent == [key] and schedule == []

    asyncio.run(scenario())


@pytest.mark.parametrize(("outcome", "refusals"), [
    ("403", 1),  # the user blocked the bot
    ("400", 2),  # a request Telegram refuses (the text is retried once without buttons)
])
def test_a_refused_reminder_is_not_sent_again_and_again(
        api, bot_env, catalog, database, rounds, monkeypatch, outcome, refusals):
    monkeypatch.setenv("REMINDER_CHECK_SECONDS", FAST_CHECKS)
    t = catalog.text
    clock = Clock(FILED_AT)
    user = SimUser(api, 5003)

    async def scenario() -> None:
        async with RunningBot.serving(clock=clock):
            await start_a_draft(user, catalog)
            _, [(key, due)] = await stored(database, "telegram:5003")
            attempts = len(api.calls("sendMessage", chat_id=5003, outcome=None))
            api.fail_next("sendMessage", outcome, times=refusals)
            clock.now = datetime.fromisoformat(due) + timedelta(minutes=1)
            await wait_until(lambda: len(api.calls("sendMessage", chat_id=5003,
                                                   outcome=outcome)) == refusals,
                             lambda: "an attempt to send the reminder")
            await rounds_pass(rounds, 3)
        await run_one_round(clock, rounds)
        tried = api.calls("sendMessage", chat_id=5003, outcome=None)[attempts:]
        assert [(call.outcome, call.params["text"]) for call in tried] == [
            (outcome, t("remind.idle", number=1, business=t("drafts.untitled")))] * refusals
        session, schedule = await stored(database, "telegram:5003")
        assert session.reminders.sent == [key] and schedule == []

    asyncio.run(scenario())


def test_with_reminders_switched_off_nothing_is_sent_when_they_fall_due(
        api, bot_env, catalog, database, rounds):
    t = catalog.text
    clock = Clock(FILED_AT)
    user = SimUser(api, 5004)

    async def scenario() -> None:
        async with RunningBot.serving(clock=clock):
            await start_a_draft(user, catalog)
            user.send("/reminders")
            shown = await user.expect(t("reminders.kind.idle"))
            assert t("reminders.on") in shown[-1]
            user.press(t("reminders.option.off"))
            said = await user.expect(t("reminders.off"))
            assert t("reminders.switched_off") in "\n".join(said)
        session, schedule = await stored(database, "telegram:5004")
        assert not session.reminders.on and schedule == []

        clock.now = FILED_AT + timedelta(days=10)  # well past the idle reminder's time
        user.mark = len(user.events())
        await run_one_round(clock, rounds)
        assert user.texts(user.mark) == []

    asyncio.run(scenario())


def test_a_user_whose_reminder_cannot_be_prepared_does_not_hold_up_the_others(
        api, bot_env, catalog, database, rounds):
    t = catalog.text
    clock = Clock(FILED_AT)
    broken, fine = SimUser(api, 5005), SimUser(api, 5006)

    async def scenario() -> None:
        async with RunningBot.serving(clock=clock):
            await start_a_draft(broken, catalog)
            await start_a_draft(fine, catalog)
        # Same due time; the broken user sorts first. Their draft no longer loads (think of a
        # hand-edited row, or a state a later release cannot read).
        with sqlite3.connect(database) as db:
            db.execute("UPDATE drafts SET data = '{}' WHERE user_id = 'telegram:5005'")
        clock.now = FILED_AT + timedelta(days=4)
        broken.mark, fine.mark = len(broken.events()), len(fine.events())
        async with RunningBot.serving(clock=clock):
            await fine.expect(t("remind.idle", number=1, business=t("drafts.untitled")))
        assert broken.texts(broken.mark) == []

    asyncio.run(scenario())
