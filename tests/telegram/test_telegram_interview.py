"""End to end: a simulated user talks to the bot through a fake Bot API, the real PTB stack
in between, and the tests read what the bot sent."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

from telegram_harness import (  # noqa: F401
    RunningBot,
    SimUser,
    api_fixture,
    bot_env_fixture,
    buttons,
    database_fixture,
    event_text,
    wait_until,
)

from bot.storage import Storage
from flows.catalog import Catalog

BUSINESS = "北京某某商贸有限公司"
NARRATIVE = "我上个月在朝阳区一家运动鞋店买了一双跑步鞋，花了599元，穿了两天鞋面就开胶了，想退货退款。"


def purchase_day() -> str:
    return (date.today() - timedelta(days=20)).isoformat()


async def answer_up_to_narrative(user: SimUser, catalog: Catalog) -> None:
    """From /start to the narrative question: a complaint for oneself."""
    t = catalog.text
    user.send("/start")
    await user.expect(t("field.kind.prompt"))
    user.press(t("kind.complaint"))
    await user.expect(t("field.for_whom.prompt"))
    user.press(t("for_whom.self"))
    await user.expect(t("field.narrative.prompt"))


async def answer_up_to_demands(user: SimUser, catalog: Catalog, business: str = BUSINESS) -> None:
    """From /start to the demands question, typing some answers and pressing others."""
    t = catalog.text
    await answer_up_to_narrative(user, catalog)
    user.send(NARRATIVE)
    await user.expect(t("field.business_name.prompt"))
    user.send(business)
    await user.expect(t("field.business_address.prompt"))
    user.send("北京市朝阳区三里屯路19号")
    await user.expect(t("field.credit_code.prompt"))
    user.press(t("option.skip"))
    await user.expect(t("field.district.prompt"))
    user.press(t("option.use_suggested", value="北京市朝阳区"))  # read from the address
    await user.expect(t("field.channel.prompt"))
    user.send(t("channel.store"))  # typed: taken whether or not the account suggested it
    await user.expect(t("field.store_name.prompt"))
    user.send("某某运动三里屯店")
    await user.expect(t("field.product.prompt"))
    user.send("跑步鞋")
    await user.expect(t("field.purchase_date.prompt"))
    user.send(purchase_day())
    await user.expect(t("field.amount.prompt"))
    user.send("599")
    await user.expect(t("field.problem.prompt"))
    user.send("穿了两天鞋面开胶")
    await user.expect(t("field.theme.prompt"))
    user.send(t("theme.quality"))  # typed: free text works wherever there are buttons
    await user.expect(t("field.contacted.prompt"))
    user.press(t("contacted.no"))
    await user.expect(t("field.demands.prompt"))


async def finish_from_demands(user: SimUser, catalog: Catalog) -> list[str]:
    """Multi-select demands and evidence (with a photo sent), then the complainant."""
    t = catalog.text
    user.press(t("demand.return_refund"))
    edited = await user.expect(t("question.picked", value=t("demand.return_refund")))
    assert len(edited) == 1, "a toggle edits the question in place instead of repeating it"
    assert user.events()[-1].method == "editMessageText"
    user.press(t("option.done"))
    await user.expect(t("field.evidence.prompt"))
    user.send_photo()
    await user.expect(t("upload.received", name=t("upload.numbered", kind=t("upload.kind.photo"),
                                                  number=1), count=1))
    await user.expect(t("field.evidence.prompt"))
    user.press(t("evidence.photos"))
    await user.expect(t("question.picked", value=t("evidence.photos")))
    user.press(t("option.done"))
    await user.expect(t("field.complainant_name.prompt"))
    user.send("张三")
    await user.expect(t("field.complainant_phone.prompt"))
    user.send("13812345678")
    await user.expect(t("field.complainant_address.prompt"))
    user.send("北京市朝阳区某某小区3号楼2单元501")
    return await user.expect("【防骗提醒】")


def test_a_whole_complaint_from_start_to_the_finished_draft_and_status(api, bot_env, catalog):
    t = catalog.text

    async def scenario() -> None:
        async with RunningBot.serving():
            user = SimUser(api, 1001)
            await answer_up_to_demands(user, catalog)
            draft_start = len(user.events())
            await finish_from_demands(user, catalog)
            draft_events = user.events()[draft_start:]

            # Plain text everywhere, each message within Telegram's limit.
            for event in draft_events:
                assert "parse_mode" not in event.params
                assert len(event.params.get("text", "")) <= 4096

            # Every message counts against the bot's sending limit: the draft takes three
            # (the form rows and the rest, the complaint text alone, the file).
            sent = [e for e in draft_events if e.method in ("sendMessage", "sendDocument")]
            first = max(i for i, e in enumerate(sent) if "【一、表单信息】" in event_text(e))
            sent = sent[first:]
            assert len(sent) == 3, [event_text(e)[:20] for e in sent]

            # The complaint text alone in a message, ready to paste into 12315's box.
            texts = [event_text(event) for event in draft_events]
            complaint = [text for text in texts if text.startswith("我于")]
            assert len(complaint) == 1 and len(complaint[0]) <= 400
            assert BUSINESS in complaint[0] and "退货退款" in complaint[0]

            # Copy buttons for the short form fields, on the message that lists them.
            fields = next(e for e in sent if "【一、表单信息】" in e.params.get("text", ""))
            copied = {b["copy_text"]["text"] for b in buttons(fields.params) if "copy_text" in b}
            assert {BUSINESS, "13812345678", "张三", "北京市朝阳区"} <= copied

            # The photo is listed with the evidence.
            photo = t("upload.numbered", kind=t("upload.kind.photo"), number=1)
            assert any(t("draft.attachment_line", name=photo) in text
                       for text in texts)

            # The whole draft as a .txt document, sent last: its caption is the fraud
            # warning, so the warning is the last thing read, with the menu's buttons.
            last = sent[-1]
            assert last.method == "sendDocument"
            filename, content = last.files["document"]
            assert filename == t("draft.filename", number=1)
            whole = content.decode("utf-8")
            assert complaint[0] in whole and "【防骗提醒】" in whole
            assert "【防骗提醒】" in last.params["caption"]
            assert t("option.status") in [b["text"] for b in buttons(last.params)]

            # /status lists the draft with buttons to open it and to record its filing.
            user.send("/status")
            await user.expect(t("drafts.title", count=1))
            status = user.events()[-1].params
            labels = [b["text"] for b in buttons(status)]
            assert t("option.open", number=1) in labels
            assert t("option.submitted_number", number=1) in labels
            assert t("case.state.draft_finished") in status["text"]
            user.press(t("option.open", number=1))
            reopened = await user.expect("【防骗提醒】")
            assert any(text.startswith("我于") for text in reopened)

    asyncio.run(scenario())


def test_wrong_answers_are_explained_and_the_question_asked_again(api, bot_env, catalog):
    t = catalog.text

    async def scenario() -> None:
        async with RunningBot.serving():
            user = SimUser(api, 1002)
            user.send("/start")
            await user.expect(t("field.kind.prompt"))
            user.send("随便吧")
            said = await user.expect(t("field.kind.prompt"))
            assert said[0].startswith(t("error.choose_from_options"))
            assert len(said) == 1, "the explanation and the question in one message"
            user.press(t("kind.complaint"))
            await user.expect(t("field.for_whom.prompt"))
            user.send("/skip")
            said = await user.expect(t("field.for_whom.prompt"))
            assert said[0].startswith(t("skip.required", field=t("field.for_whom.label")))
            user.send("/whatever")
            said = await user.expect(t("field.for_whom.prompt"))
            assert said[0].startswith(t("error.unknown_command", command="whatever"))
            user.send_sticker()
            await user.expect(t("telegram.unsupported"))
            user.press(t("for_whom.self"))
            await user.expect(t("field.narrative.prompt"))
            user.send("坏了")
            said = await user.expect(t("field.narrative.prompt"))
            assert said[0].startswith(t("error.too_short", min=8))
            user.send("/back")
            await user.expect(t("field.for_whom.prompt"))

    asyncio.run(scenario())


def test_a_stale_button_gets_a_polite_answer_and_changes_nothing(api, bot_env, catalog):
    t = catalog.text

    async def scenario() -> None:
        async with RunningBot.serving():
            user = SimUser(api, 1003)
            user.send("/start")
            await user.expect(t("field.kind.prompt"))
            first_question = api.calls("sendMessage", chat_id=1003)[-1]
            old_message = dict(api.messages[1003][max(api.messages[1003])])
            report = next(b["callback_data"] for b in buttons(first_question.params)
                          if b["text"] == t("kind.report"))
            user.press(t("kind.complaint"))
            await user.expect(t("field.for_whom.prompt"))
            # The answered question lost its buttons…
            assert "reply_markup" not in api.messages[1003][old_message["message_id"]]
            # …but an old client may still show them: press 举报 there.
            query = user.press_data(old_message, report)
            said = await user.expect(t("field.for_whom.prompt"))
            assert said[0].startswith(t("error.stale_button"))
            await user.expect_answered(query)
            # Still a complaint: the for_whom question is only asked for complaints.
            user.press(t("for_whom.self"))
            await user.expect(t("field.narrative.prompt"))
            # Buttons this bot never made are answered too, without a crash.
            query = user.press_data(old_message, "not-ours")
            answered = await user.expect_answered(query)
            assert answered["text"] == t("telegram.stale_callback")
            user.send("/status")
            await user.expect(t("drafts.title", count=1))

    asyncio.run(scenario())


def test_files_sent_as_evidence_are_recorded_with_12315_warnings(api, bot_env, catalog,
                                                                  database):
    t = catalog.text

    async def scenario() -> None:
        async with RunningBot.serving():
            user = SimUser(api, 1004)
            user.send_photo()
            await user.expect(t("upload.no_draft"))
            await answer_up_to_demands(user, catalog)
            user.send_photo("photo-A", size=300_000)
            await user.expect(t("field.demands.prompt"))
            user.send_document("合同.heic", 6 * 1024 * 1024, "image/heic", file_id="doc-B")
            said = await user.expect(t("field.demands.prompt"))
            assert t("upload.received", name="合同.heic", count=2) in "\n".join(said)
            assert t("upload.too_big", size="6.0") in "\n".join(said)
            assert t("upload.bad_type") in "\n".join(said)
        storage = await Storage.open(database)
        try:
            draft = (await storage.load("telegram:1004")).drafts[1]
        finally:
            await storage.close()
        recorded = [(a.kind, a.file_id, a.name, a.size, a.mime) for a in draft.attachments]
        assert recorded == [("photo", "photo-A", "", 300_000, "image/jpeg"),
                            ("document", "doc-B", "合同.heic", 6 * 1024 * 1024, "image/heic")]

    asyncio.run(scenario())


def test_a_restart_in_the_middle_continues_where_it_stopped(api, bot_env, catalog):
    t = catalog.text

    async def scenario() -> None:
        user = SimUser(api, 1005)
        async with RunningBot.serving():
            await answer_up_to_narrative(user, catalog)
        user.send(NARRATIVE)  # arrives while the bot is down
        async with RunningBot.serving():
            await user.expect(t("field.business_name.prompt"))
            user.send(BUSINESS)
            await user.expect(t("field.business_address.prompt"))
            # The answer may go out just before the poll that confirms its update.
            await wait_until(lambda: api.pending_updates() == 0,
                             lambda: "every update confirmed")
        welcomes = [x for x in user.texts() if x.startswith(t("start.welcome"))]
        assert len(welcomes) == 1

    asyncio.run(scenario())


def test_two_users_at_once_never_see_each_others_drafts(api, bot_env, catalog):
    t = catalog.text

    async def scenario() -> None:
        async with RunningBot.serving():
            alice, bob = SimUser(api, 2001), SimUser(api, 2002)
            await asyncio.gather(answer_up_to_demands(alice, catalog, "北京甲乙商贸有限公司"),
                                 answer_up_to_demands(bob, catalog, "北京丙丁餐饮有限公司"))
            alice.send("/status")
            bob.send("/status")
            alice_status = (await alice.expect(t("drafts.title", count=1)))[-1]
            bob_status = (await bob.expect(t("drafts.title", count=1)))[-1]
            assert "北京甲乙商贸有限公司" in alice_status and "北京丙丁" not in alice_status
            assert "北京丙丁餐饮有限公司" in bob_status and "北京甲乙" not in bob_status
            assert not any("北京丙丁" in text for text in alice.texts())
            assert not any("北京甲乙" in text for text in bob.texts())

    asyncio.run(scenario())


def test_user_text_is_shown_back_literally_never_as_markup(api, bot_env, catalog):
    t = catalog.text
    sneaky = "<b>北京</b>*某某*_公司_ [点我](https://evil.example)"

    async def scenario() -> None:
        async with RunningBot.serving():
            user = SimUser(api, 1006)
            await answer_up_to_narrative(user, catalog)
            user.send(NARRATIVE)
            await user.expect(t("field.business_name.prompt"))
            user.send(sneaky)
            await user.expect(t("field.business_address.prompt"))
            user.send("/edit")
            summary = (await user.expect(t("edit.how")))[-1]
            assert sneaky in summary
            for call in api.calls(chat_id=1006):
                assert "parse_mode" not in call.params and "entities" not in call.params
                if call.method == "sendMessage":
                    assert call.params["link_preview_options"] == {"is_disabled": True}

    asyncio.run(scenario())


def test_in_a_group_the_bot_only_says_it_works_in_private(api, bot_env, catalog,
                                                          database: Path):
    t = catalog.text

    async def scenario() -> None:
        async with RunningBot.serving():
            member = SimUser(api, 3001, chat_id=-5001)
            member.send("/start@complaint_test_bot")
            said = await member.expect(t("telegram.group_only"))
            assert said == [t("telegram.group_only")]
            assert api.calls("sendMessage", chat_id=3001) == []
        storage = await Storage.open(database)
        try:
            assert await storage.user_ids() == []
        finally:
            await storage.close()

    asyncio.run(scenario())
