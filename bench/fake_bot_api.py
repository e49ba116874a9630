"""A lean fake Telegram Bot API for load measurements, with the simulated users inside it.

It runs its own event loop in its own thread on 127.0.0.1, speaks just enough HTTP/1.1
(keep-alive, Content-Length bodies) and Bot API (getMe, getUpdates with offsets and long
polling, sendMessage, sendDocument, edits, answerCallbackQuery, setMyCommands, deleteWebhook)
for python-telegram-bot, and keeps no message history, so its own cost stays small and
constant. Each simulated user types the lines of a script; a turn ends when the bot sends the
message the script expects last for that turn, and the user then types the next line (at once,
or after a pause drawn from `pace`). The thread's own CPU time is recorded, so the bot's CPU
can be told apart from the fake's.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

TOKEN = "123456789:LOAD-token_for_the_fake_bot_api_xyz"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "load", "username": "load_test_bot"}
SEND_METHODS = ("sendMessage", "sendDocument")
FIRST_CHAT = 10_000  # chat ids of the simulated users start here (private chats are > 0)


@dataclass(frozen=True)
class Script:
    """What every user types (`lines`) and, per line, the text of the bot's last message of
    that turn (`last_texts`), which tells the user the bot has finished answering."""

    lines: tuple[str, ...]
    last_texts: tuple[str, ...]


@dataclass
class SimulatedUser:
    chat_id: int
    next_line: int = 0
    sent_at: float = 0.0
    latencies: list[float] = field(default_factory=list)


@dataclass
class RunFigures:
    """What one run measured, in the fake's thread."""

    turns: int
    wall_s: float
    fake_cpu_s: float
    process_cpu_s: float
    messages: int
    edits: int
    latencies_s: list[float]
    finished_users: int


class LoadBotApi:
    def __init__(self, script: Script, users: int, pace: tuple[float, float] | None = None,
                 seed: int = 17) -> None:
        self.script = script
        self.pace = pace
        self.random = random.Random(seed)
        self.users = {FIRST_CHAT + n: SimulatedUser(FIRST_CHAT + n) for n in range(users)}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._new_update: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.done = threading.Event()
        self.port = 0
        self._counting = False
        self._messages = 0
        self._edits = 0
        self._started_wall = 0.0
        self._ended_wall = 0.0
        self._started_cpu = 0.0
        self._ended_cpu = 0.0
        self._started_process_cpu = 0.0
        self._ended_process_cpu = 0.0
        self._finished = 0

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> LoadBotApi:
        self._thread = threading.Thread(target=self._run, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake Bot API did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def _shutdown(self) -> None:
        """Close the server and every connection, so nothing is left pending."""
        assert self._server is not None
        self._server.close()
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._new_update = asyncio.Event()
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            self._loop.close()

    # ---- the users ------------------------------------------------------------------------

    def begin(self) -> None:
        """Every user starts the script (at once, or spread over one pause when paced)."""
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._begin)

    def _begin(self) -> None:
        self._counting = True
        self._started_wall = time.perf_counter()
        self._started_cpu = time.thread_time()
        self._started_process_cpu = time.process_time()
        for user in self.users.values():
            delay = self.random.uniform(0, self.pace[1]) if self.pace else 0.0
            self._type_next(user, delay)

    def _type_next(self, user: SimulatedUser, delay: float) -> None:
        assert self._loop is not None
        if delay > 0:
            self._loop.call_later(delay, self._type, user)
        else:
            self._type(user)

    def _type(self, user: SimulatedUser) -> None:
        text = self.script.lines[user.next_line]
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": {"id": user.chat_id, "type": "private", "first_name": "u"},
            "from": {"id": user.chat_id, "is_bot": False, "first_name": "u"}, "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        self._updates.append({"update_id": next(self._update_ids), "message": message})
        user.sent_at = time.perf_counter()
        assert self._new_update is not None
        self._new_update.set()

    def _received(self, chat_id: int, text: str) -> None:
        user = self.users.get(chat_id)
        if user is None or user.next_line >= len(self.script.lines):
            return
        if text != self.script.last_texts[user.next_line]:
            return
        user.latencies.append(time.perf_counter() - user.sent_at)
        user.next_line += 1
        if user.next_line < len(self.script.lines):
            self._type_next(user, self.random.uniform(*self.pace) if self.pace else 0.0)
            return
        self._finished += 1
        if self._finished == len(self.users):
            self._ended_wall = time.perf_counter()
            self._ended_cpu = time.thread_time()
            self._ended_process_cpu = time.process_time()
            self._counting = False
            self.done.set()

    def figures(self) -> RunFigures:
        """Read after `done` (or after giving up): a run cut short reports what it did."""
        ended_wall = self._ended_wall or time.perf_counter()
        return RunFigures(
            turns=sum(len(u.latencies) for u in self.users.values()),
            wall_s=ended_wall - self._started_wall,
            fake_cpu_s=(self._ended_cpu - self._started_cpu) if self._ended_cpu else float("nan"),
            process_cpu_s=(self._ended_process_cpu - self._started_process_cpu
                           if self._ended_cpu else float("nan")),
            messages=self._messages, edits=self._edits,
            latencies_s=[x for u in self.users.values() for x in u.latencies],
            finished_users=self._finished)

    # ---- HTTP -----------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                headers = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length") or 0)
                body = await reader.readexactly(length) if length else b""
                path = request_line.split(" ")[1]
                method = path.rsplit("/", 1)[-1]
                params = _decode(headers.get("content-type", ""), body)
                result = await self._call(method, params)
                payload = json.dumps({"ok": True, "result": result},
                                     ensure_ascii=False).encode("utf-8")
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n"
                             + payload)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # the client hung up, or the fake is shutting down
        finally:
            writer.close()

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getUpdates":
            return await self._get_updates(params)
        if method in SEND_METHODS:
            chat_id = int(params["chat_id"])
            text = params.get("text") or params.get("caption") or ""
            if self._counting:
                self._messages += 1
            self._received(chat_id, text)
            message = {"message_id": next(self._message_ids), "date": int(time.time()),
                       "chat": {"id": chat_id, "type": "private", "first_name": "u"},
                       "from": BOT_USER}
            if method == "sendDocument":
                message["document"] = {"file_id": "d", "file_unique_id": "d"}
                message["caption"] = text
            else:
                message["text"] = text
            return message
        if method == "editMessageText":
            if self._counting:
                self._edits += 1
            chat_id = int(params["chat_id"])
            self._received(chat_id, params.get("text") or "")
            return {"message_id": int(params["message_id"]), "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "u"},
                    "from": BOT_USER, "text": params.get("text") or ""}
        if method == "getMe":
            return BOT_USER
        return True  # setMyCommands, deleteWebhook, answerCallbackQuery, editMessageReplyMarkup

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert self._new_update is not None
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            timeout = min(float(params.get("timeout") or 0), 1.0)
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout)
            except TimeoutError:
                return []
        limit = int(params.get("limit") or 100)
        return self._updates[:limit]


def _decode(content_type: str, body: bytes) -> dict[str, Any]:
    """Form, JSON or multipart parameters as strings (JSON-typed fields stay encoded)."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        params = {}
        for part in message.iter_parts():
            if part.get_filename() is None:
                name = part.get_param("name", header="content-disposition")
                params[name] = (part.get_payload(decode=True) or b"").decode("utf-8")
        return params
    return {key: values[-1] for key, values in parse_qs(body.decode("utf-8")).items()}
