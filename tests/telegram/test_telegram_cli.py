"""`complaint-bot telegram` as a process: one clear line for a bad start, a clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from telegram_fake_api import TOKEN, FakeBotApi
from telegram_harness import WAIT_SECONDS, SimUser, api_fixture, bot_env_fixture, database_fixture  # noqa: F401

SCRIPT = Path(sys.executable).with_name("complaint-bot")
SETTINGS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET",
            "WEBHOOK_LISTEN", "WEBHOOK_PORT", "DATABASE_PATH", "LOG_LEVEL", "DEFAULT_LOCALE")


def command(*args: str) -> list[str]:
    if SCRIPT.exists():
        return [str(SCRIPT), "telegram", *args]
    return [sys.executable, "-c", "from bot.cli import main; main()", "telegram", *args]


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["DATABASE_PATH"] = str(tmp_path / "db.sqlite3")
    env.update(settings)
    return env


def closed_port_url() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.mark.parametrize(("settings", "args", "says"), [
    ({}, (), "TELEGRAM_BOT_TOKEN is not set"),
    ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, (), "TELEGRAM_BOT_TOKEN is malformed"),
    ({"TELEGRAM_BOT_TOKEN": "987654321:" + "x" * 35}, (), "rejected TELEGRAM_BOT_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "unreachable"}, (),
     "cannot reach the Telegram Bot API"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_PORT": "99999"}, (), "WEBHOOK_PORT is not valid"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "api.telegram.org"}, (),
     "TELEGRAM_API_BASE_URL is not valid"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://bot.example.test/hook"},
     ("--webhook",), "WEBHOOK_SECRET is not set"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "http://bot.example.test/hook"},
     ("--webhook",), "WEBHOOK_URL is not valid"),
])
def test_a_bad_start_prints_one_line_that_says_what_to_fix(api: FakeBotApi, tmp_path: Path,
                                                           settings, args, says):
    settings = dict(settings)
    base = settings.get("TELEGRAM_API_BASE_URL")
    settings["TELEGRAM_API_BASE_URL"] = (closed_port_url() if base == "unreachable"
                                         else base or api.url)
    done = subprocess.run(command(*args), env=environment(tmp_path, **settings), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("complaint-bot telegram: ") and says in lines[0]
    assert "Traceback" not in done.stderr
    assert api.calls("sendMessage") == []


def test_the_command_serves_users_and_stops_cleanly_on_sigterm(api: FakeBotApi, tmp_path: Path,
                                                               catalog):
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.url)
    process = subprocess.Popen(command(), env=env, cwd=tmp_path, stderr=subprocess.PIPE,
                               text=True)
    try:
        user = SimUser(api, 6001)
        user.send("/start")
        deadline = time.monotonic() + WAIT_SECONDS
        while not any(catalog.text("field.kind.prompt") in text for text in user.texts()):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "no answer from the bot process"
            time.sleep(0.02)
        assert len(api.calls("setMyCommands")) == 1
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=WAIT_SECONDS)
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
    assert (tmp_path / "db.sqlite3").exists()
