"""Drives the web app in-process through httpx's ASGI transport, like a browser without
JavaScript: it reads the HTML, fills the forms and follows the redirects."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from bot.service import ConversationService
from bot.storage import Storage
from bot.web.app import WebLimits, create_app
from bot.web_store import WebStore
from flows.catalog import Catalog
from flows.insight import understand_nothing

CHROMIUM = Path("/usr/bin/chromium")
SECRET = b"test-secret-that-is-long-enough-for-hmac-0123456789"
NOW = datetime(2026, 11, 28, 10, 30)
BUSINESS = "北京某某商贸有限公司"
PHONE = "13812345678"


class Clock:
    """The service's Beijing clock, moved by the tests."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Page:
    """What a test reads off a page: the texts of the bubbles, the buttons, the forms' data."""

    status: int
    html: str
    csrf: str = ""
    question: str | None = None
    files: int = 0
    bubbles: list[tuple[str, str]] = field(default_factory=list)  # (classes, text)
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, pick value)
    progress: str = ""

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.bubbles)

    def last_bot(self) -> str:
        return next(text for classes, text in reversed(self.bubbles) if "me" not in classes)


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.stack: list[tuple[str, str, list[str]]] = []  # (tag, kind, text pieces)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "")
        if tag == "body":
            self.page.csrf = a.get("data-csrf", "")
        if tag == "main" and a.get("id") == "chat":
            self.page.question = a.get("data-field") or None
            self.page.files = int(a.get("data-files", "0"))
        if tag == "div" and "bubble" in classes.split():
            self.stack.append(("div", classes, []))
        elif tag == "button" and a.get("name") == "pick":
            self.stack.append(("button", a.get("value", ""), []))
        elif tag == "p" and "progress" in classes.split():
            self.stack.append(("p", "progress", []))
        elif tag not in ("br", "input", "meta", "link"):
            self.stack.append((tag, "", []))

    def handle_data(self, data: str) -> None:
        for _, _, pieces in self.stack:
            pieces.append(data)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, kind, pieces = self.stack.pop()
            text = "".join(pieces).strip()
            if name == "div" and "bubble" in kind.split():
                self.page.bubbles.append((kind, text))
            elif name == "button" and kind:
                self.page.options.append((text, kind))
            elif name == "p" and kind == "progress":
                self.page.progress = text
            if name == tag:
                break


def read_page(response: httpx.Response) -> Page:
    page = Page(response.status_code, response.text)
    _Reader(page).feed(response.text)
    return page


class Browser:
    """One browser: its own cookie jar. Every action returns the page it lands on."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.page: Page | None = None

    async def open(self, path: str = "/") -> Page:
        self.page = read_page(await self.client.get(path))
        return self.page

    async def post(self, path: str, data: dict[str, str] | None = None,
                   files: dict[str, tuple[str, bytes, str]] | None = None,
                   csrf: str | None = None) -> Page:
        if self.page is None or not self.page.csrf:
            await self.open()
        assert self.page is not None
        form = {"csrf": self.page.csrf if csrf is None else csrf, **(data or {})}
        self.page = read_page(await self.client.post(path, data=form, files=files))
        return self.page

    async def start(self) -> Page:
        return await self.post("/start")

    async def say(self, text: str) -> Page:
        return await self.post("/say", {"text": text})

    async def command(self, name: str, number: int | None = None) -> Page:
        data = {"name": name}
        if number is not None:
            data["number"] = str(number)
        return await self.post("/command", data)

    async def press(self, label: str) -> Page:
        assert self.page is not None
        for shown, value in self.page.options:
            if label in shown:
                return await self.post("/choose", {"pick": value})
        raise AssertionError(f"no option {label!r} in {[o for o, _ in self.page.options]}")

    async def upload(self, name: str, content: bytes, mime: str = "application/octet-stream"
                     ) -> Page:
        return await self.post("/upload", files={"file": (name, content, mime)})

    def cookie(self) -> str | None:
        return self.client.cookies.get("cb_user")


@dataclass
class Site:
    app: object
    storage: Storage
    store: WebStore
    service: ConversationService
    clock: Clock
    catalog: Catalog

    @asynccontextmanager
    async def browser(self) -> AsyncIterator[Browser]:
        transport = httpx.ASGITransport(app=self.app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver",
                                     follow_redirects=True, timeout=10) as client:
            yield Browser(client)


@asynccontextmanager
async def site(tmp: Path, catalog: Catalog, limits: WebLimits | None = None
               ) -> AsyncIterator[Site]:
    path = tmp / "web.sqlite3"
    storage = await Storage.open(path)
    store = await WebStore.open(path)
    clock = Clock()
    service = ConversationService(storage, catalog, clock=clock, understand=understand_nothing)
    try:
        yield Site(create_app(service, store, SECRET, limits), storage, store, service, clock,
                   catalog)
    finally:
        await store.close()
        await storage.close()


def purchase_day(today: date) -> str:
    return (today - timedelta(days=20)).isoformat()


def answers(catalog: Catalog, today: date) -> dict[str, list[tuple[str, str]]]:
    """What a user does at each question, keyed by field: the order comes from the engine.
    ("press", label) taps an option, ("say", text) types."""
    t = catalog.text
    return {
        "kind": [("press", t("kind.complaint"))],
        "for_whom": [("press", t("for_whom.self"))],
        "narrative": [("say", "上个月在朝阳区一家运动鞋店买了跑步鞋，穿了两天就开胶了，店员不给退。")],
        "business_name": [("say", BUSINESS)],
        "business_address": [("say", "北京市朝阳区三里屯路19号")],
        "credit_code": [("press", t("option.skip"))],
        "district": [("press", "朝阳区")],
        "channel": [("press", t("channel.store"))],
        "store_name": [("say", "某某运动三里屯店")],
        "product": [("say", "跑步鞋")],
        "purchase_date": [("say", purchase_day(today))],
        "amount": [("say", "599")],
        "problem": [("say", "穿了两天鞋面开胶")],
        "theme": [("press", t("theme.quality"))],
        "contacted": [("press", t("contacted.no"))],
        "demands": [("press", t("demand.return_refund")), ("press", t("option.done"))],
        "evidence": [("press", t("evidence.photos")), ("press", t("option.done"))],
        "complainant_name": [("say", "张三")],
        "complainant_phone": [("say", PHONE)],
        "complainant_address": [("say", "北京市朝阳区某某小区3号楼2单元501")],
    }


async def finish_complaint(browser: Browser, catalog: Catalog, today: date) -> Page:
    """From the first visit to the finished draft's card, answering whatever is asked."""
    script = answers(catalog, today)
    page = await browser.open()
    page = await browser.start()
    for _ in range(60):
        if "data-draft=" in page.html:
            return page
        assert page.question in script, f"no answer for {page.question!r}: {page.last_bot()}"
        for action, value in script[page.question]:
            page = await (browser.press(value) if action == "press" else browser.say(value))
    raise AssertionError("the interview did not finish")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"0" * 200


def code_on(page: Page) -> str:
    found = re.search(r'id="link-code">([A-Z0-9]+)<', page.html)
    assert found, "no link code on the page"
    return found[1]


def need_browser(chromium: Path = CHROMIUM) -> None:
    """Skip with the reason when Chromium is truly absent outside CI; fail under CI=true."""
    problem = None
    if not chromium.exists():
        problem = f"Chromium is not installed at {chromium} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is not installed (pip install -e '.[test]')"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {problem}")
    pytest.skip(problem)
