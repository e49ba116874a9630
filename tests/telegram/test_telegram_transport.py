"""The Bot API transport (`bot.telegram_http`) against small servers on 127.0.0.1: what it
sends, and that transport failures reach the bot as PTB's own errors, which its retries
(`TelegramChannel.deliver`, the polling loop) know how to handle."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot.telegram_http import AiohttpRequest, environment_proxy

TOKEN = "123456:TEST"
BOUND = 10.0  # seconds any scenario may take at most
Handler = Callable[[bytes, bytes], Awaitable[bytes | None]]


async def serve(handler: Handler) -> tuple[asyncio.Server, str]:
    """An HTTP/1.1 server that reads one request at a time and answers with `handler`'s body
    (or never answers, when it returns None)."""

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                body = await reader.readexactly(length)
                answer = await handler(head, body)
                if answer is None:
                    await asyncio.sleep(BOUND)
                    return
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(answer), answer))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


@contextlib.asynccontextmanager
async def serving(handler: Handler, **settings: float) -> AsyncIterator[tuple[str, AiohttpRequest]]:
    """A server answering with `handler`, and a transport initialized for it; both closed after."""
    server, root = await serve(handler)
    request = AiohttpRequest(**settings)
    await request.initialize()
    try:
        yield root, request
    finally:
        await request.shutdown()
        server.close()


def bot_at(root: str, request: AiohttpRequest) -> Bot:
    return Bot(TOKEN, base_url=f"{root}/bot", request=request,
               get_updates_request=AiohttpRequest(pool_size=1))


def ok(result: object) -> bytes:
    return json.dumps({"ok": True, "result": result}).encode()


def message(text: str) -> dict[str, object]:
    return {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}, "text": text}


def test_a_message_goes_as_one_json_body_with_the_chinese_text_and_buttons_intact() -> None:
    received: list[tuple[bytes, dict]] = []

    async def handler(head: bytes, body: bytes) -> bytes:
        received.append((head, json.loads(body)))
        return ok(message(received[-1][1]["text"]))

    async def scenario() -> str | None:
        async with serving(handler) as (root, request):
            sent = await bot_at(root, request).send_message(7, "你好，请问商家叫什么名字？", api_kwargs={
                "reply_markup": {"inline_keyboard": [[{"text": "跳过", "callback_data": "s"}]]}})
            return sent.text

    text = asyncio.run(asyncio.wait_for(scenario(), BOUND))
    assert text == "你好，请问商家叫什么名字？"
    head, params = received[0]
    assert b"/bot123456:TEST/sendMessage" in head
    assert b"content-type: application/json" in head.lower()
    assert params["chat_id"] == 7
    assert params["reply_markup"] == {"inline_keyboard": [[{"text": "跳过",
                                                             "callback_data": "s"}]]}


def test_a_document_goes_as_multipart_form_data_with_its_chinese_file_name() -> None:
    bodies: list[bytes] = []

    async def handler(head: bytes, body: bytes) -> bytes:
        assert b"multipart/form-data" in head.lower()
        bodies.append(body)
        return ok({**message(""), "document": {"file_id": "d", "file_unique_id": "d"}})

    async def scenario() -> None:
        async with serving(handler) as (root, request):
            await bot_at(root, request).send_document(
                7, InputFile("投诉内容".encode(), filename="12315投诉稿-1.txt"), caption="请核对")

    asyncio.run(asyncio.wait_for(scenario(), BOUND))
    assert 'filename="12315投诉稿-1.txt"'.encode() in bodies[0]
    assert "投诉内容".encode() in bodies[0]
    assert "请核对".encode() in bodies[0]


def test_a_server_that_does_not_answer_in_time_is_a_timeout() -> None:
    async def handler(head: bytes, body: bytes) -> None:
        return None

    async def scenario() -> None:
        async with serving(handler, read_timeout=0.3) as (root, request):
            await bot_at(root, request).send_message(7, "在吗")

    with pytest.raises(TimedOut):
        asyncio.run(asyncio.wait_for(scenario(), BOUND))


def test_an_address_nobody_listens_on_is_a_network_error_not_a_timeout() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        root = f"http://127.0.0.1:{probe.getsockname()[1]}"

    async def scenario() -> None:
        request = AiohttpRequest(connect_timeout=2.0)
        await request.initialize()
        try:
            await bot_at(root, request).send_message(7, "在吗")
        finally:
            await request.shutdown()

    with pytest.raises(NetworkError) as raised:
        asyncio.run(asyncio.wait_for(scenario(), BOUND))
    assert not isinstance(raised.value, TimedOut)


def test_a_request_before_initialize_or_after_shutdown_is_refused_plainly() -> None:
    async def scenario() -> None:
        request = AiohttpRequest()
        with pytest.raises(RuntimeError, match="not initialized"):
            await request.do_request("http://127.0.0.1:9/bot/getMe", "POST")
        await request.initialize()
        await request.shutdown()
        with pytest.raises(RuntimeError, match="not initialized"):
            await request.do_request("http://127.0.0.1:9/bot/getMe", "POST")

    asyncio.run(asyncio.wait_for(scenario(), BOUND))


def test_an_http_proxy_named_by_the_environment_carries_the_requests(
        monkeypatch: pytest.MonkeyPatch) -> None:
    request_lines: list[bytes] = []

    async def proxy(head: bytes, body: bytes) -> bytes:
        request_lines.append(head.split(b"\r\n", 1)[0])
        return ok(message(json.loads(body)["text"]))

    async def scenario() -> None:
        async with serving(proxy) as (root, request):  # the proxy is looked up at the request
            monkeypatch.delenv("http_proxy", raising=False)  # it would win over HTTP_PROXY
            monkeypatch.setenv("HTTP_PROXY", root)
            monkeypatch.delenv("NO_PROXY", raising=False)
            monkeypatch.delenv("no_proxy", raising=False)
            await bot_at("http://api.telegram.invalid", request).send_message(7, "经代理")

    asyncio.run(asyncio.wait_for(scenario(), BOUND))
    assert request_lines == [b"POST http://api.telegram.invalid/bot123456:TEST/sendMessage HTTP/1.1"]


def test_no_proxy_and_a_server_on_this_machine_are_reached_directly(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("http_proxy", raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "api.telegram.invalid")
    monkeypatch.delenv("no_proxy", raising=False)
    assert environment_proxy("http", "api.telegram.invalid") is None
    assert environment_proxy("http", "127.0.0.1") is None
    assert environment_proxy("http", "example.invalid") == "http://proxy.invalid:3128"
