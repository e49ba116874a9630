"""The reminder schedule in a real SQLite file: kept with the state, sent once across restarts."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from test_interview_complaint import GUIDE_ANSWERS

from bot.reminders import ReminderDispatcher
from bot.service import ConversationService
from bot.storage import MIGRATIONS, Storage
from flows.catalog import Catalog
from flows.insight import understand_nothing
from flows.model import Asking, Reply, Text
from flows.reminders import plan

FILED_ON = datetime(2026, 11, 27, 16, 0)  # a Friday: acceptance deadline Tuesday 8 December
DUE = datetime(2026, 12, 9, 10, 0)


class Clock:
    """An injectable clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Inbox:
    """A channel that records what it delivers, or fails while told to."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.failing = False

    async def deliver(self, user_id: str, replies: list[Reply]) -> bool:
        if self.failing:
            return False
        self.received += [(user_id, reply.text) for reply in replies]
        return True


async def open_service(path: Path, catalog: Catalog, clock: Clock) -> ConversationService:
    storage = await Storage.open(path)
    return ConversationService(storage, catalog, clock=clock, understand=understand_nothing)


async def file_a_complaint(service: ConversationService, user: str) -> None:
    await service.handle(user, Text("/start"))
    for _ in range(60):
        state = (await service.session(user)).dialog.state
        if not isinstance(state, Asking):
            break
        await service.handle(user, Text("是" if state.pending else GUIDE_ANSWERS[state.field]))
    for answer in ("已提交", "20261127000456", "今天"):
        await service.handle(user, Text(answer))
    session = await service.session(user)
    assert session.drafts[1].case is not None


def test_the_schedule_is_saved_with_the_state(tmp_path: Path, catalog: Catalog) -> None:
    clock = Clock(FILED_ON)

    async def scenario() -> tuple[list, list, list]:
        service = await open_service(tmp_path / "bot.sqlite3", catalog, clock)
        await file_a_complaint(service, "alice")
        filed = await service.storage.scheduled("alice")
        await service.handle("alice", Text("/reminders off"))
        off = await service.storage.scheduled("alice")
        await service.handle("alice", Text("/reminders on"))
        on = await service.storage.scheduled("alice")
        await service.storage.close()
        return filed, off, on

    filed, off, on = asyncio.run(scenario())
    assert filed == [("acceptance:1:2026-12-08", "2026-12-09T10:00:00")]
    assert off == []
    assert on == filed


def test_a_reminder_due_while_the_bot_was_down_is_sent_once_after_restarts(
        tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "bot.sqlite3"
    clock = Clock(FILED_ON)
    inbox = Inbox()

    async def one_run() -> int:
        service = await open_service(path, catalog, clock)
        try:
            return await ReminderDispatcher(service, inbox.deliver, user_id="alice").run_once()
        finally:
            await service.storage.close()

    async def scenario() -> list[int]:
        service = await open_service(path, catalog, clock)
        await file_a_complaint(service, "alice")
        await service.storage.close()
        sent = [await one_run()]            # the same day: nothing due
        clock.now = DUE - timedelta(minutes=1)
        sent.append(await one_run())        # a minute early: nothing
        clock.now = DUE + timedelta(days=3)  # the bot was down when it fell due
        sent.append(await one_run())
        sent.append(await one_run())        # restarted again: not twice
        clock.now += timedelta(days=30)
        sent.append(await one_run())
        return sent

    assert asyncio.run(scenario()) == [0, 0, 1, 0, 0]
    [(user, text)] = inbox.received
    assert user == "alice" and "20261127000456" in text
    assert text.startswith(catalog.text("remind.acceptance", number=1,
                                        business="北京某某体育用品有限公司",
                                        date="2026年12月8日", case_number="20261127000456"))
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM reminders").fetchone()[0] == 0
        sent = json.loads(db.execute("SELECT reminders FROM users").fetchone()[0])["sent"]
    assert sent == ["acceptance:1:2026-12-08"]


def test_an_undelivered_reminder_is_tried_again_next_round(tmp_path: Path, catalog: Catalog) -> None:
    clock = Clock(FILED_ON)
    inbox = Inbox()

    async def scenario() -> list[int]:
        service = await open_service(tmp_path / "bot.sqlite3", catalog, clock)
        await file_a_complaint(service, "alice")
        clock.now = DUE
        dispatcher = ReminderDispatcher(service, inbox.deliver, user_id="alice")
        inbox.failing = True
        rounds = [await dispatcher.run_once()]
        rounds.append(len(await service.storage.scheduled("alice")))
        inbox.failing = False
        rounds.append(await dispatcher.run_once())
        rounds.append(await dispatcher.run_once())
        await service.storage.close()
        return rounds

    assert asyncio.run(scenario()) == [0, 1, 1, 0]
    assert len(inbox.received) == 1


def test_each_channel_sees_only_its_users_due_reminders(tmp_path: Path, catalog: Catalog) -> None:
    clock = Clock(FILED_ON)

    async def scenario() -> tuple[list, list, list]:
        service = await open_service(tmp_path / "bot.sqlite3", catalog, clock)
        for user in ("telegram:42", "terminal:local"):
            await service.handle(user, Text("/start"))
            await service.handle(user, Text("投诉"))
        storage = service.storage
        later = FILED_ON + timedelta(days=4)
        found = (await storage.due_reminders(later, channel_prefix="telegram:"),
                 await storage.due_reminders(later, user_id="terminal:local"),
                 await storage.due_reminders(FILED_ON, channel_prefix=""))
        await storage.close()
        return found

    telegram, terminal, too_early = asyncio.run(scenario())
    assert telegram == [("telegram:42", "idle:1")]
    assert terminal == [("terminal:local", "idle:1")]
    assert too_early == []


def test_users_stored_before_reminders_existed_get_their_schedule(tmp_path: Path,
                                                                 catalog: Catalog) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0])
        db.execute("PRAGMA user_version = 1")
        db.execute("INSERT INTO users (user_id, next_number, active, dialog) VALUES (?, 2, 1, ?)",
                   ("bob", '{"mode": "asking", "field": "for_whom"}'))
        draft = {"number": 1, "created_at": "2026-11-01T09:00:00",
                 "updated_at": "2026-11-01T09:00:00", "answers": {"kind": "complaint"}}
        db.execute("INSERT INTO drafts VALUES ('bob', 1, 0, ?, ?, ?)",
                   (draft["created_at"], draft["updated_at"], json.dumps(draft)))

    async def scenario() -> tuple[int, list, bool, str]:
        storage = await Storage.open(path)
        version = await storage.schema_version()
        scheduled = await storage.scheduled("bob")
        session = await storage.load("bob")
        await storage.close()
        return version, scheduled, session.reminders.on, session.drafts[1].answers["kind"]

    version, scheduled, on, kind = asyncio.run(scenario())
    assert version == len(MIGRATIONS) == 3
    assert scheduled == [("idle:1", "2026-11-04T09:00:00")]
    assert on and kind == "complaint"


def test_the_stored_schedule_and_drafts_follow_every_turn(tmp_path: Path, catalog: Catalog) -> None:
    """Only what changed is written: the schedule and the draft rows still match the session
    after turns that change them (a second draft, a day later, a filed case, a deletion) and
    after turns that do not."""
    clock = Clock(FILED_ON)
    mismatches: list[str] = []

    async def check(service: ConversationService, user: str, after: str) -> None:
        session = await service.session(user)
        rows = service.storage._db.execute(  # the file itself, not the storage's view of it
            "SELECT key, due_at FROM reminders WHERE user_id = ? ORDER BY due_at, key",
            (user,)).fetchall()
        planned = [(item.key, item.due.isoformat()) for item in plan(session)]
        drafts = [number for (number,) in service.storage._db.execute(
            "SELECT number FROM drafts WHERE user_id = ? ORDER BY number", (user,))]
        if rows != planned or drafts != sorted(session.drafts):
            mismatches.append(f"after {after!r}: {rows} != {planned} or {drafts}")

    async def scenario() -> None:
        service = await open_service(tmp_path / "bot.sqlite3", catalog, clock)
        try:
            await file_a_complaint(service, "bob")
            await check(service, "bob", "filed")
            clock.now += timedelta(days=1)
            for line in ("/new", "1", "/status", "/cancel"):
                await service.handle("bob", Text(line))
                await check(service, "bob", line)
            session = await service.session("bob")
            assert sorted(session.drafts) == [1, 2] and len(plan(session)) == 2
            for line in ("/delete 2", "确定删除", "/status"):
                await service.handle("bob", Text(line))
                await check(service, "bob", line)
            assert sorted((await service.session("bob")).drafts) == [1], "draft 2 is gone"
        finally:
            await service.storage.close()

    asyncio.run(scenario())
    assert not mismatches, "\n".join(mismatches)
