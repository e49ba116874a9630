"""The webhook server: Starlette on uvicorn, guarded before anything is read.

Order of checks on a POST to the webhook path: the secret header (403 without reading the
body), the announced length (413), then the body read in chunks up to a cap and within a
time limit (413, 408), then JSON (400). Only an update stored by `accept` (in the inbox,
committed) is answered 200, so Telegram keeps retrying anything not yet safe on disk.
Connections that send no request within a few seconds are closed, idle keep-alive
connections too, and the number of open connections is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.crashpoints import crash_point

SECRET_HEADER = "x-telegram-bot-api-secret-token"
# Telegram updates are a few kilobytes; a message's text is at most 4096 characters.
MAX_BODY_BYTES = 256 * 1024
BODY_SECONDS = 10.0  # to receive the whole body once the headers are in
REQUEST_SECONDS = 5.0  # for a new connection to send its request line and headers
KEEP_ALIVE_SECONDS = 5
MAX_CONNECTIONS = 100

Accept = Callable[[dict[str, Any]], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


async def read_capped(request: Request, limit: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


def webhook_app(path: str, secret: str, accept: Accept, *,
                max_body: int = MAX_BODY_BYTES) -> Starlette:
    """The ASGI app: one POST route at `path`; `accept` stores an update (raises ValueError
    for a body that is JSON but not an update)."""
    expected = secret.encode()

    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            return Response(status_code=413)
        try:
            body = await asyncio.wait_for(read_capped(request, max_body), BODY_SECONDS)
        except BodyTooLarge:
            return Response(status_code=413)
        except TimeoutError:
            return Response(status_code=408)
        try:
            update = json.loads(body)
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                raise ValueError("not an update")
            await accept(update)
        except (ValueError, RecursionError):
            return Response(status_code=400)
        return Response(status_code=200,
                        background=BackgroundTask(crash_point, "acknowledged"))

    return Starlette(routes=[Route(path, receive_update, methods=["POST"])])


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, plus a deadline for a new connection's first request
    (uvicorn only times out connections idle after a response)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._first_request_deadline = self.loop.call_later(REQUEST_SECONDS,
                                                            self._drop_if_silent)

    def _drop_if_silent(self) -> None:
        if self.cycle is None and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._first_request_deadline.cancel()
        super().connection_lost(exc)


class WebhookServer(uvicorn.Server):
    """uvicorn without its signal handlers: the bot's own handlers stop everything in order."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before serving so a busy port is our one-line error."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def build_server(app: Starlette) -> WebhookServer:
    # log_config=None: its records go to the root logger, whose handlers redact them.
    config = uvicorn.Config(app, lifespan="off", access_log=False, log_level="warning",
                            log_config=None,
                            http=GuardedH11Protocol, timeout_keep_alive=KEEP_ALIVE_SECONDS,
                            limit_concurrency=MAX_CONNECTIONS,
                            h11_max_incomplete_event_size=16 * 1024,
                            timeout_graceful_shutdown=5)
    return WebhookServer(config)
