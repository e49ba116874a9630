"""A fake WeChat platform on 127.0.0.1, playing both of WeChat's parts:

- the side that pushes users' messages to the account's callback URL: XML signed with the
  token (and in safe mode encrypted and signed with msg_signature), an answer awaited for at
  most `reply_timeout` seconds (5 in WeChat), the same message retried up to 3 times when no
  usable answer came, then "the account cannot serve you" recorded; a reply is checked the
  way the WeChat app would show it (signature and cipher text in safe mode, addressed to the
  user, at most 2048 bytes);
- the API server: `/cgi-bin/token` and `/cgi-bin/message/custom/send`, which refuses with
  48001 when the account has no customer-service permission.

It shares nothing with the code under test except the protocol functions whose own tests
check them against WeChat's published vectors.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import socket
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.wechat.protocol import MessageCrypto, cdata, parse_xml, sign

TOKEN = "fakeToken2026"
APP_ID = "wx5d3c1b2a0f9e8d7c"
APP_SECRET = "fake-app-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNT = "gh_0123456789ab"
MAX_REPLY_BYTES = 2048
UNAVAILABLE = "该公众号暂时无法提供服务，请稍后再试"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Delivery:
    """One message pushed to the account, with every attempt WeChat made."""

    xml: str
    statuses: list[int | str] = field(default_factory=list)  # HTTP status, or "timeout"
    shown: str | None = None  # what the user saw ("" for nothing)


class FakeWeChat:
    def __init__(self, callback_url: str, *, safe_mode: bool = False,
                 reply_timeout: float = 5.0, retries: int = 3,
                 customer_service: bool = True) -> None:
        self.callback_url = callback_url
        self.crypto = MessageCrypto(TOKEN, AES_KEY, APP_ID) if safe_mode else None
        self.reply_timeout = reply_timeout
        self.retries = retries
        self.customer_service = customer_service
        self.shown: defaultdict[str, list[str]] = defaultdict(list)  # open id → texts seen
        self.pushed: list[tuple[str, str]] = []  # customer-service messages (open id, text)
        self.deliveries: list[Delivery] = []
        self.tokens_issued = 0
        self._ids = itertools.count(int(time.time()) * 1000)
        self._clock = itertools.count(int(time.time()))

    # ---- pushing users' messages ---------------------------------------------------------

    def message(self, open_id: str, msg_type: str, **fields: str) -> str:
        body = {"ToUserName": ACCOUNT, "FromUserName": open_id,
                "CreateTime": str(next(self._clock)), "MsgType": msg_type, **fields}
        if msg_type != "event":
            body["MsgId"] = str(next(self._ids))
        return "<xml>" + "".join(
            f"<{name}>{value if value.isdigit() else cdata(value)}</{name}>"
            for name, value in body.items()) + "</xml>"

    async def text(self, open_id: str, content: str) -> str | None:
        return await self.deliver(self.message(open_id, "text", Content=content))

    async def image(self, open_id: str, media_id: str) -> str | None:
        return await self.deliver(self.message(
            open_id, "image", PicUrl="http://mmbiz.example/pic.jpg", MediaId=media_id))

    async def voice(self, open_id: str, media_id: str) -> str | None:
        return await self.deliver(self.message(open_id, "voice", MediaId=media_id, Format="amr"))

    async def subscribe(self, open_id: str) -> str | None:
        return await self.deliver(self.message(open_id, "event", Event="subscribe"))

    def signed_query(self, body_encrypt: str | None = None,
                     token: str = TOKEN) -> dict[str, str]:
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
        query = {"signature": sign(token, timestamp, nonce), "timestamp": timestamp,
                 "nonce": nonce, "openid": "ignored"}
        if body_encrypt is not None:
            query |= {"encrypt_type": "aes", "msg_signature": sign(token, timestamp, nonce,
                                                                   body_encrypt)}
        return query

    def envelope(self, xml: str) -> tuple[str, dict[str, str]]:
        """The body and query WeChat would send for `xml` in the configured mode."""
        if self.crypto is None:
            return xml, self.signed_query()
        encrypted = self.crypto.encrypt(xml)
        body = f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName><Encrypt>{cdata(encrypted)}</Encrypt></xml>"
        return body, self.signed_query(encrypted)

    async def deliver(self, xml: str) -> str | None:
        """Push one message like WeChat: up to 1 + `retries` attempts, each awaited for at
        most `reply_timeout` seconds. Returns the text shown to the user, "" when the account
        answered "success", None when WeChat gave up (the user then sees UNAVAILABLE)."""
        delivery = Delivery(xml)
        self.deliveries.append(delivery)
        open_id = parse_xml(xml)["FromUserName"]
        async with httpx.AsyncClient(timeout=self.reply_timeout) as client:
            for _ in range(1 + self.retries):
                body, query = self.envelope(xml)
                try:
                    response = await client.post(self.callback_url, params=query,
                                                 content=body.encode("utf-8"))
                except httpx.TimeoutException:
                    delivery.statuses.append("timeout")
                    continue
                delivery.statuses.append(response.status_code)
                if response.status_code != 200:
                    continue
                shown = self.read_reply(response.text, query["nonce"], open_id)
                delivery.shown = shown
                if shown:
                    self.shown[open_id].append(shown)
                return shown
        self.shown[open_id].append(UNAVAILABLE)
        return None

    async def redeliver(self, delivery: Delivery) -> str | None:
        """The same message again (WeChat's retry after an answer that was lost on the way)."""
        return await self.deliver(delivery.xml)

    def read_reply(self, body: str, nonce: str, open_id: str) -> str:
        """What the user sees of an answer; refuses what WeChat would refuse."""
        if body in ("", "success"):
            return ""
        fields = parse_xml(body.encode("utf-8"))
        if self.crypto is not None:
            assert fields.get("Nonce") == nonce, "the encrypted reply echoes the nonce"
            expected = sign(TOKEN, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"])
            assert fields["MsgSignature"] == expected, "the reply's MsgSignature is wrong"
            fields = parse_xml(self.crypto.decrypt(fields["Encrypt"]).encode("utf-8"))
        assert fields["ToUserName"] == open_id, "a reply goes back to the sender"
        assert fields["FromUserName"] == ACCOUNT
        assert fields["MsgType"] == "text"
        content = fields["Content"]
        assert len(content.encode("utf-8")) <= MAX_REPLY_BYTES, (
            f"reply of {len(content.encode('utf-8'))} bytes: WeChat shows nothing over 2048")
        return content

    # ---- the API server --------------------------------------------------------------------

    def api_app(self) -> Starlette:
        async def token(request: Request) -> JSONResponse:
            query = request.query_params
            if (query.get("grant_type"), query.get("appid"), query.get("secret")) != (
                    "client_credential", APP_ID, APP_SECRET):
                return JSONResponse({"errcode": 40125, "errmsg": "invalid appsecret"})
            self.tokens_issued += 1
            return JSONResponse({"access_token": f"token-{self.tokens_issued}",
                                 "expires_in": 7200})

        async def custom_send(request: Request) -> JSONResponse:
            if request.query_params.get("access_token") != f"token-{self.tokens_issued}":
                return JSONResponse({"errcode": 40001, "errmsg": "invalid credential"})
            if not self.customer_service:
                return JSONResponse({"errcode": 48001, "errmsg": "api unauthorized"})
            data: dict[str, Any] = await request.json()
            content = data["text"]["content"]
            assert len(content.encode("utf-8")) <= MAX_REPLY_BYTES
            self.pushed.append((data["touser"], content))
            self.shown[data["touser"]].append(content)
            return JSONResponse({"errcode": 0, "errmsg": "ok"})

        return Starlette(routes=[Route("/cgi-bin/token", token, methods=["GET"]),
                                 Route("/cgi-bin/message/custom/send", custom_send,
                                       methods=["POST"])])


@asynccontextmanager
async def serving(server: uvicorn.Server, seconds: float = 10.0) -> AsyncIterator[None]:
    """Run a configured uvicorn server in this loop until the block ends."""
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + seconds
    while not server.started:
        if task.done() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, seconds)


@asynccontextmanager
async def fake_api(wechat: FakeWeChat) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(wechat.api_app(), host="127.0.0.1", port=port,
                                           lifespan="off", access_log=False, log_level="warning"))
    async with serving(server):
        yield f"http://127.0.0.1:{port}"
