"""Storage against a real SQLite file: migrations, resume after a crash, users kept apart."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot.service import ConversationService
from bot.storage import MIGRATIONS, Storage
from flows.catalog import Catalog
from flows.insight import understand_nothing
from flows.model import Reply, Text

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ["/start", "投诉", "为本人投诉", "商场买的电饭煲用了一周就坏了，商家不给修",
           "北京某某电器有限公司"]


def run(coro):
    return asyncio.run(coro)


def service_for(storage: Storage, catalog: Catalog) -> ConversationService:
    return ConversationService(storage, catalog, clock=lambda: datetime(2026, 11, 28, 9, 0),
                               understand=understand_nothing)


def test_schema_is_created_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "bot.sqlite3"

    async def scenario() -> int:
        storage = await Storage.open(path)
        version = await storage.schema_version()
        await storage.close()
        again = await Storage.open(path)  # migrating twice is harmless
        await again.close()
        return version

    assert run(scenario()) == len(MIGRATIONS)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


CRASHING_CLIENT = """
import asyncio, os, sys
from datetime import datetime
from bot.service import ConversationService
from bot.storage import Storage
from flows.catalog import load_catalog
from flows.insight import understand_nothing
from flows.model import Text

async def main():
    storage = await Storage.open(sys.argv[1])
    service = ConversationService(storage, load_catalog(), understand=understand_nothing)
    for answer in sys.argv[2:]:
        await service.handle("alice", Text(answer))
    os._exit(0)  # die without closing anything, as a killed process would

asyncio.run(main())
"""


def test_every_answer_survives_a_crash_between_two_answers(tmp_path: Path,
                                                           catalog: Catalog) -> None:
    path = tmp_path / "bot.sqlite3"
    subprocess.run([sys.executable, "-c", CRASHING_CLIENT, str(path), *ANSWERS],
                   check=True, timeout=60, cwd=ROOT)

    async def after_restart() -> tuple[str | None, list[Reply], dict]:
        storage = await Storage.open(path)
        service = service_for(storage, catalog)
        session = await service.session("alice")
        replies = await service.handle("alice", Text("北京市海淀区某某路2号"))
        after = await service.session("alice")
        await storage.close()
        return session.dialog.state.field, replies, after.active_draft().answers

    asked, replies, answers = run(after_restart())
    assert asked == "business_address", "the user is at the same question"
    assert answers["business_name"] == "北京某某电器有限公司"
    assert answers["business_address"] == "北京市海淀区某某路2号"
    assert "信用代码" in replies[-1].text, "the interview continues with the next question"


def test_state_is_committed_before_replies_are_returned(tmp_path: Path,
                                                       catalog: Catalog) -> None:
    class FailingStorage(Storage):
        async def turn(self, user_id, decide, **kwargs):
            raise sqlite3.OperationalError("disk is full")

    async def scenario() -> None:
        real = await Storage.open(tmp_path / "bot.sqlite3")
        failing = FailingStorage(real._db, real._executor, real.path)
        with pytest.raises(sqlite3.OperationalError):
            await service_for(failing, catalog).handle("bob", Text("/start"))
        await real.close()

    run(scenario())


def test_users_never_see_or_touch_each_others_drafts(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> tuple[str, str, list[int], list[int]]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        service = service_for(storage, catalog)
        for answer in ANSWERS:
            await service.handle("alice", Text(answer))
        await service.handle("bob", Text("/start"))
        await service.handle("bob", Text("举报"))
        bob_status = "\n".join(r.text for r in await service.handle("bob", Text("/status")))
        # bob deletes "his" draft 1: alice's draft 1 must stay
        await service.handle("bob", Text("/delete 1"))
        await service.handle("bob", Text("确定"))
        alice_status = "\n".join(r.text for r in await service.handle("alice", Text("/status")))
        alice = [row["number"] for row in await storage.raw_draft_rows("alice")]
        bob = [row["number"] for row in await storage.raw_draft_rows("bob")]
        await storage.close()
        return bob_status, alice_status, alice, bob

    bob_status, alice_status, alice, bob = run(scenario())
    assert "北京某某电器有限公司" not in bob_status
    assert "北京某某电器有限公司" in alice_status
    assert alice == [1] and bob == []


def test_one_users_inputs_are_handled_one_at_a_time(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> int:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        service = service_for(storage, catalog)
        await service.handle("carol", Text("/new"))
        await asyncio.gather(*(service.handle("carol", Text("/new")) for _ in range(5)))
        session = await service.session("carol")
        await storage.close()
        return len(session.drafts)

    assert run(scenario()) == 6, "no input is lost to a race"


def test_many_users_at_once_share_one_database(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> list[int]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        service = service_for(storage, catalog)
        users = [f"user{n}" for n in range(8)]
        for answer in ("/new", "投诉"):  # bounded: overlapping transactions would hang or fail
            await asyncio.wait_for(asyncio.gather(
                *(service.handle(user, Text(answer)) for user in users)), timeout=30)
        counts = [len(await storage.raw_draft_rows(user)) for user in users]
        await storage.close()
        return counts

    assert run(scenario()) == [1] * 8
