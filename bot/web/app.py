"""The web page's routes: the chat, the draft page, uploads, another browser, privacy, forget.

Like the other channels it makes no decisions: a typed line, a tapped option or a file becomes
a `flows.model` input, `ConversationService.handle` answers it (the state is committed before
anything is shown), and the replies are stored as bubbles and shown by the next page load.
Every POST answers with a redirect to the chat (post/redirect/get), so the page works without
JavaScript; the small script only saves the reload. `bot.web.render` is the only module that
reads replies; this one handles HTTP, identity and limits.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.reminders import ReminderDispatcher
from bot.service import ConversationService
from bot.web import render
from bot.web.guard import BodyLimit, Failsafe, RateLimiter, SecurityHeaders, log_failure
from bot.web.identity import COOKIE_MAX_AGE, COOKIE_NAME, Signer
from bot.web_store import WebStore
from flows.catalog import Catalog
from flows.composition import TEXT_BOX_LIMIT
from flows.draft import ALLOWED_TYPES, MAX_FILE_BYTES, MAX_FILES
from flows.model import Attachment, Choice, Input, Reply, Text, Upload

HERE = Path(__file__).resolve().parent
MAX_TEXT = 2000  # characters of one typed message; the longest answer (the account) is shorter
FORM_BODY_LIMIT = 64 * 1024
UPLOAD_BODY_LIMIT = MAX_FILE_BYTES + 64 * 1024
LINK_CODE_LIFETIME = timedelta(minutes=15)
# Commands offered as buttons on the page; each is sent as its slash command.
BAR_COMMANDS = ("back", "skip", "edit", "cancel")
MENU_COMMANDS = ("status", "new", "reminders", "help")
DRAFT_COMMANDS = ("submit", "case", "open", "delete")
FORGET_WORDS = ("/forget",)
# What each allowed file type must start with: (extensions, kind, mime, test on the bytes).
FILE_TYPES: tuple[tuple[tuple[str, ...], str, str, Any], ...] = (
    (("jpg", "jpeg"), "photo", "image/jpeg", lambda data: data.startswith(b"\xff\xd8\xff")),
    (("png",), "photo", "image/png", lambda data: data.startswith(b"\x89PNG\r\n\x1a\n")),
    (("pdf",), "document", "application/pdf", lambda data: data.startswith(b"%PDF-")),
    (("mp3",), "audio", "audio/mpeg", lambda data: data.startswith(b"ID3") or (
        len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)),
    (("mp4",), "video", "video/mp4", lambda data: data[4:8] == b"ftyp"),
)
assert {ext for exts, *_ in FILE_TYPES for ext in exts} == set(ALLOWED_TYPES)
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True)
class WebLimits:
    """Per-user request rate (token bucket) and the stricter one for typing link codes."""

    burst: int = 40
    per_second: float = 1.0
    claim_burst: int = 5
    claims_per_second: float = 1 / 60


class WebChannel:
    """Maps requests to inputs and replies to stored bubbles; no conversation state itself."""

    def __init__(self, service: ConversationService, store: WebStore, signer: Signer,
                 limits: WebLimits) -> None:
        self.service = service
        self.store = store
        self.signer = signer
        self.catalog: Catalog = service.catalog
        self.rate = RateLimiter(limits.burst, limits.per_second)
        self.claims = RateLimiter(limits.claim_burst, limits.claims_per_second)
        # One exchange at a time per user: the bubbles of two turns must not interleave.
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True, lstrip_blocks=True)
        self.templates.globals.update(
            t=self.t, allowed_types=",".join(f".{ext}" for ext in ALLOWED_TYPES),
            max_files=MAX_FILES, max_file_bytes=MAX_FILE_BYTES, max_text=MAX_TEXT,
            is_short=render.is_short)

    def t(self, key: str, /, **params: Any) -> str:
        return self.catalog.text(key, **params)

    # ---- identity, CSRF, limits -------------------------------------------------------------

    def visitor(self, request: Request) -> tuple[str, bool]:
        """(user id, whether it is new and needs its cookie set)."""
        known = self.signer.read_cookie(request.cookies.get(COOKIE_NAME))
        return (known, False) if known else (self.signer.new_user_id(), True)

    def set_identity(self, request: Request, response: Response, user_id: str) -> None:
        response.set_cookie(
            COOKIE_NAME, self.signer.cookie_value(user_id), max_age=COOKIE_MAX_AGE,
            httponly=True, samesite="lax", secure=request.url.scheme == "https", path="/")

    async def poster(self, request: Request) -> tuple[str, Any]:
        """The user behind a POST and its form, after the cookie, origin, CSRF and rate
        checks; anything else ends the request with 403 or 429."""
        user_id = self.signer.read_cookie(request.cookies.get(COOKIE_NAME))
        if user_id is None:
            raise HTTPException(403, "no-identity")
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            raise HTTPException(403, "cross-origin")
        if not self.rate.allow(user_id):
            raise HTTPException(429, "rate")
        try:
            form = await request.form(max_files=1, max_fields=8, max_part_size=FORM_BODY_LIMIT)
        except Exception:  # malformed multipart or over the form's own limits
            raise HTTPException(400, "form") from None
        token = form.get("csrf") or request.headers.get("x-csrf-token")
        if not self.signer.csrf_ok(user_id, token if isinstance(token, str) else None):
            raise HTTPException(403, "csrf")
        return user_id, form

    # ---- pages ------------------------------------------------------------------------------

    def page(self, request: Request, template: str, user_id: str, new: bool = False,
             status: int = 200, **values: Any) -> HTMLResponse:
        html = self.templates.get_template(template).render(
            csrf=self.signer.csrf_token(user_id), **values)
        response = HTMLResponse(html, status_code=status)
        if new:
            self.set_identity(request, response, user_id)
        return response

    async def chat(self, request: Request) -> Response:
        user_id, new = self.visitor(request)
        if not new:
            await self.deliver_due_reminders(user_id)
        entries = [] if new else await self.store.recent(user_id)
        session = await self.service.session(user_id)
        # Buttons work on the bot's latest answer; a reminder or a notice shown after it
        # does not retire them.
        latest = max((entry.turn for entry in entries if entry.role == "bot"), default=0)
        unseen = sum(1 for entry in entries if entry.unseen)
        return self.page(request, "chat_page.html", user_id, new, entries=entries, latest=latest,
                         where=render.where(session), unseen=unseen,
                         bar_commands=BAR_COMMANDS, menu_commands=MENU_COMMANDS)

    async def deliver_due_reminders(self, user_id: str) -> None:
        """A page is only seen when opened: reminders that fell due are shown on the visit."""
        async def show(uid: str, replies: list[Reply]) -> bool:
            session = await self.service.session(uid)
            await self.store.append(uid, [("reminder", bubble) for bubble in
                                          render.bubbles(replies, session.active)], unseen=True)
            return True

        async with self._locks[user_id]:
            try:
                await ReminderDispatcher(self.service, show, user_id=user_id).run_once()
            except Exception as error:
                log_failure("could not show the due reminders", error)

    async def draft_page(self, request: Request) -> Response:
        user_id, new = self.visitor(request)
        number = request.path_params["number"]
        found = await self.find_draft(user_id, number)
        if found is None:
            return self.page(request, "notice_page.html", user_id, new, status=404,
                             title=self.t("web.not_found.title"), text=self.t("web.not_found.text"))
        if found.view is None:
            return self.page(request, "notice_page.html", user_id, new,
                             title=self.t("web.draft.unfinished_title", number=number),
                             text=self.t("web.draft.unfinished_text"))
        return self.page(request, "draft_page.html", user_id, new, view=found.view,
                         number=number, filed=found.filed, text_limit=TEXT_BOX_LIMIT)

    async def download(self, request: Request) -> Response:
        user_id, new = self.visitor(request)
        number = request.path_params["number"]
        found = None if new else await self.find_draft(user_id, number)
        if found is None or found.view is None:
            raise HTTPException(404, "no-draft")
        ascii_name = f"complaint-{number}.txt"
        disposition = (f"attachment; filename=\"{ascii_name}\"; "
                       f"filename*=UTF-8''{quote(found.view.document_name or ascii_name)}")
        return Response(found.view.document.encode("utf-8"),
                        media_type="text/plain; charset=utf-8",
                        headers={"content-disposition": disposition})

    async def find_draft(self, user_id: str, number: int) -> render.DraftPage | None:
        session = await self.service.session(user_id)
        return render.draft_page(session, number, self.catalog, self.service.clock().date())

    async def privacy(self, request: Request) -> Response:
        user_id, new = self.visitor(request)
        return self.page(request, "privacy_page.html", user_id, new)

    async def forget_page(self, request: Request) -> Response:
        user_id, new = self.visitor(request)
        return self.page(request, "forget_page.html", user_id, new, done=False)

    async def link_page(self, request: Request) -> Response:
        user_id, new = self.visitor(request)
        return self.page(request, "link_page.html", user_id, new, code=None, error=None)

    # ---- posts ------------------------------------------------------------------------------

    async def say(self, request: Request) -> Response:
        user_id, form = await self.poster(request)
        text = str(form.get("text") or "").strip()
        if not text:
            return self.back_to_chat()
        if text.lower().split("@")[0] in FORGET_WORDS:
            # Deleting everything asks for a confirmation on its own page.
            return RedirectResponse("/forget", status_code=303)
        if len(text) > MAX_TEXT:
            await self.notice(user_id, self.t("web.error.too_long", limit=MAX_TEXT))
            return self.back_to_chat()
        await self.turn(user_id, Text(text), text)
        return self.back_to_chat()

    async def start(self, request: Request) -> Response:
        user_id, _ = await self.poster(request)
        await self.turn(user_id, Text("/start"), None)
        return self.back_to_chat()

    async def command(self, request: Request) -> Response:
        """A bar or menu button: the command's own slash form, which every channel knows."""
        user_id, form = await self.poster(request)
        name = str(form.get("name") or "")
        number = str(form.get("number") or "")
        if name in DRAFT_COMMANDS and number.isdigit():
            typed = f"/{name} {number}"
        elif name in BAR_COMMANDS or name in MENU_COMMANDS:
            typed = f"/{name}"
        else:
            raise HTTPException(400, "command")
        await self.turn(user_id, Text(typed), self.t(f"web.command.{name}"))
        return self.back_to_chat()

    async def choose(self, request: Request) -> Response:
        """A tapped option, named by where it was shown (entry and index): the page never
        sends the engine's option values, so there is nothing to forge."""
        user_id, form = await self.poster(request)
        picked = re.fullmatch(r"(\d+):(\d+)", str(form.get("pick") or ""))
        if picked is None:
            raise HTTPException(400, "pick")
        seq, index = int(picked[1]), int(picked[2])
        entry = next((e for e in await self.store.recent(user_id) if e.seq == seq), None)
        options = entry.payload.get("options", []) if entry else []
        if entry is None or index >= len(options):
            return self.back_to_chat()  # an old page: the chat shows what is current
        value, label = options[index]
        await self.turn(user_id, Choice(value, entry.payload.get("token")), label)
        return self.back_to_chat()

    async def upload(self, request: Request) -> Response:
        user_id, form = await self.poster(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return self.back_to_chat()
        data = await upload.read(MAX_FILE_BYTES + 1)
        name = UNSAFE_NAME.sub("", Path(upload.filename or "").name)[-80:]
        problem, attachment = self.check_file(name, data)
        if problem is None:
            where = render.where(await self.service.session(user_id))
            if where.draft is not None and where.files >= MAX_FILES:
                problem = self.t("web.upload.too_many", limit=MAX_FILES)
        if problem is not None or attachment is None:
            await self.notice(user_id, problem or self.t("web.upload.bad_type"))
            return self.back_to_chat()
        await self.turn(user_id, Upload(attachment), self.t("web.upload.sent", name=name))
        return self.back_to_chat()

    def check_file(self, name: str, data: bytes) -> tuple[str | None, Attachment | None]:
        """12315's limits, on the server too: size, type by name and by content. The bytes
        are not kept: the evidence stays on the user's phone until they upload it to 12315."""
        if not data:
            return self.t("web.upload.empty"), None
        if len(data) > MAX_FILE_BYTES:
            return self.t("web.upload.too_big", limit=MAX_FILE_BYTES // (1024 * 1024)), None
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        for extensions, kind, mime, looks_right in FILE_TYPES:
            if extension in extensions:
                if not looks_right(data):
                    return self.t("web.upload.mismatch"), None
                digest = hashlib.sha256(data).hexdigest()[:24]
                return None, Attachment(kind=kind, file_id=f"web:{digest}", name=name,
                                        size=len(data), mime=mime)
        return self.t("web.upload.bad_type"), None

    async def link_new(self, request: Request) -> Response:
        user_id, _ = await self.poster(request)
        code = await self.store.new_link_code(user_id, self.service.clock(), LINK_CODE_LIFETIME)
        minutes = int(LINK_CODE_LIFETIME.total_seconds() // 60)
        return self.page(request, "link_page.html", user_id, code=code, minutes=minutes, error=None)

    async def link_claim(self, request: Request) -> Response:
        user_id, form = await self.poster(request)
        client = request.client.host if request.client else "unknown"
        if not self.claims.allow(f"ip:{client}") or not self.claims.allow(user_id):
            raise HTTPException(429, "rate")
        owner = await self.store.claim_link_code(str(form.get("code") or ""),
                                                 self.service.clock())
        if owner is None:
            return self.page(request, "link_page.html", user_id, code=None,
                             error=self.t("web.link.invalid"), status=400)
        response = self.back_to_chat()
        self.set_identity(request, response, owner)
        return response

    async def forget(self, request: Request) -> Response:
        user_id, form = await self.poster(request)
        if form.get("confirm") != "yes":
            return self.page(request, "forget_page.html", user_id, done=False)
        async with self._locks[user_id]:
            await self.service.storage.forget_user(user_id)
            await self.store.forget(user_id)
        response = self.page(request, "forget_page.html", user_id, done=True)
        response.delete_cookie(COOKIE_NAME, path="/")
        return response

    # ---- one turn ---------------------------------------------------------------------------

    async def turn(self, user_id: str, event: Input, shown: str | None) -> None:
        """Handle one input (committed by the service), then keep what to show."""
        async with self._locks[user_id]:
            await self.store.mark_seen(user_id)
            entries: list[tuple[str, dict[str, Any]]] = []
            if shown:
                entries.append(("user", render.user_bubble(shown)))
            try:
                replies = await self.service.handle(user_id, event)
            except Exception as error:
                log_failure(f"could not handle {type(event).__name__}", error)
                entries.append(("notice", render.user_bubble(self.t("web.error.failed"))))
                await self.store.append(user_id, entries)
                return
            session = await self.service.session(user_id)
            entries += [("bot", bubble) for bubble in render.bubbles(replies, session.active)]
            await self.store.append(user_id, entries)

    async def notice(self, user_id: str, text: str) -> None:
        async with self._locks[user_id]:
            await self.store.append(user_id, [("notice", render.user_bubble(text))])

    @staticmethod
    def back_to_chat() -> RedirectResponse:
        return RedirectResponse("/#end", status_code=303)

    # ---- errors -----------------------------------------------------------------------------

    async def http_error(self, request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        key = {403: "forbidden", 404: "not_found", 413: "too_large", 429: "rate"}.get(
            status, "failed")
        user_id, _ = self.visitor(request)
        return self.page(request, "notice_page.html", user_id, status=status,
                         title=self.t(f"web.{key}.title"), text=self.t(f"web.{key}.text"))


def create_app(service: ConversationService, store: WebStore, secret: bytes,
               limits: WebLimits | None = None) -> Any:
    """The whole page as one ASGI app; the caller opens and closes the stores."""
    channel = WebChannel(service, store, Signer(secret), limits or WebLimits())
    routes = [
        Route("/", channel.chat, methods=["GET"]),
        Route("/say", channel.say, methods=["POST"]),
        Route("/choose", channel.choose, methods=["POST"]),
        Route("/command", channel.command, methods=["POST"]),
        Route("/start", channel.start, methods=["POST"]),
        Route("/upload", channel.upload, methods=["POST"]),
        Route("/drafts/{number:int}", channel.draft_page, methods=["GET"]),
        Route("/drafts/{number:int}/download", channel.download, methods=["GET"]),
        Route("/link", channel.link_page, methods=["GET"]),
        Route("/link/new", channel.link_new, methods=["POST"]),
        Route("/link/claim", channel.link_claim, methods=["POST"]),
        Route("/privacy", channel.privacy, methods=["GET"]),
        Route("/forget", channel.forget_page, methods=["GET"]),
        Route("/forget", channel.forget, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: channel.http_error,
                                                       Exception: channel.http_error})
    app.state.channel = channel
    limited = BodyLimit(app, FORM_BODY_LIMIT, {"/upload": UPLOAD_BODY_LIMIT})
    return Failsafe(SecurityHeaders(limited))
