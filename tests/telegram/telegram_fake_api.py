"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests (standard library only).

It speaks enough of the Bot API for python-telegram-bot: getMe, getUpdates (long polling
with offsets, like Telegram), sendMessage, sendDocument, edits, answerCallbackQuery,
setMyCommands and the webhook calls. Tests queue updates as a simulated user would cause
them, read back what the bot sent, and can make the next call to a method fail (429, a
dropped connection, a 400, a 403 from a user who blocked the bot) to see the bot cope.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "123456789:TEST-token_for_the_fake_bot_api_xyz"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "投诉助手",
            "username": "complaint_test_bot"}
# Parameters PTB sends JSON-encoded inside form fields.
JSON_PARAMS = {"reply_markup", "commands", "scope", "link_preview_options", "allowed_updates",
               "entities", "caption_entities", "reply_parameters"}
MAX_POLL_WAIT = 0.5  # seconds a getUpdates may hang before answering "nothing new"


@dataclass
class Call:
    """One request the bot made, with its parameters decoded."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # name → (filename, data)
    outcome: str = "ok"  # ok | 429 | network | 400 | 403


class FakeBotApi:
    def __init__(self, tokens: tuple[str, ...] = (TOKEN,)) -> None:
        self.tokens = set(tokens)
        self._lock = threading.Condition()
        self._calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._confirmed = 0  # updates below this id were acknowledged by an offset
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._failures: dict[str, list[str]] = {}
        self.messages: dict[int, dict[int, dict[str, Any]]] = {}  # chat → id → message now
        self._server: ThreadingHTTPServer | None = None
        self._stopping = False

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                api._serve(self)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client hanging up at shutdown is not news

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # ---- what tests do --------------------------------------------------------------------

    def fail_next(self, method: str, outcome: str, times: int = 1) -> None:
        """Make the next `times` calls of `method` fail with `outcome` (429, network, 400,
        403)."""
        with self._lock:
            self._failures.setdefault(method, []).extend([outcome] * times)

    def queue_update(self, payload: dict[str, Any]) -> int:
        with self._lock:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **payload})
            self._lock.notify_all()
            return update_id

    def new_update_id(self) -> int:
        """For updates delivered by webhook rather than getUpdates."""
        return next(self._update_ids)

    def new_callback_id(self) -> str:
        return f"cb{next(self._callback_ids)}"

    def calls(self, method: str | None = None, chat_id: int | None = None,
              outcome: str | None = "ok") -> list[Call]:
        with self._lock:
            return [c for c in self._calls
                    if (method is None or c.method == method)
                    and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
                    and (outcome is None or c.outcome == outcome)]

    def pending_updates(self) -> int:
        with self._lock:
            return len([u for u in self._updates if u["update_id"] >= self._confirmed])

    # ---- serving --------------------------------------------------------------------------

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        _, _, rest = path.partition("/bot")
        token, _, method = rest.partition("/")
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if token not in self.tokens:
            self._reply(request, 401, {"ok": False, "error_code": 401,
                                       "description": "Unauthorized"})
            return
        params, files = _decode(request.headers.get("Content-Type", ""), body)
        with self._lock:
            failures = self._failures.get(method)
            outcome = failures.pop(0) if failures else "ok"
            self._calls.append(Call(method, params, files, outcome))
        if outcome == "429":
            self._reply(request, 429, {"ok": False, "error_code": 429,
                                       "description": "Too Many Requests: retry after 1",
                                       "parameters": {"retry_after": 1}})
            return
        if outcome == "network":
            request.close_connection = True  # hang up without an answer
            return
        if outcome == "403":  # what Telegram answers once the user has blocked the bot
            self._reply(request, 403, {"ok": False, "error_code": 403,
                                       "description": "Forbidden: bot was blocked by the user"})
            return
        if outcome == "400":
            self._reply(request, 400, {"ok": False, "error_code": 400,
                                       "description": "Bad Request: made to fail by the test"})
            return
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            self._reply(request, 404, {"ok": False, "error_code": 404,
                                       "description": "Not Found: method not found"})
            return
        self._reply(request, 200, {"ok": True, "result": handler(params, files)})

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    # ---- the methods ----------------------------------------------------------------------

    def _api_getMe(self, params: dict[str, Any], files: dict) -> Any:
        return BOT_USER

    def _api_getUpdates(self, params: dict[str, Any], files: dict) -> Any:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), MAX_POLL_WAIT)
        deadline = time.monotonic() + wait
        with self._lock:
            self._confirmed = max(self._confirmed, offset)
            while True:
                ready = [u for u in self._updates if u["update_id"] >= self._confirmed]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0 or self._stopping:
                    return ready
                self._lock.wait(remaining)

    def _api_sendMessage(self, params: dict[str, Any], files: dict) -> Any:
        return self._store(params, text=params["text"])

    def _api_sendDocument(self, params: dict[str, Any], files: dict) -> Any:
        filename, _ = files.get("document", ("", b""))
        document = {"file_id": f"doc{next(self._message_ids)}", "file_unique_id": "u",
                    "file_name": filename}
        return self._store(params, document=document, caption=params.get("caption", ""))

    def _api_editMessageText(self, params: dict[str, Any], files: dict) -> Any:
        return self._edit(params, text=params["text"])

    def _api_editMessageReplyMarkup(self, params: dict[str, Any],
                                    files: dict) -> Any:
        return self._edit(params)

    def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict) -> Any:
        return True

    def _api_setMyCommands(self, params: dict[str, Any], files: dict) -> Any:
        return True

    def _api_setWebhook(self, params: dict[str, Any], files: dict) -> Any:
        return True

    def _api_deleteWebhook(self, params: dict[str, Any], files: dict) -> Any:
        return True

    def _store(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": chat_of(chat_id), "from": BOT_USER, **content}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        with self._lock:
            self.messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def _edit(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        with self._lock:
            message = self.messages[chat_id][message_id]
            message.update(content)
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            else:
                message.pop("reply_markup", None)
            return dict(message)


def chat_of(chat_id: int) -> dict[str, Any]:
    """Positive ids are private chats with a user, negative ones groups (as in Telegram)."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"user{chat_id}"}
    return {"id": chat_id, "type": "group", "title": "一个群"}


def _decode(content_type: str, body: bytes) -> tuple[dict[str, Any], dict]:
    """Form, multipart or JSON bodies into plain values; JSON-typed fields are parsed."""
    params: dict[str, Any] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                files[name] = (part.get_filename(), data)
            else:
                params[name] = data.decode("utf-8")
    elif content_type.startswith("application/json"):
        params = json.loads(body or b"{}")
    elif body:
        params = {key: values[-1] for key, values in parse_qs(body.decode("utf-8")).items()}
    for key in JSON_PARAMS & params.keys():
        if isinstance(params[key], str):
            params[key] = json.loads(params[key])
    return params, files
