"""End to end through the fake WeChat: a whole complaint, the draft in parts within 2048
bytes with the fraud warning at the end, its page behind a signed link, a restart between
question and answer, two users, pictures and voice as evidence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from wechat_fake import MAX_REPLY_BYTES
from wechat_harness import PUBLIC_URL, Clock, User, bot, interview, platform, run

from flows.catalog import Catalog

ALICE = "oAlice0000000000000000000000"
BOB = "oBob000000000000000000000000"


def next_part(catalog: Catalog) -> str:
    """The paging footer's instruction, whatever the part numbers."""
    return catalog.text("wechat.more", number=1, total=2).split("，", 1)[1]


def test_a_whole_complaint_ends_with_the_draft_and_the_fraud_warning(tmp_path: Path,
                                                                     catalog: Catalog) -> None:
    async def scenario() -> None:
        clock = Clock()
        async with platform(tmp_path) as (wechat, deployment), bot(deployment, clock) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            assert catalog.text("start.welcome").split("\n")[0] in user.last
            first = await interview(user, catalog)
            assert (await user.session()).drafts[1].finished
            # The draft does not fit one message: its first part, "回复 1" for the next.
            assert next_part(catalog) in first
            parts = [first]
            while next_part(catalog) in parts[-1]:
                parts.append(await user.say("1"))
                assert len(parts) < 10, "paging does not end"
            assert len(parts) >= 2
            assert all(len(part.encode("utf-8")) <= MAX_REPLY_BYTES for part in parts)
            whole = "\n".join(parts)
            for fragment in ("北京某某体育用品有限公司", "13812345678", "跑步鞋", "599元"):
                assert fragment in whole
            # Nothing of the draft is lost between parts, and the fraud warning comes last,
            # followed only by the draft menu's numbered options.
            fraud = catalog.text("draft.fraud_warning")
            assert fraud in parts[-1]
            tail = parts[-1].split(fraud, 1)[1]
            assert tail.strip().startswith("1. ") and "【" not in tail
            # Every message was answered at the first attempt, none retried.
            assert all(delivery.statuses == [200] for delivery in wechat.deliveries)

            # The link on the first part opens the draft page; altered or expired, it does not.
            link = next(line for line in first.splitlines() if line.startswith(PUBLIC_URL))
            local = link.replace(PUBLIC_URL, deployment.url)
            async with httpx.AsyncClient(timeout=10) as client:
                page = await client.get(local)
                assert page.status_code == 200
                assert "北京某某体育用品有限公司" in page.text and "data-section=\"fraud\"" in page.text
                assert ALICE not in link
                download = await client.get(local + "/download")
                assert download.status_code == 200 and "599" in download.text
                forged = local[:-3] + ("AAA" if not local.endswith("AAA") else "BBB")
                assert (await client.get(forged)).status_code == 404
                clock.now += timedelta(hours=25)
                assert (await client.get(local)).status_code == 404

            # "我的草稿" is the status list; the menu numbers work after the last part.
            status = await user.say("我的草稿")
            assert "#1" in status
            reopened = await user.say("查看 1")
            assert "北京某某体育用品有限公司" in reopened and PUBLIC_URL in reopened

    run(scenario())


def test_a_restart_between_question_and_answer_keeps_the_numbers(tmp_path: Path,
                                                                 catalog: Catalog) -> None:
    async def scenario() -> None:
        async with platform(tmp_path) as (wechat, deployment):
            async with bot(deployment) as channel:
                user = User(wechat, channel, ALICE)
                user.last = await wechat.subscribe(ALICE) or ""
                await interview(user, catalog, until="district")
                assert "  1. " in user.last
            # The server stops and starts again; the user answers the question they saw.
            async with bot(deployment) as channel:
                user.channel = channel
                await user.pick("朝阳区")
                session = await user.session()
                assert session.drafts[1].answers["district"] == "北京市朝阳区"
                assert await user.question() != "district"

    run(scenario())


