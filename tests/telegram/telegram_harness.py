"""Test helpers: the bot as `complaint-bot telegram` runs it, and users who talk to it.

The bot runs in-process through `bot.telegram.serve` with settings read from the environment
(TELEGRAM_API_BASE_URL pointing at the fake server), so everything from python-telegram-bot's
HTTP requests to the SQLite commit is the production path. One difference: the analyzer of
the user's own words is switched off, so which questions come does not depend on it (it has
its own tests). Waits are bounded: a test fails with what the chat received instead of hanging.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from telegram_fake_api import BOT_USER, TOKEN, FakeBotApi, chat_of

from bot.service import beijing_now
from bot.settings import Settings, load_checked_settings
from bot.telegram import serve
from flows.insight import understand_nothing

WAIT_SECONDS = 10.0  # the bound of every wait; a healthy run needs a small fraction of it
TEXT_EVENTS = ("sendMessage", "sendDocument", "editMessageText")

_message_ids = itertools.count(100000)

# ---- fixtures, imported by name by the test modules. (A conftest.py in this folder would
# shadow tests/conftest.py, which other test modules import by the name `conftest`.) -------



@pytest.fixture(name="api")
def api_fixture() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="database")
def database_fixture(tmp_path: Path) -> Path:
    return tmp_path / "data" / "complaints.sqlite3"


@pytest.fixture(name="bot_env")
def bot_env_fixture(api: FakeBotApi, database: Path, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment `complaint-bot telegram` reads, pointed at the fake server.

    The working directory moves to a temporary folder so a developer's own .env is not read.
    """
    monkeypatch.chdir(tmp_path)
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.url,
        "DATABASE_PATH": str(database),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "WEBHOOK_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


async def wait_until(condition: Callable[[], Any], what: Callable[[], str],
                     seconds: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what()}")
        await asyncio.sleep(0.01)


class RunningBot:
    """`complaint-bot telegram` (or `--webhook`) inside the test's event loop."""

    def __init__(self, settings: Settings, webhook: bool = False) -> None:
        self.settings = settings
        self.webhook = webhook
        self.stop_event = asyncio.Event()
        self.ready = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, webhook: bool = False,
                    clock: Callable[[], datetime] = beijing_now) -> RunningBot:
        """`clock` is the bot's "now" (Beijing time), for tests that move time along."""
        bot = cls(load_checked_settings(), webhook)
        bot.task = asyncio.create_task(serve(bot.settings, bot.stop_event, webhook=webhook,
                                             on_ready=lambda username: bot.ready.set(),
                                             understand=understand_nothing, clock=clock))
        ready = asyncio.create_task(bot.ready.wait())
        await asyncio.wait({bot.task, ready}, timeout=WAIT_SECONDS,
                           return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if bot.task.done():
            bot.task.result()  # raises the startup error
        assert bot.ready.is_set(), "the bot did not start"
        return bot

    async def stop(self) -> None:
        self.stop_event.set()
        assert self.task is not None
        await asyncio.wait_for(self.task, WAIT_SECONDS)

    @classmethod
    @contextlib.asynccontextmanager
    async def serving(cls, webhook: bool = False,
                      clock: Callable[[], datetime] = beijing_now) -> AsyncIterator[RunningBot]:
        """`async with RunningBot.serving(): ...`: started for the block, stopped after it."""
        bot = await cls.start(webhook=webhook, clock=clock)
        try:
            yield bot
        finally:
            await bot.stop()


class SimUser:
    """A Telegram user in a private chat with the bot (or writing in a group)."""

    def __init__(self, api: FakeBotApi, user_id: int, chat_id: int | None = None) -> None:
        self.api = api
        self.user = {"id": user_id, "is_bot": False, "first_name": f"user{user_id}",
                     "language_code": "zh-hans"}
        self.chat_id = chat_id if chat_id is not None else user_id
        self.mark = 0

    # ---- acting ---------------------------------------------------------------------------

    def _message(self, **content: Any) -> int:
        self.mark = len(self.events())
        return self.api.queue_update({"message": {
            "message_id": next(_message_ids), "date": int(time.time()),
            "chat": chat_of(self.chat_id), "from": self.user, **content}})

    def send(self, text: str) -> int:
        entities = ([{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
                    if text.startswith("/") else [])
        return self._message(text=text, entities=entities)

    def send_photo(self, file_id: str = "photo-file-1", size: int = 180_000) -> int:
        sizes = [{"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90,
                  "height": 90, "file_size": 2_000},
                 {"file_id": file_id, "file_unique_id": "b", "width": 1280, "height": 960,
                  "file_size": size}]
        return self._message(photo=sizes)

    def send_document(self, name: str, size: int, mime: str, file_id: str = "doc-file-1"
                      ) -> int:
        return self._message(document={"file_id": file_id, "file_unique_id": "d",
                                       "file_name": name, "mime_type": mime, "file_size": size})

    def send_sticker(self) -> int:
        return self._message(sticker={"file_id": "st", "file_unique_id": "st", "width": 512,
                                      "height": 512, "is_animated": False,
                                      "is_video": False, "type": "regular"})

    def callback_update(self, message: dict[str, Any], data: str) -> dict[str, Any]:
        return {"callback_query": {"id": self.api.new_callback_id(), "from": self.user,
                                   "chat_instance": "ci", "message": message, "data": data}}

    def press_data(self, message: dict[str, Any], data: str) -> str:
        """Press a button with this callback data on this message; returns the query id."""
        self.mark = len(self.events())
        update = self.callback_update(message, data)
        self.api.queue_update(update)
        return update["callback_query"]["id"]

    def press(self, label: str) -> str:
        """Press the newest button labelled `label` that is still shown in the chat."""
        for message in reversed(list(self.api.messages.get(self.chat_id, {}).values())):
            for button in buttons(message):
                if button["text"] == label and "callback_data" in button:
                    return self.press_data(dict(message), button["callback_data"])
        raise AssertionError(f"no button {label!r} on screen; chat so far:\n{self.transcript()}")

    # ---- observing ------------------------------------------------------------------------

    def events(self) -> list[Any]:
        return [c for c in self.api.calls(chat_id=self.chat_id) if c.method in TEXT_EVENTS]

    def texts(self, since: int = 0) -> list[str]:
        return [event_text(c) for c in self.events()[since:]]

    def transcript(self) -> str:
        return "\n---\n".join(self.texts())

    async def expect(self, fragment: str) -> list[str]:
        """Wait for a message (since the last action) containing `fragment`; returns all the
        texts received since that action, up to and including the match."""
        def found() -> list[str] | None:
            texts = self.texts(self.mark)
            for index, text in enumerate(texts):
                if fragment in text:
                    return texts[: index + 1]
            return None

        return await wait_until(found, lambda: (
            f"{fragment!r} in chat {self.chat_id}; received since the last action:\n"
            + "\n---\n".join(self.texts(self.mark))))

    async def expect_answered(self, query_id: str) -> dict[str, Any]:
        calls = await wait_until(
            lambda: [c for c in self.api.calls("answerCallbackQuery")
                     if c.params.get("callback_query_id") == query_id],
            lambda: f"an answerCallbackQuery for {query_id}")
        return calls[0].params


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def event_text(call: Any) -> str:
    return str(call.params.get("text") or call.params.get("caption") or "")


def bot_mention() -> str:
    return f"@{BOT_USER['username']}"
