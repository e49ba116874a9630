"""The WeChat server's routes: the callback URL and the draft pages its links open.

- `GET /wechat`: WeChat's URL check — the signature, then `echostr` echoed back.
- `POST /wechat`: a user's message. The signature is checked on every request (403 without
  it); in safe mode (`encrypt_type=aes`) the body's `msg_signature` too, and it is decrypted,
  answered and the answer encrypted. The answer is one passive text reply, "success" when
  there is nothing to say, or 503 when the step is not done in time (WeChat retries).
- `GET /wechat/drafts/<token>` and `…/download`: the finished draft behind a signed, expiring
  link (`bot.wechat.links`), laid out by the web page's own renderer and stylesheet.

The web page's guards wrap it all (`bot.web.guard`: body limit, security headers, errors
logged without their messages); the draft pages are rate-limited per client address.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web import render
from bot.web.guard import BodyLimit, Failsafe, RateLimiter, SecurityHeaders
from bot.wechat.channel import WeChatChannel
from bot.wechat.protocol import MessageCrypto, ProtocolError, read_incoming, signature_ok, text_reply
from flows.composition import TEXT_BOX_LIMIT

HERE = Path(__file__).resolve().parent
WEB = HERE.parent / "web"
BODY_LIMIT = 64 * 1024  # a message is a few hundred bytes; the longest text 2048
CALLBACK = "/wechat"


class WeChatApp:
    def __init__(self, channel: WeChatChannel, token: str, crypto: MessageCrypto | None) -> None:
        self.channel = channel
        self.token = token
        self.crypto = crypto
        self.pages = RateLimiter(burst=20, per_second=0.5)
        self.templates = Environment(
            loader=ChoiceLoader([FileSystemLoader(HERE / "templates"),
                                 FileSystemLoader(WEB / "templates")]),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True, lstrip_blocks=True)
        self.templates.globals.update(t=channel.catalog.text, csrf="")

    def signed(self, request: Request) -> bool:
        query = request.query_params
        return signature_ok(self.token, query.get("signature", ""), query.get("timestamp", ""),
                            query.get("nonce", ""))

    async def verify(self, request: Request) -> Response:
        """The URL check when the server address is saved in the account's settings."""
        if not self.signed(request):
            return PlainTextResponse("forbidden", status_code=403)
        return PlainTextResponse(request.query_params.get("echostr", ""))

    async def receive(self, request: Request) -> Response:
        if not self.signed(request):
            return PlainTextResponse("forbidden", status_code=403)
        query = request.query_params
        body = await request.body()
        encrypted = query.get("encrypt_type", "").lower() == "aes"
        try:
            if encrypted:
                if self.crypto is None:  # safe mode chosen on WeChat's side but not here
                    return PlainTextResponse("safe mode is not configured", status_code=400)
                xml = self.crypto.open(body, query.get("msg_signature", ""),
                                       query.get("timestamp", ""), query.get("nonce", ""))
            else:
                xml = body.decode("utf-8")
            message = read_incoming(xml)
        except ProtocolError:
            return PlainTextResponse("forbidden", status_code=403)
        except UnicodeDecodeError:
            return PlainTextResponse("bad request", status_code=400)
        text = await self.channel.answer(message)
        if text is None:
            return Response(status_code=503)  # not done in time: WeChat retries the message
        if not text:
            return PlainTextResponse("success")
        reply = text_reply(message.from_user, message.to_user, text)
        if encrypted and self.crypto is not None:
            reply = self.crypto.seal(reply, query.get("nonce", ""))
        return Response(reply, media_type="application/xml",
                        background=BackgroundTask(self.channel.after_reply, message))

    # ---- the draft behind a link ------------------------------------------------------------

    async def _linked(self, request: Request) -> render.DraftPage | None:
        links = self.channel.links
        client = request.client.host if request.client else "unknown"
        if links is None or not self.pages.allow(client):
            return None
        now = self.channel.service.clock()
        found = await links.read(request.path_params["token"], now)
        if found is None:
            return None
        user_id, number = found
        session = await self.channel.service.session(user_id)
        return render.draft_page(session, number, self.channel.catalog, now.date())

    def _page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.templates.get_template(template).render(**values)
        return HTMLResponse(html, status_code=status)

    def _gone(self) -> HTMLResponse:
        t = self.channel.catalog.text
        return self._page("wechat_notice.html", status=404, title=t("wechat.page.gone_title"),
                          text=t("wechat.page.gone_text"))

    async def draft(self, request: Request) -> Response:
        page = await self._linked(request)
        if page is None or page.view is None:
            return self._gone()
        return self._page("wechat_draft.html", view=page.view, number=page.number,
                          text_limit=TEXT_BOX_LIMIT,
                          download=f"{request.url.path}/download")

    async def download(self, request: Request) -> Response:
        page = await self._linked(request)
        if page is None or page.view is None:
            return self._gone()
        ascii_name = f"complaint-{page.number}.txt"
        disposition = (f"attachment; filename=\"{ascii_name}\"; "
                       f"filename*=UTF-8''{quote(page.view.document_name or ascii_name)}")
        return Response(page.view.document.encode("utf-8"), media_type="text/plain; charset=utf-8",
                        headers={"content-disposition": disposition})


def create_app(channel: WeChatChannel, token: str, crypto: MessageCrypto | None = None) -> Any:
    """The WeChat server as one ASGI app; the caller opens and closes the stores."""
    wechat = WeChatApp(channel, token, crypto)
    routes = [
        Route(CALLBACK, wechat.verify, methods=["GET"]),
        Route(CALLBACK, wechat.receive, methods=["POST"]),
        Route(CALLBACK + "/drafts/{token}", wechat.draft, methods=["GET"]),
        Route(CALLBACK + "/drafts/{token}/download", wechat.download, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=WEB / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.wechat = wechat
    return Failsafe(SecurityHeaders(BodyLimit(app, BODY_LIMIT, {})))
