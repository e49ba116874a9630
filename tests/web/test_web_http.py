"""The web channel over HTTP (httpx's ASGI transport, no JavaScript): every endpoint, the
cookie, CSRF, limits, uploads, link codes, forgetting, reminders and isolation between users."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from web_harness import (
    BUSINESS,
    JPEG,
    NOW,
    PDF,
    PHONE,
    SECRET,
    answers,
    code_on,
    finish_complaint,
    site,
)

from bot.web.app import WebLimits
from bot.web.identity import Signer
from flows.catalog import Catalog


def run(coroutine) -> None:
    asyncio.run(coroutine)


def test_first_visit_gets_a_signed_httponly_cookie_security_headers_and_a_start_button(
        tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            response = await browser.client.get("/")
            assert response.status_code == 200
            cookie = response.headers["set-cookie"]
            assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
            assert Signer(SECRET).read_cookie(browser.cookie()) is not None
            policy = response.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy
            assert "frame-ancestors 'none'" in policy
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
            assert response.headers["cache-control"] == "no-store"
            assert catalog.text("web.welcome") in response.text
            # No script inline, every asset from this server.
            assert "<script>" not in response.text and "http" not in response.text.split(
                "<body")[0].replace('http-equiv', '')
            assert await s.storage.user_ids() == [], "a visit alone stores nothing"
            script = await browser.client.get("/static/app.js")
            assert script.status_code == 200 and "clipboard" in script.text

    run(scenario())


def test_a_whole_complaint_by_tapping_and_typing_then_the_draft_page_and_its_download(
        tmp_path: Path, catalog: Catalog) -> None:
    t = catalog.text

    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            page = await finish_complaint(browser, catalog, NOW.date())
            assert "【防骗提醒】" in page.text
            assert t("option.status") in [label for label, _ in page.options]

            draft = await browser.open("/drafts/1")
            assert draft.status == 200
            html = draft.html
            for value in (BUSINESS, PHONE, "张三", "北京市朝阳区"):
                assert f'data-copy="{value}"' in html
            # The complaint text with its count, and the fraud warning as the last section.
            stored = (await s.service.session(browser_user(browser))).drafts[1]
            from flows.draft import complaint_text
            short = complaint_text(stored, catalog, NOW.date()).short
            assert t("web.draft.count", count=len(short), limit=400) in html
            assert f'data-copy="{short}"' in html
            sections = [part.split('"')[0] for part in html.split('data-section="')[1:]]
            assert sections[0] == "fields" and sections[-1] == "fraud"
            assert {"text", "evidence", "check", "next_steps"} <= set(sections)

            download = await browser.client.get("/drafts/1/download")
            assert download.status_code == 200
            assert download.headers["content-type"].startswith("text/plain")
            assert "attachment" in download.headers["content-disposition"]
            assert short in download.text and "【防骗提醒】" in download.text

            # /status after a reload lists the draft.
            page = await browser.open()
            page = await browser.command("status")
            assert t("drafts.title", count=1) in page.text

    run(scenario())


def browser_user(browser) -> str:
    user = Signer(SECRET).read_cookie(browser.cookie())
    assert user is not None
    return user


def test_progress_free_text_wrong_answer_and_back(tmp_path: Path, catalog: Catalog) -> None:
    t = catalog.text

    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            await browser.open()
            page = await browser.start()
            assert page.question == "kind"
            assert page.progress == t("web.progress", position=1, total=_total(page.progress))
            page = await browser.say(t("kind.complaint"))  # typed instead of tapped
            assert page.question == "for_whom"
            assert page.progress.startswith("第 2 /")
            page = await browser.command("back")
            assert page.question == "kind" and t("web.command.back") in page.text
            page = await browser.press(t("kind.complaint"))
            page = await browser.press(t("for_whom.self"))
            assert page.question == "narrative"
            page = await browser.say("短")  # too short to be an account
            assert page.question == "narrative"
            assert t("field.narrative.prompt") in page.last_bot()
            # Old buttons are not offered again: only the current question's.
            labels = [label for label, _ in page.options]
            assert t("kind.complaint") not in labels

    run(scenario())


def _total(progress: str) -> int:
    return int(progress.split("约 ")[1].split(" ")[0])


def test_every_post_needs_the_cookie_and_its_csrf_token_from_this_site(
        tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as alice, s.browser() as bob:
            await alice.open()
            bob_page = await bob.open()
            for path in ("/say", "/start", "/choose", "/command", "/upload", "/link/new",
                         "/link/claim", "/forget"):
                missing = await alice.client.post(path, data={"text": "hi"})
                assert missing.status_code == 403, path
                foreign = await alice.client.post(path, data={"csrf": bob_page.csrf})
                assert foreign.status_code == 403, path
            ok = await alice.post("/start")
            assert ok.status == 200
            cross = await alice.client.post("/say", data={"csrf": alice.page.csrf, "text": "x"},
                                            headers={"origin": "https://evil.example"})
            assert cross.status_code == 403
            header = await alice.client.post("/say", data={"text": "/help"},
                                             headers={"x-csrf-token": alice.page.csrf})
            assert header.status_code == 200
            async with s.browser() as stranger:  # no cookie at all
                response = await stranger.client.post("/say", data={"csrf": alice.page.csrf})
                assert response.status_code == 403

    run(scenario())


def test_drafts_are_the_browsers_own_guessed_ids_and_forged_cookies_see_nothing(
        tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as alice, s.browser() as bob:
            await finish_complaint(alice, catalog, NOW.date())
            alice_id = browser_user(alice)
            await bob.open()
            assert (await bob.open("/drafts/1")).status == 404
            assert (await bob.client.get("/drafts/1/download")).status_code == 404
            assert BUSINESS not in (await bob.open("/")).html

            forgeries = [
                alice_id,  # the id alone, unsigned
                f"{alice_id}.AAAA",  # a made-up signature
                Signer(b"another-secret-of-sufficient-length-000").cookie_value(alice_id),
                Signer(SECRET).cookie_value("telegram:1001"),  # another channel's id
                "web:guess.guess",
            ]
            for forged in forgeries:
                async with s.browser() as mallory:
                    mallory.client.cookies.set("cb_user", forged, domain="testserver.local")
                    page = await mallory.open("/drafts/1")
                    assert page.status == 404, forged
                    assert BUSINESS not in (await mallory.open("/")).html
                    assert mallory.cookie() != forged, "a bad cookie is replaced"
            # Alice's own cookie still works.
            assert (await alice.open("/drafts/1")).status == 200

    run(scenario())


def test_request_size_limits_and_long_texts(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            page = await browser.open()
            huge = await browser.client.post("/say", data={"csrf": page.csrf, "text": "x" * 100_000})
            assert huge.status_code == 413
            big_file = b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024)
            upload = await browser.client.post("/upload", data={"csrf": page.csrf},
                                               files={"file": ("big.jpg", big_file, "image/jpeg")})
            assert upload.status_code == 413
            await browser.start()
            page = await browser.say("长" * 2500)
            assert catalog.text("web.error.too_long", limit=2000) in page.text
            assert await s.store.recent(browser_user(browser))

    run(scenario())


def test_rate_limit_per_user(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        limits = WebLimits(burst=3, per_second=0.001)
        async with site(tmp_path, catalog, limits) as s, s.browser() as alice, s.browser() as bob:
            await alice.open()
            statuses = [(await alice.client.post("/say", data={"csrf": alice.page.csrf,
                                                               "text": "/help"})).status_code
                        for _ in range(5)]
            assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
            await bob.open()
            assert (await bob.say("/help")).status == 200, "another user is not held up"

    run(scenario())


def test_uploads_are_checked_on_the_server_and_recorded_in_the_draft(
        tmp_path: Path, catalog: Catalog) -> None:
    t = catalog.text

    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            await browser.open()
            await browser.start()
            page = await browser.upload("virus.exe", b"MZ" + b"0" * 100)
            assert t("web.upload.bad_type") in page.text
            page = await browser.upload("photo.jpg", PDF)
            assert t("web.upload.mismatch") in page.text
            page = await browser.upload("empty.png", b"")
            assert t("web.upload.empty") in page.text
            assert page.files == 0
            for number, (name, content) in enumerate(
                    [("a.jpg", JPEG), ("b.pdf", PDF), ("c.jpg", JPEG), ("d.jpg", JPEG)], start=1):
                page = await browser.upload(name, content)
                assert t("upload.received", name=name, count=number) in page.text
                assert page.question == "kind", "the open question is asked again"
            assert page.files == 4
            page = await browser.upload("e.jpg", JPEG)
            assert t("web.upload.too_many", limit=4) in page.text
            draft = (await s.service.session(browser_user(browser))).active_draft()
            assert draft is not None and [a.name for a in draft.attachments] == [
                "a.jpg", "b.pdf", "c.jpg", "d.jpg"]
            assert draft.attachments[1].kind == "document" and draft.attachments[1].size == len(PDF)

    run(scenario())


def test_a_one_time_code_reaches_the_same_drafts_from_another_browser(
        tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as phone, s.browser() as laptop:
            await finish_complaint(phone, catalog, NOW.date())
            assert "<p class=\"code\"" not in (await phone.open("/link")).html
            page = await phone.post("/link/new")
            code = code_on(page)
            assert code not in str(page.html.split('id="link-code"')[0])  # not in any URL

            await laptop.open("/link")
            wrong = await laptop.post("/link/claim", {"code": "AAAA-BBBB"})
            assert wrong.status == 400 and catalog.text("web.link.invalid") in wrong.html
            page = await laptop.post("/link/claim", {"code": code.lower()[:4] + " " + code[4:]})
            assert page.status == 200 and browser_user(laptop) == browser_user(phone)
            assert (await laptop.open("/drafts/1")).status == 200

            async with s.browser() as third:
                await third.open("/link")
                reused = await third.post("/link/claim", {"code": code})
                assert reused.status == 400, "a code works once"

            expiring = code_on(await phone.post("/link/new"))
            s.clock.now = NOW + timedelta(minutes=16)
            async with s.browser() as late:
                await late.open("/link")
                assert (await late.post("/link/claim", {"code": expiring})).status == 400

    run(scenario())


def test_forget_deletes_every_trace_and_the_cookie(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser, s.browser() as other:
            await finish_complaint(browser, catalog, NOW.date())
            await other.open()
            await other.start()
            user = browser_user(browser)
            await browser.post("/link/new")
            page = await browser.open("/forget")
            assert catalog.text("web.forget.explain") in page.html
            page = await browser.post("/forget")  # without the confirming button: nothing yet
            assert user in await s.storage.user_ids()
            page = await browser.post("/forget", {"confirm": "yes"})
            assert catalog.text("web.forget.done") in page.html
            assert user not in await s.storage.user_ids()
            assert await s.storage.raw_draft_rows(user) == []
            assert await s.storage.scheduled(user) == []
            assert await s.store.recent(user) == []
            assert browser.cookie() is None
            assert browser_user(other) in await s.storage.user_ids(), "others are untouched"
            page = await browser.open()
            assert catalog.text("web.welcome") in page.html

    run(scenario())


def test_reminders_are_shown_on_the_next_visit_with_a_badge(
        tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            await browser.open()
            await browser.start()
            await browser.press(catalog.text("kind.complaint"))
            s.clock.now = NOW + timedelta(days=4)
            page = await browser.open()
            reminders = [text for classes, text in page.bubbles if "reminder" in classes]
            assert len(reminders) == 1 and "unseen" in page.bubbles[-1][0]
            assert 'class="badge"' in page.html
            assert page.question == "for_whom", "the open question still has its buttons"
            assert catalog.text("for_whom.self") in [label for label, _ in page.options]
            page = await browser.open()
            assert len([c for c, _ in page.bubbles if "reminder" in c]) == 1, "shown once"
            page = await browser.press(catalog.text("for_whom.self"))
            assert 'class="badge"' not in page.html

    run(scenario())


def test_privacy_help_and_unknown_pages(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            page = await browser.open("/privacy")
            assert catalog.text("privacy.statement").split("\n")[0] in page.html
            assert catalog.text("web.privacy.web") in page.html
            assert (await browser.open("/nowhere")).status == 404
            assert (await browser.open("/drafts/7")).status == 404
            page = await browser.command("help")
            assert catalog.text("help.text").split("\n")[0] in page.text
            bad = await browser.client.post("/command", data={"csrf": page.csrf, "name": "rm"})
            assert bad.status_code == 400
            stale = await browser.post("/choose", {"pick": "999:0"})
            assert stale.status == 200

    run(scenario())


def test_a_failure_keeps_the_chat_going_and_logs_no_personal_data(
        tmp_path: Path, catalog: Catalog, caplog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            await browser.open()
            await browser.start()

            async def broken(user_id: str, event: object) -> list:
                raise ValueError(f"cannot read {PHONE}")

            s.service.handle = broken  # type: ignore[method-assign]
            page = await browser.say(PHONE)
            assert catalog.text("web.error.failed") in page.text
            assert "ValueError" in caplog.text and PHONE not in caplog.text

    run(scenario())


def test_typing_forget_asks_for_confirmation_on_its_own_page(
        tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            await browser.open()
            await browser.start()
            page = await browser.say("/forget")
            assert catalog.text("web.forget.explain") in page.html
            assert browser_user(browser) in await s.storage.user_ids(), "nothing deleted yet"

    run(scenario())


def test_after_filing_the_case_is_tracked_reminded_and_the_draft_can_be_deleted(
        tmp_path: Path, catalog: Catalog) -> None:
    t = catalog.text

    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            await finish_complaint(browser, catalog, NOW.date())
            page = await browser.command("submit", 1)  # the draft page's button
            assert t("case.option.no_number") in [label for label, _ in page.options]
            page = await browser.say("1100000123456789")
            page = await browser.press(t("case.option.today", date="11月28日"))
            assert "1100000123456789" in page.last_bot()
            draft = await browser.open("/drafts/1")
            assert f'value="case">{t("web.command.case")}' in draft.html
            page = await browser.command("status")
            assert "1100000123456789" in page.last_bot()

            s.clock.now = NOW + timedelta(days=14)  # past the acceptance decision
            page = await browser.open()
            reminders = [text for classes, text in page.bubbles if "reminder" in classes]
            assert len(reminders) == 1 and "1100000123456789" in reminders[0]
            assert 'class="badge"' in page.html

            page = await browser.command("delete", 1)
            page = await browser.press(t("delete.yes"))
            assert t("delete.done", number=1) in page.text
            assert (await browser.open("/drafts/1")).status == 404

    run(scenario())


def test_multi_select_shows_ticks_on_the_picked_options(tmp_path: Path, catalog: Catalog) -> None:
    t = catalog.text

    async def scenario() -> None:
        async with site(tmp_path, catalog) as s, s.browser() as browser:
            script = answers(catalog, NOW.date())
            await browser.open()
            page = await browser.start()
            while page.question != "demands":
                for action, value in script[page.question or ""]:
                    page = await (browser.press(value) if action == "press"
                                  else browser.say(value))
            page = await browser.press(t("demand.return_refund"))
            picked = t("option.picked", label=t("demand.return_refund"))
            assert picked in [label for label, _ in page.options]
            assert 'picked">' + picked in page.html.replace("short picked", "picked")
            page = await browser.press(picked)  # tapping again unticks it
            assert picked not in [label for label, _ in page.options]

    run(scenario())


def test_typing_link_codes_is_rate_limited_per_address(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with site(tmp_path, catalog) as s:
            statuses = []
            for _ in range(7):  # a fresh browser each time: the address still counts
                async with s.browser() as guesser:
                    await guesser.open("/link")
                    statuses.append((await guesser.post("/link/claim", {"code": "ABCD2345"})).status)
            assert statuses[:5] == [400] * 5 and statuses[5:] == [429, 429]

    run(scenario())
