"""The web page in a real browser: Playwright drives Debian's headless Chromium at a phone's
size with a WeChat-like user agent, against `complaint-bot web` started as a process.

Marked `browser` (run with `-m browser`; `.ci/run` runs them). Without Chromium they are
skipped with the reason, except under CI=true, where a missing browser is a failure.
Screenshots go to test-artifacts/web/ (git-ignored).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from web_harness import BUSINESS, CHROMIUM, answers, need_browser

from flows.catalog import Catalog

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# WeChat's in-app browser on Android: a Chromium WebView that names itself MicroMessenger.
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) "
             "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 "
             "Mobile Safari/537.36 XWEB/1300289 MMWEBSDK/20241103 MMWEBID/1234 "
             "MicroMessenger/8.0.55.2780(0x28003735) WeChat/arm64 Weixin NetType/WIFI "
             "Language/zh_CN ABI/arm64")
PHONE = {"width": 360, "height": 740}
STEP_TIMEOUT_MS = 15_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`complaint-bot web` on a free port with its own database; yields its base URL."""
    need_browser()
    folder = tmp_path_factory.mktemp("web")
    port = _free_port()
    env = {**os.environ, "WEB_SECRET": secrets.token_urlsafe(32), "WEB_PORT": str(port),
           "WEB_LISTEN": "127.0.0.1", "DATABASE_PATH": str(folder / "web.sqlite3"),
           "LOG_LEVEL": "WARNING"}
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-c", "from bot.cli import main; main(['web'])"],
                               cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError("the web server did not start: "
                                     + (folder / "server.log").read_text()) from None
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True, timeout=60_000)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def phone(chromium, server):
    """A phone-sized page in WeChat's clothes, allowed to use the clipboard."""
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                   has_touch=True, user_agent=WECHAT_UA, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


# ---- acting like a user ---------------------------------------------------------------------


def settled(page) -> None:
    """Wait until the turn posted by the script has been answered and shown."""
    page.wait_for_function(
        "() => { const b = document.querySelector('#composer .say button');"
        " return b && !b.disabled; }", timeout=STEP_TIMEOUT_MS)


def question(page) -> str:
    return page.locator("#chat").get_attribute("data-field") or ""


def tap(page, label: str) -> None:
    page.locator("#chat form.options button", has_text=label).last.tap()
    settled(page)


def type_answer(page, text: str) -> None:
    page.locator("#text").fill(text)
    page.locator("#composer .say button").tap()
    settled(page)


def bar(page, name: str, catalog: Catalog) -> None:
    page.locator("#composer .bar button", has_text=catalog.text(f"web.command.{name}")).tap()
    settled(page)


def last_bot_text(page) -> str:
    return page.locator("#chat .bubble.bot").last.inner_text()


def fits_the_phone(page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


# ---- the tests ------------------------------------------------------------------------------


def test_a_whole_complaint_by_tapping_on_a_phone(phone, server: str, catalog: Catalog,
                                                 tmp_path: Path) -> None:
    t = catalog.text
    page = phone
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + "/")
    assert fits_the_phone(page)
    page.get_by_role("button", name=t("web.start")).tap()
    settled(page)
    assert question(page) == "kind"
    assert page.locator(".progress").inner_text().startswith("第 1 /")

    script = answers(catalog, date.today())
    script["contact_result"] = [("say", "店员说穿过了不能退")]
    went_back = wrong_answer = uploaded = False
    for _ in range(80):
        if page.locator("#chat .card").count():
            break
        field = question(page)
        assert field in script, f"no answer for {field!r}: {last_bot_text(page)}"
        if field == "narrative" and not went_back:
            bar(page, "back", catalog)  # back to the previous question, then on again
            assert question(page) == "for_whom"
            went_back = True
            continue
        if field == "amount" and not wrong_answer:
            type_answer(page, "很贵")  # not a sum: the question is asked again
            assert question(page) == "amount"
            assert t("field.amount.prompt") in last_bot_text(page)
            wrong_answer = True
            continue
        if field == "evidence" and not uploaded:
            upload_evidence(page, catalog, tmp_path)
            uploaded = True
            continue
        for action, value in script[field]:
            if action == "press":
                tap(page, value)
            else:
                type_answer(page, value)
    assert went_back and wrong_answer and uploaded
    card = page.locator("#chat .card")
    assert card.count() == 1 and "【防骗提醒】" in card.inner_text()
    assert fits_the_phone(page)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))

    card.get_by_role("link", name=t("web.draft_card.open")).tap()
    page.wait_for_url("**/drafts/*")
    assert fits_the_phone(page)
    page.screenshot(path=str(ARTIFACTS / "draft.png"), full_page=True)
    sections = page.locator("main.draft > section").evaluate_all(
        "nodes => nodes.map(n => n.className)")
    assert sections[0] == "fields" and sections[-1] == "fraud"
    page.evaluate("() => { document.documentElement.style.fontSize = '150%'; }")
    assert fits_the_phone(page), "an enlarged system font still fits 360 px"
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")

    row = page.locator(".row", has_text=BUSINESS)
    row.locator("button.copy").tap()
    assert page.evaluate("() => navigator.clipboard.readText()") == BUSINESS
    assert row.locator("button.copy").inner_text() == t("web.copied")
    text = page.locator("section[data-section=text] .body").inner_text()
    page.locator("section[data-section=text] button.copy").tap()
    page.wait_for_function("t => navigator.clipboard.readText().then(c => c === t)", arg=text)
    assert 0 < len(text) <= 400

    # Later: the chat again, reloaded, and the list of drafts.
    page.goto(server + "/")
    page.reload()
    page.locator("#top button", has_text=t("web.command.status")).tap()
    settled(page)
    assert t("drafts.title", count=1) in last_bot_text(page)


def upload_evidence(page, catalog: Catalog, folder: Path) -> None:
    """A wrong file is stopped in the browser; a photo goes through and is listed."""
    wrong = folder / "notes.txt"
    wrong.write_text("not evidence", encoding="utf-8")
    page.locator("#file").set_input_files(str(wrong))
    page.locator("#composer .upload button").tap()
    error = page.locator("#composer .upload-error")
    assert error.is_visible() and error.inner_text() == catalog.text("web.upload.bad_type")
    photo = folder / "receipt.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 500)
    page.locator("#file").set_input_files(str(photo))
    page.locator("#composer .upload button").tap()
    settled(page)
    shown = page.locator("#chat").inner_text()
    assert catalog.text("upload.received", name="receipt.jpg", count=1) in shown
    assert page.locator("#chat").get_attribute("data-files") == "1"


def test_copy_falls_back_when_the_clipboard_api_is_refused(phone, server: str,
                                                           catalog: Catalog) -> None:
    """WeChat's iOS browser refuses navigator.clipboard in some versions: execCommand copies."""
    page = phone
    page.goto(server + "/privacy")
    page.evaluate("""() => {
        Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
        const b = document.createElement('button');
        b.className = 'copy'; b.type = 'button'; b.dataset.copy = '13812345678'; b.textContent = 'x';
        document.querySelector('main').appendChild(b);
    }""")
    page.locator("main button.copy").tap()
    assert page.locator("main button.copy").inner_text() == catalog.text("web.copied")
    reader = page.context.new_page()
    reader.goto(server + "/privacy")
    assert reader.evaluate("() => navigator.clipboard.readText()") == "13812345678"
    reader.close()
