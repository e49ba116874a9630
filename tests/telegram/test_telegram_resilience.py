"""Telegram's limits and hiccups: a 429, a dropped connection, a refused command menu."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram_harness import RunningBot, SimUser, api_fixture, bot_env_fixture, database_fixture  # noqa: F401

from bot.service import ConversationService
from bot.storage import Storage


# PTB itself warns about RetryAfter's future type when it builds the exception.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_a_429_on_send_message_is_retried_and_the_reply_arrives(api, bot_env, catalog):
    t = catalog.text

    async def scenario() -> None:
        async with RunningBot.serving():
            user = SimUser(api, 4001)
            api.fail_next("sendMessage", "429")
            user.send("/start")
            await user.expect(t("field.kind.prompt"))
            assert len(api.calls("sendMessage", chat_id=4001, outcome="429")) == 1
            delivered = [c.params["text"] for c in api.calls("sendMessage", chat_id=4001)]
            assert sum(text.count(t("start.welcome")) for text in delivered) == 1
            assert delivered[0].startswith(t("start.welcome")), "the retried reply keeps its place"

    asyncio.run(scenario())


def test_a_dropped_connection_while_sending_is_retried(api, bot_env, catalog):
    t = catalog.text

    async def scenario() -> None:
        async with RunningBot.serving():
            user = SimUser(api, 4002)
            user.send("/start")
            await user.expect(t("field.kind.prompt"))
            api.fail_next("sendMessage", "network")
            user.press(t("kind.complaint"))
            await user.expect(t("field.for_whom.prompt"))
            assert len(api.calls("sendMessage", chat_id=4002, outcome="network")) == 1
            delivered = [c.params["text"] for c in api.calls("sendMessage", chat_id=4002)]
            assert sum(t("field.for_whom.prompt") in text for text in delivered) == 1

    asyncio.run(scenario())


def test_the_command_menu_is_registered_in_chinese(api, bot_env, catalog):
    async def scenario() -> None:
        bot = await RunningBot.start()
        await bot.stop()

    asyncio.run(scenario())
    [call] = api.calls("setMyCommands")
    commands = {c["command"]: c["description"] for c in call.params["commands"]}
    assert list(commands) == ["start", "new", "status", "back", "skip", "cancel", "edit",
                              "reminders", "help", "privacy", "forget"]
    assert commands["status"] == catalog.text("telegram.commands.status")
    assert all(description.strip() for description in commands.values())


def test_a_refused_command_menu_is_logged_and_the_bot_serves_anyway(
        api, bot_env, catalog, caplog: pytest.LogCaptureFixture):
    async def scenario() -> None:
        api.fail_next("setMyCommands", "400")
        async with RunningBot.serving():
            user = SimUser(api, 4003)
            user.send("/start")
            await user.expect(catalog.text("field.kind.prompt"))

    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        asyncio.run(scenario())
    assert any("setMyCommands" in record.getMessage() for record in caplog.records)


def test_an_update_is_acknowledged_only_once_its_turn_is_on_the_disk(
        api, bot_env, catalog, monkeypatch):
    """A lone update's turn is answered before its commit is fsynced; the offset that lets
    Telegram forget the update must wait until it is, or a power cut could lose what the
    user said with nobody left holding it."""
    t = catalog.text
    turned: dict[str, int] = {}  # update key → the commits made when its turn returned
    storages: list[Storage] = []
    checked: list[tuple[str, int, int]] = []  # (key, its turn's commits, synced through)
    real_turn = Storage.turn

    async def recording_turn(self: Storage, user_id, decide, **options):
        committed = await real_turn(self, user_id, decide, **options)
        if options.get("update_key"):
            storages[:] = [self]
            turned[options["update_key"]] = self.commits
        return committed

    real_get_updates = api._api_getUpdates

    def acknowledging(params, files):
        offset = int(params.get("offset") or 0)
        if storages:
            synced = storages[0].synced_through
            checked.extend((key, commits, synced) for key, commits in turned.items()
                           if int(key.rsplit(":", 1)[-1]) < offset
                           and key not in {k for k, _, _ in checked})
        return real_get_updates(params, files)

    monkeypatch.setattr(Storage, "turn", recording_turn)
    monkeypatch.setattr(api, "_api_getUpdates", acknowledging)

    async def scenario() -> None:
        async with RunningBot.serving():
            user = SimUser(api, 4101)
            user.send("/start")
            await user.expect(t("field.kind.prompt"))
            user.press(t("kind.complaint"))
            await user.expect(t("field.for_whom.prompt"))
            user.send("/status")
            await asyncio.sleep(0.3)  # the poll after the last answer acknowledges it

    asyncio.run(scenario())
    assert len(checked) >= 2, f"too few acknowledgements seen: {checked}"
    late = [(key, commits, synced) for key, commits, synced in checked if synced < commits]
    assert not late, f"acknowledged before its turn was on the disk: {late}"


def test_the_bot_prepares_the_later_answers_before_it_takes_updates(
        api, bot_env, catalog, monkeypatch):
    events: list[str] = []
    real_prepare = ConversationService.prepare

    def prepare(self: ConversationService) -> None:
        events.append("prepared")
        real_prepare(self)

    monkeypatch.setattr(ConversationService, "prepare", prepare)

    async def scenario() -> None:
        async with RunningBot.serving():
            events.append("ready")
            user = SimUser(api, 4201)
            user.send("/start")
            await user.expect(catalog.text("field.kind.prompt"))

    asyncio.run(scenario())
    assert events == ["prepared", "ready"]
