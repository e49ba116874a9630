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


CARD_DONE = {"kind": "投诉", "for_whom": "为本人投诉", "narrative": CARD,
             "business_name": "北京悦颜美容有限公司",
             "business_address": "北京市西城区金融街丰盛胡同8号", "credit_code": "跳过",
             "district": "对", "channel": "实体店", "store_name": "悦颜美容", "product": "美容次卡",
             "purchase_date": "10月1日", "amount": "9800"}


def at_demands(make_chat: Callable[..., Chat]) -> Chat:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill(CARD_DONE, until="demands")
    for _ in range(6):  # the problem and what else the account answered: as offered
        if chat.field in ("demands", None):
            break
        chat.say("合同纠纷" if chat.field == "theme" else "对")
    assert chat.field == "demands", chat.text
    return chat


def test_a_sum_after_a_refund_phrase_is_the_refunds_and_the_loss_the_compensation(
        catalog) -> None:
    from test_readers import read

    parsed = read(catalog, "demands", "退剩下16次的钱 7840 再加医药费260", amount=9800)
    assert parsed.also["refund_detail"]["amount"] == 7840.0
    assert parsed.also["compensation"] == {"amount": 260.0, "detail": "医药费"}


def test_a_sum_said_to_be_the_refund_at_the_compensation_is_kept_as_the_refunds(
        make_chat) -> None:
    chat = at_demands(make_chat)
    chat.say("退剩下的钱 再赔医药费")
    for _ in range(3):
        if chat.field == "compensation":
            break
        chat.say("对")
    assert chat.field == "compensation", chat.text
    chat.say("不对 7840是退款不是赔偿 赔偿只有医药费260")
    answers = chat.draft.answers
    assert answers["compensation"] == {"amount": 260.0, "detail": "医药费"}, answers
    assert answers["refund_detail"]["amount"] == 7840.0, answers


def test_chatter_is_no_part_of_a_compensation_item(catalog) -> None:
    from test_readers import read

    assert read(catalog, "compensation", "只有医药费 260").value == {
        "amount": 260.0, "detail": "医药费"}
    assert read(catalog, "compensation", "那就300 食物损失").value == {
        "amount": 300.0, "detail": "食物损失"}
    items = read(catalog, "compensation", "不对 是医药费120，食品安全赔偿1000").value["items"]
    assert [item["detail"] for item in items] == ["医药费", "食品安全"]
    demands = read(catalog, "demands", "退款 医药费120 还有那个1000的赔偿都要", amount=60)
    assert demands.also["compensation"]["items"] == [
        {"detail": "医药费", "amount": 120.0}, {"detail": "", "amount": 1000.0}]


def test_a_rough_compensation_is_taken_and_said_to_be_rough(catalog) -> None:
    from test_readers import read

    parsed = read(catalog, "compensation", "刚不是说了吗 300左右 冰箱里的肉和菜都坏了")
    assert parsed.value == {"amount": 300.0, "detail": "食物损失"}, parsed
    assert parsed.note == "reply.note.approximate_compensation"


def test_a_testing_fee_is_a_loss_and_not_measured_against_the_punitive_limit(catalog) -> None:
    from test_readers import read

    from flows.composition import punitive_claim

    parsed = read(catalog, "compensation", "检测花了300元、三倍2697元", amount=899)
    assert [item["detail"] for item in parsed.value["items"]] == ["检测费", "三倍"], parsed
    assert parsed.warning is None
    for said in ("检测花了", "鉴定的钱", "维修花了"):  # as stored by earlier versions too
        answers = {"amount": 899, "compensation": {"amount": 2997, "detail": "", "items": [
            {"detail": said, "amount": 300}, {"detail": "三倍", "amount": 2697}]}}
        assert punitive_claim(answers) == 2697


def test_a_remark_on_the_price_is_no_part_of_the_products_name(catalog) -> None:
    from test_readers import read

    for said in ("商品名写错了 就是麻辣香锅 没有68块", "应该是麻辣香锅 68块的那个"):
        assert read(catalog, "product", said).value == "麻辣香锅"
    assert read(catalog, "product", "5斤装大米").value == "5斤装大米"


def test_the_unused_visits_of_a_card_are_priced_and_said_back(make_chat) -> None:
    chat = at_demands(make_chat)
    chat.say("退剩下16次的钱 再赔医药费260")
    answers = chat.draft.answers
    assert answers["refund_detail"]["amount"] == 7840.0, answers
    assert chat.t("reply.note.refund_worked_out", price="9800", bought="20", unused="16",
                  unit="次", value="7840元") in chat.text, chat.text
    assert chat.draft.answers.get("compensation", {}).get("detail") in (None, "医药费")
