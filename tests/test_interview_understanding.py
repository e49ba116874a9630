"""With the real analyzer, one free-text account pre-fills answers that are then confirmed."""

from __future__ import annotations

from conftest import Chat

from flows.understanding import analyze

ACCOUNT = ("2025年10月1日在淘宝上的某某旗舰店买的羽绒服，花了899元，订单号1234567890123，"
           "收到就跑绒，客服不给退，要求退货退款")


def test_facts_from_the_account_are_confirmed_not_asked(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    for answer in ("/new", "投诉", "为本人投诉", ACCOUNT, "杭州某某服饰有限公司",
                   "浙江省杭州市某某路1号", "跳过", "朝阳区"):
        chat.say(answer)
    expected = {
        "channel": "online", "platform": "taobao", "order_number": "1234567890123",
        "product": "羽绒服", "purchase_date": "2025-10-01", "amount": 899.0,
    }
    for field, value in expected.items():
        assert chat.field == field, (field, chat.text)
        assert "你的描述" in chat.text, field
        chat.press_suggestion()
        assert chat.draft.answers[field] == value
    assert chat.field == "problem"
    chat.press("✓ 对")
    assert chat.field == "theme"
    assert "跑绒" in chat.text, "the theme suggestion says why"
    chat.press("商品质量")
    assert chat.field == "contacted" and "你的描述" in chat.text
    chat.press_suggestion()
    chat.say("客服说拆了吊牌不能退")
    assert chat.field == "demands" and "退货退款" in chat.text
    chat.press_suggestion()
    assert chat.draft.answers["demands"] == ["return_refund"]
    assert chat.field == "evidence"
