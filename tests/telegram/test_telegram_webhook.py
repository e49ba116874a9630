"""Webhook mode: Telegram's secret-token header is required; without it nothing happens."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import httpx
import pytest
from telegram_fake_api import chat_of
from telegram_harness import RunningBot, SimUser, api_fixture, bot_env_fixture, database_fixture  # noqa: F401

from bot.storage import Storage

SECRET = "s3cret-Token_for_tests"
HOOK_PATH = "/telegram/hook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def webhook_env(bot_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> int:
    port = free_port()
    monkeypatch.setenv("WEBHOOK_URL", f"https://bot.example.test{HOOK_PATH}")
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("WEBHOOK_LISTEN", "127.0.0.1")
    monkeypatch.setenv("WEBHOOK_PORT", str(port))
    return port


def message_update(api, user_id: int, text: str) -> dict:
    return {"update_id": api.new_update_id(), "message": {
        "message_id": 1, "date": int(time.time()), "chat": chat_of(user_id),
        "from": {"id": user_id, "is_bot": False, "first_name": "x"}, "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}


def test_the_webhook_rejects_requests_without_the_secret_and_accepts_with_it(
        api, webhook_env: int, catalog, database: Path):
    url = f"http://127.0.0.1:{webhook_env}{HOOK_PATH}"

    async def scenario() -> None:
        async with RunningBot.serving(webhook=True):
            [registered] = api.calls("setWebhook")
            assert registered.params["url"] == f"https://bot.example.test{HOOK_PATH}"
            assert registered.params["secret_token"] == SECRET
            async with httpx.AsyncClient() as client:
                missing = await client.post(url, json=message_update(api, 5001, "/start"))
                wrong = await client.post(url, json=message_update(api, 5002, "/start"),
                                          headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
                right = await client.post(url, json=message_update(api, 5003, "/start"),
                                          headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)
            await SimUser(api, 5003).expect(catalog.text("field.kind.prompt"))
            assert api.calls("sendMessage", chat_id=5001) == []
            assert api.calls("sendMessage", chat_id=5002) == []
            assert api.calls("getUpdates") == [], "a webhook bot does not poll"
        storage = await Storage.open(database)
        try:
            assert await storage.user_ids() == ["telegram:5003"]
        finally:
            await storage.close()

    asyncio.run(scenario())
