"""SIGKILL at the dangerous points, in polling and webhook mode: no update lost, none doubled.

Each test starts `complaint-bot telegram` as a process that kills itself (SIGKILL, no
cleanup) at one point of handling, while several users' updates are in flight; then starts
it again and checks that every user got each answer exactly once and that nothing is left
in the inbox or the outbox (nothing waits to be sent while it runs; after a clean stop the
sent messages' rows are gone too). The points: updates stored but not acknowledged,
acknowledged but not handled, handled and committed but not claimed, claimed but not sent,
sent but not yet marked sent.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest
from bot_process import (
    BotProcess,
    FakeBotApi,
    deliver_until_accepted,
    post_update,
    sent_texts,
    text_update,
    wait_for,
)

from bot.storage import Storage
from flows.catalog import Catalog

USERS = (7001, 7002, 7003, 7004)
SETTLE_SECONDS = 0.7  # after every answer arrived, time for a doubled one to show up


@pytest.fixture
def api():
    server = FakeBotApi().start()
    try:
        yield server
    finally:
        server.stop()


def expected(catalog: Catalog) -> list[str]:
    """Each user sends /start then /help: these answers, once each, in this order."""
    return [catalog.text("start.welcome"), catalog.text("help.text")]


def counts(api: FakeBotApi, chat_id: int, texts: list[str]) -> list[int]:
    """How many messages carry each text (what precedes a question shares its message)."""
    sent = sent_texts(api, chat_id)
    return [sum(text in message for message in sent) for text in texts]


def first_with(sent: list[str], text: str) -> int:
    return next(index for index, message in enumerate(sent) if text in message)


def in_flight_at_the_kill(bot: BotProcess) -> int:
    """How many messages the restarted bot found claimed but unconfirmed, and dropped: those
    under way at the kill and those sent whose deletion had not been committed yet."""
    found = [re.search(r"(\d+) message\(s\) were claimed for sending", line)
             for line in bot.stderr]
    return sum(int(match.group(1)) for match in found if match)


def assert_each_answered_once(api: FakeBotApi, catalog: Catalog, database: Path,
                              bot: BotProcess) -> int:
    """Every answer exactly once, in order; except that a message whose request was under
    way at the kill is not sent again (at most once), so it may be missing, and the
    restarted bot reports how many it dropped (at most that many are missing). Returns how
    many answers are missing."""
    texts = expected(catalog)
    wanted = len(USERS) * len(texts)

    def delivered() -> int:
        return sum(min(n, 1) for user in USERS for n in counts(api, user, texts))

    wait_for(lambda: delivered() + in_flight_at_the_kill(bot) >= wanted, "every answer")
    time.sleep(SETTLE_SECONDS)
    for user in USERS:
        assert max(counts(api, user, texts)) == 1, ("doubled", user, sent_texts(api, user))
        sent = sent_texts(api, user)
        if all(any(text in message for message in sent) for text in texts):
            assert first_with(sent, texts[0]) < first_with(sent, texts[1]), "in the order asked"
    # Every message not under way at the kill arrived (those under way may or may not have).
    missing = wanted - delivered()
    assert missing <= in_flight_at_the_kill(bot)
    with sqlite3.connect(database, timeout=10) as db:
        assert db.execute("SELECT count(*) FROM inbox WHERE handled = 0").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM outbox WHERE claimed = 0").fetchone()[0] == 0
        users = {row[0] for row in db.execute("SELECT user_id FROM users")}
    assert users == {f"telegram:{user}" for user in USERS}
    return missing


def assert_outbox_empty_after_stop(bot: BotProcess, database: Path) -> None:
    """A clean stop commits the deletions of the messages sent since the last write."""
    assert bot.stop() == 0
    with sqlite3.connect(database, timeout=10) as db:
        assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


@pytest.mark.parametrize("point", ["stored", "acknowledged", "committed", "claimed", "sent"])
def test_polling_survives_sigkill(point: str, api: FakeBotApi, tmp_path: Path,
                                  catalog: Catalog) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    for user in USERS:
        for text in ("/start", "/help"):
            api.queue_update({key: value for key, value in text_update(api, user, text).items()
                              if key != "update_id"})
    crashing = BotProcess(api, database, tmp_path, crash_at=point)
    assert crashing.wait_killed() == -9, "the bot died at its crash point"
    restarted = BotProcess(api, database, tmp_path).wait_ready()
    try:
        missing = assert_each_answered_once(api, catalog, database, restarted)
        if point not in ("claimed", "sent"):  # nothing was being sent at the other points
            assert missing == 0
        assert_outbox_empty_after_stop(restarted, database)
    finally:
        restarted.stop()


@pytest.mark.parametrize("point", ["stored", "acknowledged", "committed", "claimed", "sent"])
def test_webhook_survives_sigkill(point: str, api: FakeBotApi, tmp_path: Path,
                                  catalog: Catalog) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    updates = [text_update(api, user, text) for user in USERS for text in ("/start", "/help")]
    crashing = BotProcess(api, database, tmp_path, webhook=True, crash_at=point).wait_ready()
    for update in updates:  # Telegram's first delivery of each; some fail as the bot dies
        if crashing.process.poll() is not None:
            break
        post_update(crashing.hook_url, update)
    assert crashing.wait_killed() == -9, "the bot died at its crash point"
    restarted = BotProcess(api, database, tmp_path, webhook=True, port=crashing.port).wait_ready()
    try:
        for update in updates:  # Telegram redelivers every update it has no 200 for, and
            deliver_until_accepted(restarted.hook_url, update)  # here: even those it had
        missing = assert_each_answered_once(api, catalog, database, restarted)
        if point not in ("claimed", "sent"):  # nothing was being sent at the other points
            assert missing == 0
        assert_outbox_empty_after_stop(restarted, database)
    finally:
        restarted.stop()


def test_a_duplicate_delivery_is_applied_once(api: FakeBotApi, tmp_path: Path,
                                              catalog: Catalog) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    bot = BotProcess(api, database, tmp_path, webhook=True).wait_ready()
    try:
        update = text_update(api, 7101, "/new")
        for _ in range(3):
            deliver_until_accepted(bot.hook_url, update)
        wait_for(lambda: sent_texts(api, 7101), "an answer")
        time.sleep(SETTLE_SECONDS)
    finally:
        bot.stop()
    with sqlite3.connect(database, timeout=10) as db:
        drafts = db.execute("SELECT count(*) FROM drafts WHERE user_id = 'telegram:7101'"
                            ).fetchone()[0]
    assert drafts == 1, "three deliveries of one /new made one draft"
    prompt = catalog.text("field.kind.prompt")
    assert sum(prompt in text for text in sent_texts(api, 7101)) == 1, "answered once"


@pytest.mark.parametrize("point", ["stored", "committed", "claimed", "sent"])
def test_a_lone_polled_update_handled_at_once_survives_sigkill(
        point: str, api: FakeBotApi, tmp_path: Path, catalog: Catalog) -> None:
    """A lone polled update is handled at once, its turn's commit being what stores it; a kill
    after that commit, before the offset moves (`stored`), before the reply is claimed
    (`committed`), once it is claimed for sending (`claimed`) or after it was sent (`sent`)
    neither applies it twice nor sends its answer twice, and loses the answer only if it was
    under way at the kill."""
    database = tmp_path / "data" / "bot.sqlite3"
    user = 7201
    api.queue_update({key: value for key, value in text_update(api, user, "/new").items()
                      if key != "update_id"})
    crashing = BotProcess(api, database, tmp_path, crash_at=point)
    assert crashing.wait_killed() == -9, "the bot died at its crash point"
    if point == "stored":  # stored by the turn's own commit: already handled, one draft
        with sqlite3.connect(database, timeout=10) as db:
            assert db.execute("SELECT handled FROM inbox").fetchall() == [(1,)]
            assert db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 1
    restarted = BotProcess(api, database, tmp_path).wait_ready()
    prompt = catalog.text("field.kind.prompt")

    def answers() -> int:
        return sum(prompt in text for text in sent_texts(api, user))

    try:
        wait_for(lambda: answers() + in_flight_at_the_kill(restarted) >= 1, "the answer")
        time.sleep(SETTLE_SECONDS)
        assert answers() <= 1, "never doubled"
        if point == "committed":  # nothing was under way: the restart sends it
            assert answers() == 1
        assert_outbox_empty_after_stop(restarted, database)
    finally:
        restarted.stop()
    with sqlite3.connect(database, timeout=10) as db:
        drafts = db.execute(f"SELECT count(*) FROM drafts WHERE user_id = 'telegram:{user}'"
                            ).fetchone()[0]
        unhandled = db.execute("SELECT count(*) FROM inbox WHERE handled = 0").fetchone()[0]
    assert (drafts, unhandled) == (1, 0), "the redelivered update was not applied again"


def test_updates_left_stored_go_before_a_users_next_update(api: FakeBotApi, tmp_path: Path,
                                                           catalog: Catalog) -> None:
    """An update a previous process stored but did not handle is handled before the same
    user's next update, even one that arrives alone (which is otherwise handled at once)."""
    database = tmp_path / "data" / "bot.sqlite3"
    user = 7301
    left = text_update(api, user, "/help")

    async def leave_stored() -> None:
        storage = await Storage.open(database)
        try:
            await storage.receive([(f"telegram:update:{left['update_id']}",
                                    f"telegram:{user}", json.dumps(left))])
        finally:
            await storage.close()

    asyncio.run(leave_stored())
    api.queue_update({key: value for key, value in text_update(api, user, "/new").items()
                      if key != "update_id"})
    bot = BotProcess(api, database, tmp_path).wait_ready()
    texts = [catalog.text("help.text"), catalog.text("field.kind.prompt")]
    try:
        wait_for(lambda: all(counts(api, user, texts)), "both answers")
        time.sleep(SETTLE_SECONDS)
        # Had /new gone first, the help would have asked its question again.
        assert counts(api, user, texts) == [1, 1]
        sent = sent_texts(api, user)
        assert first_with(sent, texts[0]) < first_with(sent, texts[1]), "in the order sent"
    finally:
        bot.stop()
