"""Case advice reaches the user at the moment it helps, once, and in the draft's own section,
never inside the complaint text."""

from __future__ import annotations

from conftest import Chat
from test_draft_rules import REPORT, SHOES

from flows.understanding import analyze

PHONE = "11月25号在京东上买的手机，3899元，用了3天就坏了，开不了机"


def test_a_phone_dead_after_three_days_hears_about_sanbao(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "为本人投诉"})
    chat.say(PHONE)
    sanbao = "实行“三包”的商品"
    no_reason = chat.t("advice.online.no_reason_return")
    assert sanbao in chat.text and no_reason in chat.text, "right after the account is read"
    phone = {**SHOES, "narrative": PHONE, "product": "手机", "purchase_date": "11月25日",
             "amount": "3899", "problem": "用了3天就开不了机", "channel": "网上买的",
             "platform": "京东", "order_number": "跳过", "demands": "退货退款"}
    asked_texts = []
    while chat.field is not None and chat.field in phone:
        chat.say(phone[chat.field])
        asked_texts.append(chat.text)
    assert chat.draft.finished, chat.text
    said = "\n".join(asked_texts)
    assert said.count(no_reason) == 0, "said once, after the account, not again"
    assert chat.t("advice.sanbao.test_report") in said, "at the evidence question"
    advice = chat.section("advice")
    assert sanbao in advice and chat.t("advice.sanbao.test_report") in advice
    assert sanbao not in chat.section("text"), "advice stays out of the complaint text"


def test_a_haircut_gets_no_sanbao_hint(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "为本人投诉"})
    chat.say("上周在理发店剪头发，花了200元，剪得很难看，店家不给退")
    assert "三包" not in chat.text


def test_a_reporter_may_stay_anonymous(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT, until="complainant_name")
    assert chat.t("advice.report.anonymity") in chat.text, "said at the name question"
    chat.say("不想留名 怕他报复")
    assert "complainant_name" not in chat.draft.answers, "the words are not taken as a name"
    assert chat.t("note.anonymous") in chat.text
    chat.say("跳过")
    chat.say("跳过")
    assert chat.draft.finished
    assert "不想留名" not in chat.draft_text


def test_a_complainant_still_has_to_give_a_name(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_name")
    chat.say("跳过")
    assert chat.field == "complainant_name" and "不能跳过" in chat.text
