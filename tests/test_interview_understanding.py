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


def test_a_price_said_in_words_stays_out_of_the_suggested_problem(make_chat) -> None:
    """Typed as on a phone: the price in words is the amount question's, not the problem's."""
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "1", "for_whom": "自己"})
    chat.say("上礼拜在京东买了个美的电饭煲，二百九十九块，用了两次就不加热了，联系了客服一直拖着不给退")
    chat.fill({"business_name": "北京京东某某贸易有限公司", "business_address": "北京市大兴区某某路1号",
               "credit_code": "跳过", "district": "大兴区", "channel": "网上买的",
               "platform": "京东", "order_number": "跳过", "product": "美的电饭煲",
               "purchase_date": "2026年11月21日", "amount": "299"})
    assert chat.field == "problem", chat.text
    assert "看到：用了两次就不加热了。" in chat.text
    assert "二百九十九" not in chat.text


def test_the_suggested_problem_keeps_the_claim_that_sold_it_and_the_harm(make_chat) -> None:
    """会销: what the sellers said (能治糖尿病) is the problem, not their response to one, and
    the harm after it stays with it; a question to the bot does not."""
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "1", "for_whom": "自己"})
    chat.say("小区里开健康讲座送鸡蛋 我买了三盒保健品四千九百八 他们说能治糖尿病不用吃药了 "
             "我就把药停了 结果血糖更高了 住了院 现在人都找不着了 钱能要回来吗")
    chat.fill({"business_name": "康寿源健康", "business_address": "跳过", "credit_code": "跳过",
               "district": "西城区", "channel": "在实体店买的", "store_name": "小区活动室",
               "product": "保健品", "purchase_date": "2026年9月", "amount": "4980"},
              until="problem")
    assert chat.field == "problem", chat.text
    assert "他们说能治糖尿病不用吃药了，我就把药停了，结果血糖更高了，住了院" in chat.text, chat.text
    assert "钱能要回来吗" not in chat.text, chat.text
