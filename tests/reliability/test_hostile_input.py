"""Bad input and abuse: webhook requests that try to eat memory or connections, undecodable
terminal input, pathological analyze lines, oversized messages, floods, the per-user limits,
a bad LOG_LEVEL, lock maps that would grow forever, and replies stuck behind a dead network."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from bot_process import ROOT, SECRET, BotProcess, FakeBotApi, post_update, text_update

from bot.keyed_locks import KeyedLocks
from bot.service import ConversationService, FloodGate
from bot.storage import Storage
from flows import limits
from flows.catalog import Catalog
from flows.insight import understand_nothing
from flows.model import Attachment, Text, Upload

NOW = datetime(2026, 11, 28, 10, 0)
IO_SECONDS = 10.0


@pytest.fixture(scope="module")
def webhook_bot(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("webhook")
    api = FakeBotApi().start()
    bot = BotProcess(api, folder / "bot.sqlite3", folder, webhook=True).wait_ready()
    try:
        yield bot, api
    finally:
        bot.stop()
        api.stop()


def raw_request(port: int, head: str, body: bytes = b"") -> bytes:
    """Send a raw HTTP request and read until the server answers or hangs up."""
    with socket.create_connection(("127.0.0.1", port), timeout=IO_SECONDS) as connection:
        connection.settimeout(IO_SECONDS)
        connection.sendall(head.encode("latin-1") + body)
        return connection.recv(4096)


def head(secret: str, length: int) -> str:
    return ("POST /telegram/hook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: {length}\r\n\r\n")


def test_a_wrong_secret_is_refused_before_the_body_is_read(webhook_bot) -> None:
    bot, _ = webhook_bot
    started = time.monotonic()
    answer = raw_request(bot.port, head("wrong", 90_000_000))  # announces 90 MB, sends none
    assert answer.startswith(b"HTTP/1.1 403"), answer
    assert time.monotonic() - started < IO_SECONDS, "answered without waiting for the body"


def test_an_oversized_body_is_refused_by_its_length_and_while_streaming(webhook_bot) -> None:
    bot, _ = webhook_bot
    assert raw_request(bot.port, head(SECRET, 90_000_000)).startswith(b"HTTP/1.1 413")
    chunked = ("POST /telegram/hook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
               f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n\r\n")
    chunk = b"a" * 65536
    body = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 8  # 512 KB, no end
    assert raw_request(bot.port, chunked, body).startswith(b"HTTP/1.1 413")


def test_bad_json_gets_400_not_500(webhook_bot) -> None:
    bot, _ = webhook_bot
    for body in (b"{not json", b"[1, 2]", b'{"no_update_id": 1}', b"[" * 5000 + b"]" * 5000):
        answer = raw_request(bot.port, head(SECRET, len(body)), body)
        assert answer.startswith(b"HTTP/1.1 400"), (body[:20], answer)


def test_a_silent_connection_is_closed(webhook_bot) -> None:
    bot, _ = webhook_bot
    with socket.create_connection(("127.0.0.1", bot.port), timeout=IO_SECONDS) as connection:
        connection.settimeout(IO_SECONDS)
        started = time.monotonic()
        assert connection.recv(1024) == b"", "the server hung up"
        assert time.monotonic() - started < IO_SECONDS


def test_the_webhook_still_serves_a_real_update_after_the_abuse(webhook_bot) -> None:
    bot, api = webhook_bot
    assert post_update(bot.hook_url, text_update(api, 7401, "/start")) == 200


def run_cli(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin,
                          capture_output=True, timeout=120, cwd=cwd or ROOT, env=environment)


def test_invalid_utf8_on_the_terminal_gets_a_message_and_the_chat_goes_on(
        tmp_path: Path, catalog: Catalog) -> None:
    done = run_cli("chat", stdin=b"\xff\xfe\xfa bad bytes\n/help\n", cwd=tmp_path,
                   env={"DATABASE_PATH": str(tmp_path / "bot.sqlite3")})
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    assert catalog.text("input.not_utf8") in out
    assert catalog.text("help.text").splitlines()[0] in out, "the next line was handled"


@pytest.mark.parametrize("command", ["chat", "telegram"])
def test_an_invalid_log_level_is_one_line_naming_the_setting(tmp_path: Path, command: str
                                                             ) -> None:
    done = run_cli(command, cwd=tmp_path, env={"LOG_LEVEL": "LOUD",
                                               "DATABASE_PATH": str(tmp_path / "b.sqlite3")})
    lines = done.stderr.decode().strip().splitlines()
    assert done.returncode != 0
    assert len(lines) == 1 and "LOG_LEVEL" in lines[0], lines


def test_analyze_answers_every_bad_line_and_goes_on() -> None:
    lines = [
        "[" * 50_000 + "]" * 50_000,  # RecursionError in json
        json.dumps({"text": "甲" * 5_000_000}, ensure_ascii=False),  # 15 MB of UTF-8
        json.dumps({"text": "10月1号买的鞋1299元，穿了两天就开胶了"}, ensure_ascii=False),
    ]
    done = run_cli("analyze", stdin="\n".join(lines).encode("utf-8") + b"\n")
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert done.returncode == 0, done.stderr
    assert len(out) == 3
    assert "nested" in out[0]["error"]
    assert "longer than" in out[1]["error"]
    assert out[2]["facts"]["amount"] is not None


def service_for(storage: Storage, catalog: Catalog) -> ConversationService:
    return ConversationService(storage, catalog, clock=lambda: NOW,
                               understand=understand_nothing)


def test_an_oversized_message_is_refused_without_a_step(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> tuple[str, int]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        service = service_for(storage, catalog)
        replies = await service.handle("dave", Text("很" * (limits.MAX_TEXT_CHARS + 1)))
        users = await storage.user_ids()
        await storage.close()
        return replies[0].text, len(users)

    text, users = asyncio.run(scenario())
    assert text == catalog.text(limits.TEXT_KEY, got=limits.MAX_TEXT_CHARS + 1,
                                max=limits.MAX_TEXT_CHARS)
    assert users == 0, "nothing was stored"


def test_a_flood_is_answered_once_then_ignored_for_the_minute(tmp_path: Path,
                                                               catalog: Catalog) -> None:
    async def scenario() -> list[list[str]]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        service = service_for(storage, catalog)
        answers = []
        for number in range(limits.MAX_MESSAGES_PER_MINUTE + 3):
            handled = await service.handle_update("telegram:9", Text("/help"),
                                                  update_key=f"telegram:update:{number}")
            answers.append([reply.text for reply in handled.replies])
        await storage.close()
        return answers

    answers = asyncio.run(scenario())
    allowed = limits.MAX_MESSAGES_PER_MINUTE
    assert all(catalog.text("help.text") in texts for texts in answers[:allowed])
    assert answers[allowed] == [catalog.text(limits.FLOOD_KEY)]
    assert answers[allowed + 1:] == [[], []]


def test_drafts_and_uploads_stop_at_their_limits(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> tuple[int, int, str, str]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        service = service_for(storage, catalog)
        last_new = ""
        for _ in range(limits.MAX_DRAFTS_PER_USER + 2):
            last_new = (await service.handle("erin", Text("/new")))[-1].text
        last_upload = ""
        for number in range(limits.MAX_UPLOADS_PER_DRAFT + 2):
            attachment = Attachment(kind="photo", file_id=f"p{number}", size=1000,
                                    mime="image/jpeg")
            last_upload = (await service.handle("erin", Upload(attachment)))[-1].text
        session = await storage.load("erin")
        await storage.close()
        active = session.active_draft()
        assert active is not None
        return len(session.drafts), len(active.attachments), last_new, last_upload

    drafts, uploads, last_new, last_upload = asyncio.run(scenario())
    assert drafts == limits.MAX_DRAFTS_PER_USER
    assert last_new == catalog.text(limits.DRAFTS_KEY, max=limits.MAX_DRAFTS_PER_USER)
    assert uploads == limits.MAX_UPLOADS_PER_DRAFT
    assert last_upload == catalog.text(limits.UPLOADS_KEY, max=limits.MAX_UPLOADS_PER_DRAFT)


def test_lock_and_flood_maps_keep_only_current_users() -> None:
    async def scenario() -> int:
        locks = KeyedLocks()

        async def use(user: int) -> None:
            async with locks.hold(user):
                await asyncio.sleep(0)

        await asyncio.gather(*(use(user % 500) for user in range(2000)))
        return len(locks)

    assert asyncio.run(scenario()) == 0
    now = [0.0]
    gate = FloodGate(per_minute=5, clock=lambda: now[0])
    for user in range(1000):
        gate.admit(f"u{user}")
    assert len(gate) == 1000
    now[0] = 61.0
    gate.admit("late")
    assert len(gate) == 1, "users quiet for a minute are dropped"


def test_a_reply_stuck_in_retries_does_not_keep_the_next_message_from_being_stored(
        tmp_path: Path, catalog: Catalog) -> None:
    api = FakeBotApi().start()
    database = tmp_path / "bot.sqlite3"
    try:
        api.fail_next("sendMessage", "network", times=12)  # Telegram unreachable for a while
        bot = BotProcess(api, database, tmp_path).wait_ready()
        try:
            for text in ("/start", "/help", "/privacy"):
                api.queue_update({k: v for k, v in text_update(api, 7501, text).items()
                                  if k != "update_id"})
            deadline = time.monotonic() + 3.0  # well inside the first reply's retries
            stored = 0
            while time.monotonic() < deadline and stored < 3:
                with sqlite3.connect(database, timeout=5) as db:
                    stored = db.execute("SELECT count(*) FROM inbox").fetchone()[0]
                time.sleep(0.05)
            assert stored == 3, "all three messages were stored while the first reply waited"
            wanted = catalog.text("privacy.statement")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not any(
                    wanted in str(c.params.get("text")) for c in api.calls("sendMessage")):
                time.sleep(0.1)
            assert any(wanted in str(c.params.get("text")) for c in api.calls("sendMessage")), \
                "the replies went out once Telegram was back"
        finally:
            bot.stop()
    finally:
        api.stop()
