"""python-telegram-bot's Bot API requests over aiohttp instead of its default, httpx.

Every turn makes two requests, the long poll that brings the update and the answer, and
PTB's httpx transport spent more of a turn's CPU on them than the turn's own work; aiohttp
parses HTTP in compiled code. The parameters go as one JSON body (the Bot API takes JSON
for every method without a file): Chinese text is three bytes a character there, against
nine when form-encoded. PTB keeps everything above the transport (building the
parameters, status codes, Telegram's errors, the rate limiter's retries); this module only
moves the bytes, and turns transport failures into PTB's `TimedOut` and `NetworkError` as
PTB's own transport does, so callers' retries behave the same.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

JSON_HEADERS = {"Content-Type": "application/json"}
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


class AiohttpRequest(BaseRequest):
    """A keep-alive connection pool for the Bot API, with PTB's timeouts (read, write,
    connect, and the wait for a free connection: seconds, or None for no limit) and its
    defaults. An HTTP proxy comes from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY),
    as with httpx; it is looked up once per host, not per request (aiohttp's own lookup
    reads ~/.netrc on a thread for every request)."""

    __slots__ = ("_connect_timeout", "_media_write_timeout", "_pool_size", "_pool_timeout",
                 "_proxies", "_read_timeout", "_session", "_write_timeout")

    def __init__(self, *, pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0,
                 media_write_timeout: float | None = 20.0) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                cookie_jar=aiohttp.DummyCookieJar())
            self._proxies.clear()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        uploads = request_data is not None and request_data.contains_files
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout,
                       self._media_write_timeout if uploads else self._write_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        try:
            async with session.request(
                    method, url, allow_redirects=False, proxy=self._proxy(url),
                    timeout=_timeout(read, write, connect, pool),
                    **_body(request_data)) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _proxy(self, url: str) -> str | None:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            self._proxies[key] = environment_proxy(*key)
        return self._proxies[key]


def environment_proxy(scheme: str, host: str) -> str | None:
    """The proxy the environment names for `scheme`://`host` (NO_PROXY honoured), or None;
    a Bot API server on this machine (a local test or `telegram-bot-api` server) is reached
    directly."""
    proxies = urllib.request.getproxies_environment()
    if (not proxies or host in LOOPBACK
            or urllib.request.proxy_bypass_environment(host, proxies)):
        return None
    return proxies.get(scheme) or proxies.get("all")


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _timeout(read: float | None, write: float | None, connect: float | None,
             pool: float | None) -> aiohttp.ClientTimeout:
    """aiohttp bounds the wait for a free connection and the connect together (`connect`),
    each socket read (`sock_read`), and the whole request (`total`); a write has no bound
    of its own, so the whole request gets the sum of PTB's four limits."""
    parts = (read, write, connect, pool)
    total = None if None in parts else sum(part for part in parts if part is not None)
    waiting = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=total, connect=waiting, sock_connect=connect,
                                 sock_read=read)


def _body(request_data: RequestData | None) -> dict[str, Any]:
    """A JSON body, or multipart form data when files are uploaded (as the Bot API needs)."""
    if request_data is None:
        return {}
    if not request_data.contains_files:
        payload = json.dumps(request_data.parameters, ensure_ascii=False,
                             separators=(",", ":")).encode("utf-8")
        return {"data": payload, "headers": JSON_HEADERS}
    form = aiohttp.FormData(quote_fields=False)  # file names in UTF-8, as PTB's httpx sends
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        filename, content, *mimetype = upload
        form.add_field(name, content, filename=filename,
                       content_type=mimetype[0] if mimetype else None)
    return {"data": form}
