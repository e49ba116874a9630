"""Sums a tester of round 5 saw misread: a medical cost offered as the price, a correction
that names what each sum is, a yes with the sum at the far-off-sum warning, a refund's sum
taken as a compensation, chatter kept in a compensation item."""

from __future__ import annotations

from collections.abc import Callable

from conftest import Chat

from flows.understanding import analyze

CARD = ("金融街那个悦颜美容，先说免费体验，做完就拉着我办卡，我实在没办法刷信用卡办了个次卡20次9800，"
        "结果才做了4次脸就又红又肿，去医院说是过敏，花了260，她们还说是我自己皮肤的问题，剩下的钱不给退")


def at_amount(make_chat: Callable[..., Chat], account: str) -> Chat:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "为本人投诉", "narrative": account,
               "business_name": "北京悦颜美容有限公司",
               "business_address": "北京市西城区金融街丰盛胡同8号", "credit_code": "跳过",
               "district": "对", "channel": "实体店", "store_name": "悦颜美容", "product": "美容次卡",
               "purchase_date": "10月1日"}, until="amount")
    assert chat.field == "amount", chat.text
    return chat


def test_a_medical_cost_after_going_to_hospital_is_not_the_price_of_a_card(make_chat) -> None:
    chat = at_amount(make_chat, CARD)
    assert "260" not in chat.text, chat.text
    assert "9800" in chat.text, chat.text


def test_the_amount_is_read_from_a_correction_that_names_what_each_sum_is(catalog) -> None:
    from test_readers import read

    parsed = read(catalog, "amount", "不对！260是看病的钱 卡是9800 刷的信用卡")
    assert parsed.value == 9800.0


def test_a_yes_with_the_sum_at_the_far_off_sum_warning_keeps_the_sum_typed(make_chat) -> None:
    for yes in ("确定 3800", "对 就是3800", "是3800"):
        chat = at_amount(make_chat, "10月1日在数码城换手机屏，花了380，说是原装的结果是翻新屏")
        chat.say("3800")
        assert chat.state.pending, chat.text
        chat.say(yes)
        assert chat.draft.answers.get("amount") == 3800.0, (yes, chat.text)
    chat = at_amount(make_chat, "10月1日在数码城换手机屏，花了380，说是原装的结果是翻新屏")
    chat.say("3800")
    chat.say("不对 是390")  # a different sum replaces it
    assert chat.draft.answers.get("amount") == 390.0, chat.text


def test_the_far_off_sum_warning_quotes_what_the_account_said_of_its_sum(catalog) -> None:
    from test_readers import read

    parsed = read(catalog, "amount", "9800", narrative="办了次卡，去店里说是过敏，花了260，她们不管")
    assert parsed.warning == "warn.amount_far_said"
    assert parsed.params["where"] == "去店里说是过敏，花了260", parsed.params
