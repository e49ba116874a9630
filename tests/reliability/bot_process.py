"""The bot as a separate process (`complaint-bot telegram`), to be killed with SIGKILL.

`BotProcess` starts the real command against the fake Bot API with a fresh environment,
waits (bounded) until it says it is serving, and can kill it without any cleanup. Webhook
updates are posted the way Telegram does: with the secret header, retried until a 200.
Every wait and every request here has a timeout.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "telegram"))

from telegram_fake_api import TOKEN, FakeBotApi, chat_of  # noqa: E402

SECRET = "reliability-Secret_token"
HOOK_PATH = "/telegram/hook"
START_SECONDS = 30.0
WAIT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotProcess:
    def __init__(self, api: FakeBotApi, database: Path, workdir: Path, *, webhook: bool = False,
                 port: int | None = None, crash_at: str | None = None,
                 log_level: str = "WARNING", extra_env: dict[str, str] | None = None) -> None:
        self.webhook = webhook
        self.port = port or free_port()
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_", "LOG_"))}
        env.update({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.url,
                    "DATABASE_PATH": str(database), "LOG_LEVEL": log_level,
                    "PYTHONPATH": str(ROOT)})
        if webhook:
            env.update({"WEBHOOK_URL": f"https://bot.example.test{HOOK_PATH}",
                        "WEBHOOK_SECRET": SECRET, "WEBHOOK_LISTEN": "127.0.0.1",
                        "WEBHOOK_PORT": str(self.port)})
        env.pop("COMPLAINT_BOT_CRASH_AT", None)
        if crash_at:
            env["COMPLAINT_BOT_CRASH_AT"] = crash_at
        env.update(extra_env or {})
        command = [sys.executable, "-m", "bot.cli", "telegram", *(["--webhook"] if webhook else [])]
        self.process = subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.stderr: list[str] = []
        self._ready = threading.Event()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            line = raw.decode("utf-8", "replace")
            self.stderr.append(line)
            if "is serving users" in line:
                self._ready.set()

    def wait_ready(self) -> BotProcess:
        deadline = time.monotonic() + START_SECONDS
        while not self._ready.is_set():
            if self.process.poll() is not None:
                raise AssertionError(f"the bot exited ({self.process.returncode}):\n"
                                     + "".join(self.stderr))
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("the bot did not start:\n" + "".join(self.stderr))
            time.sleep(0.02)
        return self

    def wait_killed(self, seconds: float = WAIT_SECONDS) -> int:
        """For a process that kills itself at a crash point: its exit status."""
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("the bot did not reach its crash point:\n"
                                 + "".join(self.stderr)) from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT_SECONDS)

    def stop(self) -> int:
        """Ctrl-C, as an operator would; killed if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError("the bot did not stop on SIGINT") from None
        return self.process.returncode

    @property
    def hook_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{HOOK_PATH}"


def text_update(api: FakeBotApi, user_id: int, text: str) -> dict[str, Any]:
    """An update as Telegram sends it; its id from the fake, like a real update id."""
    entities = ([{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
                if text.startswith("/") else [])
    return {"update_id": api.new_update_id(), "message": {
        "message_id": api.new_update_id(), "date": int(time.time()), "chat": chat_of(user_id),
        "from": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
        "text": text, "entities": entities}}


def post_update(url: str, update: dict[str, Any], *, seconds: float = 2.0) -> int | None:
    """One webhook delivery; the status, or None when the connection failed."""
    try:
        response = httpx.post(url, json=update, timeout=seconds,
                              headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    except httpx.HTTPError:
        return None
    return response.status_code


def deliver_until_accepted(url: str, update: dict[str, Any], seconds: float = WAIT_SECONDS,
                           pause: float = 0.1) -> None:
    """What Telegram does with a webhook: retry until the bot answers 200."""
    deadline = time.monotonic() + seconds
    while post_update(url, update) != 200:
        if time.monotonic() > deadline:
            raise AssertionError(f"the webhook never accepted update {update['update_id']}")
        time.sleep(pause)


def sent_texts(api: FakeBotApi, chat_id: int) -> list[str]:
    return [str(call.params.get("text") or "") for call in api.calls("sendMessage",
                                                                      chat_id=chat_id)]


def wait_for(condition: Any, what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)