def test_two_users_are_kept_apart(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with platform(tmp_path) as (wechat, deployment), bot(deployment) as channel:
            alice, bob = User(wechat, channel, ALICE), User(wechat, channel, BOB)
            alice.last = await wechat.subscribe(ALICE) or ""
            bob.last = await wechat.subscribe(BOB) or ""
            await alice.pick(catalog.text("kind.complaint"))
            await bob.pick(catalog.text("kind.report"))
            await interview(alice, catalog, until="business_address")
            alice_session, bob_session = await alice.session(), await bob.session()
            assert alice_session.drafts[1].answers["business_name"] == "北京某某体育用品有限公司"
            assert alice_session.drafts[1].answers["kind"] == "complaint"
            assert bob_session.drafts[1].answers["kind"] == "report"
            assert "北京某某体育用品有限公司" not in await bob.say("我的草稿")
            # Each user's numbers refer to what that user was shown.
            assert await alice.question() == "business_address"

    run(scenario())


def test_pictures_and_voice_are_recorded_as_evidence(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with platform(tmp_path) as (wechat, deployment), bot(deployment) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            await interview(user, catalog, until="evidence")
            shown = await wechat.image(ALICE, "MEDIA_photo_1")
            assert shown is not None
            assert catalog.text("wechat.evidence.photo") in shown
            shown = await wechat.voice(ALICE, "MEDIA_voice_1")
            assert shown is not None
            assert catalog.text("wechat.evidence.voice") in shown
            assert catalog.text("upload.bad_type") in shown  # amr is not a 12315 format
            draft = (await user.session()).drafts[1]
            assert [(a.kind, a.file_id) for a in draft.attachments] == [
                ("photo", "MEDIA_photo_1"), ("voice", "MEDIA_voice_1")]
            assert await user.question() == "evidence"  # the question is asked again

    run(scenario())


def test_paging_outlives_other_messages_but_not_a_new_answer(tmp_path: Path,
                                                             catalog: Catalog) -> None:
    async def scenario() -> None:
        async with platform(tmp_path) as (wechat, deployment), bot(deployment) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            first = await interview(user, catalog)
            assert next_part(catalog) in first
            # A location cannot be read; the parts still to show are kept.
            shown = await wechat.deliver(wechat.message(
                ALICE, "location", Location_X="39.93", Location_Y="116.45", Scale="15",
                Label="somewhere"))
            assert shown == catalog.text("wechat.unsupported")
            last = await user.say("１")  # a full-width one is a one
            assert catalog.text("draft.fraud_warning") in last
            # Anything else typed mid-way goes to the engine and ends the paging.
            again = await user.say("查看 1")
            assert next_part(catalog) in again
            status = await user.say("我的草稿")
            assert "#1" in status and next_part(catalog) not in status
            assert await channel.store.pages(f"wechat:{ALICE}") == []

    run(scenario())


def test_forget_leaves_no_row_of_the_user_in_the_channel_tables(tmp_path: Path,
                                                               catalog: Catalog) -> None:
    import sqlite3

    async def scenario() -> Path:
        async with platform(tmp_path) as (wechat, deployment), bot(deployment) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            await interview(user, catalog)
            asked = await user.say("/forget")
            assert catalog.text("forget.confirm") in asked
            done = await user.say(catalog.text("forget.yes"))
            assert catalog.text("forget.done") in done
            return deployment.database

    database = run(scenario())
    with sqlite3.connect(database, timeout=10) as db:
        kept = db.execute("SELECT reply FROM wechat_messages WHERE user_id LIKE ?",
                          (f"%{ALICE}%",)).fetchall()
        assert [reply for (reply,) in kept] == [catalog.text("forget.done")]
        for table in ("wechat_pages", "wechat_links", "users", "drafts"):
            assert db.execute(f"SELECT count(*) FROM {table} WHERE user_id LIKE ?",
                              (f"%{ALICE}%",)).fetchone()[0] == 0, table
