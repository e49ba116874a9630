"""A fact the user must look up (the business's address, the date, the sum) may wait: "跳过"
puts its question off, the others are asked meanwhile, and it comes back at the end. The
draft is finished only once it is answered, since 12315 needs it.

Scripts answer by field name (`Chat.fill`), so the order of the questions is the engine's."""

from __future__ import annotations

import msgspec
from conftest import Chat

from flows.model import Session
from flows.understanding import analyze

ANSWERS = {
    "kind": "投诉", "for_whom": "为本人投诉",
    "narrative": "在网上买的空气炸锅，用了三次就不加热了，客服一直不回复",
    "business_name": "北京某某电器有限公司", "business_address": "北京市海淀区某某路2号",
    "credit_code": "跳过", "district": "海淀区", "channel": "网上买的", "platform": "京东",
    "order_number": "跳过", "product": "空气炸锅", "purchase_date": "2026年11月2日",
    "amount": "459", "problem": "用了三次就不加热了", "theme": "商品质量",
    "contacted": "联系过了", "contact_result": "客服一直不回复", "demands": "退货退款",
    "evidence": "购物凭证", "complainant_name": "王五", "complainant_phone": "13812345678",
    "complainant_address": "北京市海淀区某某小区1号楼",
}


def answered_until(chat: Chat, field: str) -> None:
    chat.say("/new")
    chat.fill(ANSWERS, until=field)
    assert chat.field == field, chat.text


def test_dont_know_an_online_shops_address_says_where_to_find_it_and_offers_to_wait(
        make_chat) -> None:
    chat = make_chat(understand=analyze)  # the account says it was bought online
    answered_until(chat, "business_address")
    chat.say("不知道")
    assert chat.field == "business_address"
    assert chat.t("reply.error.address_online") in chat.text
    assert chat.t("reply.note.can_put_off") in chat.text
    chat.press(chat.t("option.later"))
    assert chat.field != "business_address"
    assert chat.draft.later == ["business_address"]
    assert chat.t("reply.note.put_off", field=chat.t("field.business_address.label")) in chat.text


def test_dont_know_a_shops_address_is_not_told_about_online_shops(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**ANSWERS, "narrative": "在小区门口的健身房办了卡，现在关门了"},
              until="business_address")
    chat.say("不知道")
    assert chat.t("reply.error.address_unknown") in chat.text
    assert chat.t("reply.error.address_online") not in chat.text


def test_the_later_button_survives_the_question_being_asked_again(chat: Chat) -> None:
    """Asked again (an empty message, a restart), the question keeps its "later" option, so
    its number typed on a text-only channel still means it."""
    answered_until(chat, "business_address")
    chat.say("不知道")
    chat.say(" ")
    assert chat.option_labels() == [chat.t("option.later")]
    chat.say("1")
    assert chat.draft.later == ["business_address"]
    assert "amount" not in chat.draft.suggestions, "the number was the option, not a price"


def test_a_question_put_off_comes_back_after_all_the_others(chat: Chat) -> None:
    answered_until(chat, "business_address")
    chat.say("跳过")
    others = {name: text for name, text in ANSWERS.items() if name != "business_address"}
    asked = chat.fill(others)
    assert "business_address" not in asked
    assert asked[-1] == "complainant_address", "the put-off question waits for every other"
    assert chat.field == "business_address"
    label = chat.t("field.business_address.label")
    assert chat.t("reply.note.back_to_later", field=label) in chat.text
    assert not chat.draft.finished
    chat.say("北京市顺义区某某路8号")
    assert chat.draft.finished and chat.draft.later == []
    assert chat.t("field.business_address.label") + "：北京市顺义区某某路8号" in chat.draft_text


def test_the_last_question_left_cannot_wait_again_and_the_draft_waits_for_it(
        chat: Chat) -> None:
    answered_until(chat, "amount")
    chat.say("忘了")
    assert chat.t("reply.error.amount_unknown") in chat.text
    chat.say("跳过")
    chat.fill({name: text for name, text in ANSWERS.items() if name != "amount"})
    assert chat.field == "amount"
    chat.say("跳过")
    assert chat.field == "amount" and not chat.draft.finished
    assert chat.t("skip.last_required", field=chat.t("field.amount.label")) in chat.text
    chat.say("459左右")
    assert chat.draft.finished and chat.draft.answers["amount"] == 459
    assert chat.t("reply.note.approximate_amount", value="459元") in chat.text


def test_two_questions_put_off_come_back_in_turn_and_again_behind_each_other(
        chat: Chat) -> None:
    answered_until(chat, "business_address")
    chat.say("跳过")
    chat.fill(ANSWERS, until="purchase_date")
    chat.say("不记得了")
    assert chat.t("reply.error.date_unknown") in chat.text
    chat.say("/skip")
    assert chat.draft.later == ["business_address", "purchase_date"]
    chat.fill({name: text for name, text in ANSWERS.items()
               if name not in ("business_address", "purchase_date")})
    assert chat.field == "business_address"
    chat.say("跳过")  # still not at hand: behind the date now
    assert chat.field == "purchase_date" and chat.draft.later == ["purchase_date",
                                                                  "business_address"]
    chat.say("两周前")
    assert chat.field == "business_address"
    chat.say("北京市顺义区某某路8号")
    assert chat.draft.finished
    assert chat.draft.answers["purchase_date"] == "2026-11-14"


def test_back_after_putting_off_returns_to_the_question(chat: Chat) -> None:
    answered_until(chat, "business_address")
    chat.say("跳过")
    chat.say("/back")
    assert chat.field == "business_address"
    chat.say("北京市海淀区某某路2号")
    assert chat.draft.later == []
    assert chat.field != "business_address"


def test_what_waits_is_kept_when_the_session_is_stored_and_loaded(chat: Chat) -> None:
    answered_until(chat, "business_address")
    chat.say("跳过")
    stored = msgspec.json.encode(chat.session)
    chat.session = msgspec.json.decode(stored, type=Session)
    chat.fill({name: text for name, text in ANSWERS.items() if name != "business_address"})
    assert chat.field == "business_address"


def test_a_skip_said_in_a_sentence_puts_the_question_off(chat: Chat) -> None:
    answered_until(chat, "business_address")
    chat.say("还没查到 先跳过")
    assert chat.draft.later == ["business_address"]
    assert "business_address" not in chat.draft.answers


def test_the_later_buttons_words_typed_put_the_question_off(chat: Chat) -> None:
    answered_until(chat, "business_address")
    chat.say(chat.t("option.later"))
    assert chat.draft.later == ["business_address"]
