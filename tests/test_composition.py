"""The complaint text on the composition set (tests/data/compose_cases.jsonl): every check
holds on every case, and each rule case shows what its rule promises."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from composition_set import PERSONAL_VALUES, Case, load_cases, run

from flows import limitation as limitations
from flows.catalog import Catalog
from flows.composition import (
    alternatives_from_text,
    compose,
    problem_from_account,
    response_from_account,
    review_demands,
    scrub_personal_data,
)
from flows.composition.checks import CHECKS
from flows.model import Draft


@pytest.fixture(scope="module")
def cases(catalog: Catalog) -> list[Case]:
    return load_cases(catalog)


def test_the_set_is_large_and_mostly_real(cases: list[Case]) -> None:
    assert len(cases) >= 150
    assert sum(case.rule.startswith("real") for case in cases) >= 100


def test_every_check_holds_on_every_case(cases: list[Case], catalog: Catalog) -> None:
    failures = {check: [] for check in CHECKS}
    for case in cases:
        _, results = run(case, catalog)
        for check, passed in results.items():
            if not passed:
                failures[check].append(case.id)
    assert not any(failures.values()), {k: v for k, v in failures.items() if v}


def test_rule_cases_say_what_their_rule_promises(cases: list[Case], catalog: Catalog) -> None:
    problems = []
    for case in cases:
        result, _ = run(case, catalog)
        problems += [f"{case.id}: lacks {t!r}" for t in case.contains if t not in result.full]
        problems += [f"{case.id}: short lacks {t!r}" for t in case.short_contains
                     if t not in result.short]
        problems += [f"{case.id}: still has {t!r}" for t in case.absent if t in result.full]
        codes = {finding.code for finding in review_demands(case.answers)}
        problems += [f"{case.id}: no finding {c}" for c in case.findings if c not in codes]
    assert not problems, "\n".join(problems)


def test_long_texts_are_shortened_by_whole_sentences(cases: list[Case], catalog: Catalog) -> None:
    shortened = 0
    for case in cases:
        result, _ = run(case, catalog)
        if len(result.full) > 400:
            shortened += 1
            assert result.left_out, case.id
            assert all(sentence in result.full for sentence in result.left_out)
            assert all(sentence not in result.short for sentence in result.left_out)
            assert result.left_out_notice(catalog)
    assert shortened >= 20


def test_personal_data_of_every_kind_is_removed() -> None:
    text = ("我叫刘洋 电话13600001111 住大兴区旧宫镇某某小区3号楼2单元501，身份证号110101199003071234，"
            "银行卡6222 0212 3456 7890 123，座机010-62345678，邮箱liuyang@example.com。耳机没声音")
    cleaned = scrub_personal_data(text)
    assert cleaned == "耳机没声音。"
    assert not [value for value in PERSONAL_VALUES if value in cleaned]


def test_the_known_name_and_address_are_removed_wherever_they_stand() -> None:
    cleaned = scrub_personal_data("张三说台灯不亮，寄到北京市朝阳区某某路8号", known=["张三", "北京市朝阳区某某路8号"])
    assert "张三" not in cleaned and "某某路8号" not in cleaned and "台灯不亮" in cleaned


def test_hospital_stays_in_the_text(catalog: Catalog) -> None:
    """住院 begins with 住 but is no address."""
    assert "住院花了三千多" in scrub_personal_data("孩子住院花了三千多")


def test_account_splits_into_problem_and_response(catalog: Catalog) -> None:
    account = "10月1号在三里屯那家店买的鞋1299，穿了两天就开胶了，然后店员不给退啊。我要求退货退款"
    facts = {"purchase_date": "2026-10-01", "amount": 1299.0, "product": "鞋"}
    day = date(2026, 11, 28)
    assert problem_from_account(account, facts, day, catalog=catalog) == "穿了两天就开胶了。"
    assert response_from_account(account, facts, day, catalog=catalog) == "店员拒绝退款。"


def test_a_price_written_in_words_is_left_to_the_amount_question(catalog: Catalog) -> None:
    account = ("上礼拜在京东买了个美的电饭煲，二百九十九块，用了两次就不加热了，"
               "联系了客服一直拖着不给退")
    facts = {"amount": 299.0, "product": "美的电饭煲", "platform": "京东"}
    day = date(2026, 11, 28)
    assert problem_from_account(account, facts, day, catalog=catalog) == "用了两次就不加热了。"
    account = "电饭煲花了二百九十九块用了两次就不加热了"
    assert problem_from_account(account, facts, day, catalog=catalog) == "用了两次就不加热了。"
    # Another sum in words is not the price: it stays.
    account = "电饭煲用了两次就不加热了，修一下要一百五十块"
    assert "一百五十块" in problem_from_account(account, facts, day, catalog=catalog)


def test_either_demand_is_read_as_alternatives() -> None:
    assert alternatives_from_text("维修或者赔钱") == (["repair", "compensation"],
                                                   [["repair", "compensation"]])


def test_food_compensation_is_ten_times_with_a_minimum_of_1000(catalog: Catalog) -> None:
    answers = {"amount": 58.0, "theme": "food_safety", "demands": ["compensation"],
               "compensation": {"amount": 1000.0, "detail": ""}}
    finding = next(f for f in review_demands(answers) if f.code == "food_measure")
    assert finding.params == {"price": "58", "measure": "1000"}
    assert "最低 1000 元" in finding.text(catalog) and "最多约" not in finding.text(catalog)
    assert "最多约" not in catalog.text("warn.compensation_food", value="x", limit="1000")
    assert "最多约" not in catalog.text("warn.compensation_high", value="x", limit="1500")
    big = next(f for f in review_demands({**answers, "amount": 268.0}) if f.code == "food_measure")
    assert big.params["measure"] == "2680"


def test_fraud_compensation_is_three_times_with_a_minimum_of_500() -> None:
    answers = {"amount": 99.0, "theme": "false_ad", "demands": ["compensation"],
               "compensation": {"amount": 300.0, "detail": ""}}
    finding = next(f for f in review_demands(answers) if f.code == "fraud_measure")
    assert finding.params["measure"] == "500"


def test_limitation_counts_from_the_day_the_problem_was_found() -> None:
    draft = Draft(number=1, created_at=datetime(2026, 11, 28), updated_at=datetime(2026, 11, 28),
                  answers={"purchase_date": "2023-05-20", "discovered_on": "2026-10-15"})
    dates = limitations.for_draft(draft, date(2026, 11, 28))
    assert dates is not None and dates.start == date(2026, 10, 15)
    assert (dates.advised, dates.limit) == (date(2028, 10, 15), date(2029, 10, 15))
    assert dates.stage == "fresh", "found last month: in time"
    assert limitations.purchase_is_old(draft), "3.5 years after the purchase: ask"
    draft.answers["discovered_on"] = "2023-06-01"
    assert limitations.for_draft(draft, date(2026, 11, 28)).stage == "limit_passed"
    del draft.answers["discovered_on"]
    assert limitations.for_draft(draft, date(2026, 11, 28)).start == date(2023, 5, 20)


def test_short_version_names_what_it_left_out(catalog: Catalog) -> None:
    answers = {"kind": "complaint", "for_whom": "self", "product": "洗碗机", "amount": 3999.0,
               "purchase_date": "2026-10-01", "store_name": "某某电器", "demands": ["repair"],
               "problem": "。".join(f"第{i}次开机报错代码E{i}，售后第{i}次上门也没修好" for i in range(1, 20))}
    result = compose(answers, account="", account_date=date(2026, 11, 28),
                     today=date(2026, 11, 28), catalog=catalog)
    assert len(result.short) <= 400 < len(result.full)
    assert result.short.endswith("现要求商家免费维修。")
    notice = result.left_out_notice(catalog)
    assert notice is not None and result.left_out[0] in notice


def test_saying_whom_they_contacted_is_not_repeated_after_the_template(
        catalog: Catalog) -> None:
    answers = {"kind": "complaint", "for_whom": "self", "product": "电饭煲", "amount": 299.0,
               "purchase_date": "2026-11-21", "store_name": "京东自营", "channel": "online",
               "platform": "jd", "demands": ["refund"], "problem": "用了两次就不加热了",
               "contacted": "yes", "contact_result": "联系了客服，客服说要寄回检测，一直拖着不给退"}
    result = compose(answers, account="", account_date=date(2026, 11, 28),
                     today=date(2026, 11, 28), catalog=catalog)
    assert "我已与商家协商，客服说要寄回检测" in result.full
    assert "联系了客服" not in result.full
    # said in one breath, as people type it: the opener is dropped, the speaker kept
    for said, written in (("联系了客服说要寄回检测一直拖着", "我已与商家协商，客服说要寄回检测一直拖着"),
                          ("联系了说不给退", "我已与商家协商，对方说"),
                          ("联系了说明书上的售后电话，没人接", "联系了说明书上的售后电话")):
        result = compose({**answers, "contact_result": said}, account="",
                         account_date=date(2026, 11, 28), today=date(2026, 11, 28),
                         catalog=catalog)
        assert written in result.full, result.full


MESSY_ACCOUNT = (
    "你好 我跟你说 我于前天在五道口的某某健身办了一张年卡，花了3680元。。然后第二天就发现器材坏了一半 上面说了啊 "
    "前台说不支持退，然后昨天去店里发现关门了，教练也跑路了，电话打不通！！我叫刘洋 电话13600001111 "
    "住海淀区某某小区5号楼。还剩46节课的学费1150元没用，要求退还剩余费用")

ANSWERS_BY_FIELD = {
    "kind": "投诉", "for_whom": "为本人投诉", "narrative": MESSY_ACCOUNT,
    "business_name": "北京某某健身有限公司", "business_address": "北京市海淀区某某路1号",
    "credit_code": "跳过", "district": "海淀区", "channel": "在实体店买的",
    "store_name": "某某健身五道口店", "product": "健身年卡", "purchase_date": "2026年11月26日",
    "amount": "3680", "theme": "合同纠纷", "contacted": "联系过了", "contact_result": "前台说不支持退",
    "demands": "退款", "evidence": "购物凭证、合同/协议", "complainant_name": "刘洋",
    "complainant_phone": "13600001111", "complainant_address": "北京市海淀区某某小区5号楼",
}


def test_a_messy_account_through_the_interview_ends_in_a_clean_paragraph(make_chat,
                                                                         catalog: Catalog) -> None:
    """The interview as it stands, pre-fills accepted, then compose on its answers."""
    from flows.understanding import analyze

    chat = make_chat(understand=analyze)
    chat.say("/start")
    for _ in range(60):
        if chat.draft is not None and chat.draft.finished:
            break
        if chat.state.pending is not None:
            chat.press(chat.t("option.keep"))
            continue
        field = chat.field
        assert field is not None, chat.text
        if field in chat.draft.suggestions and field != "problem":
            chat.press_suggestion()
        elif field == "problem":
            chat.say(problem_from_account(MESSY_ACCOUNT, chat.draft.answers, date(2026, 11, 28),
                                          catalog=catalog))
        else:
            chat.say(ANSWERS_BY_FIELD[field])
    answers = chat.draft.answers
    assert answers["problem"] == ("第二天就发现器材坏了一半，2026年11月27日去店里发现关门了，教练也跑路了，"
                                  "电话无法接通。还剩46节课的学费1150元没用。")
    result = compose(answers, account=answers["narrative"], account_date=date(2026, 11, 28),
                     today=date(2026, 11, 28), catalog=catalog)
    assert result.full == (
        "我于2026年11月26日在某某健身五道口店（北京某某健身有限公司）购买了健身年卡，支付3680元。"
        "第二天就发现器材坏了一半，2026年11月27日去店里发现关门了，教练也跑路了，电话无法接通。"
        "还剩46节课的学费1150元没用。我已与商家协商，前台说不支持退款。现要求商家退款。我可以提供购物凭证、合同/协议作为证据。")


def test_spoken_forms_are_written_only_where_the_meaning_is_certain(catalog: Catalog) -> None:
    facts = {"product": "书包"}
    day = date(2026, 11, 28)
    said = "拉链坏了，客服不给退，电话打不通，也不给退押金，没人接待"
    assert problem_from_account(said, facts, day, catalog=catalog) == "拉链坏了。"
    assert response_from_account(said, facts, day, catalog=catalog) == (
        "客服拒绝退款，电话无法接通，也不给退押金，没人接待。")


def test_the_short_version_keeps_harm_and_money_lost_before_the_rest(catalog: Catalog) -> None:
    details = [f"第{i}天我们又去店里问了一次，店员第{i}次让我们回家再观察{i}天，说过几天就好了" for i in range(1, 13)]
    answers = {"kind": "complaint", "for_whom": "self", "product": "酸菜鱼套餐", "amount": 168.0,
               "purchase_date": "2026-11-01", "store_name": "某某鱼馆", "demands": ["refund"],
               "contacted": "yes", "contact_result": "经理说不可能是他们的问题，只同意退饭钱。",
               "problem": "吃完当晚全家上吐下泻。" + "。".join(details) + "。孩子住院三天，花了三千多元医药费。"}
    result = compose(answers, account="", account_date=date(2026, 11, 28),
                     today=date(2026, 11, 28), catalog=catalog)
    assert len(result.full) > 400 >= len(result.short)
    assert "吃完当晚全家上吐下泻。" in result.short, "the first sentence of the problem"
    assert "孩子住院三天，花了三千多元医药费。" in result.short, "harm and money lost come next"
    assert "现要求商家退款。" in result.short
    assert any(f"第{i}天我们又去店里问了一次" in " ".join(result.left_out) for i in range(1, 13))
    assert result.short.index("上吐下泻") < result.short.index("住院") < result.short.index("现要求")


def test_a_business_that_could_not_be_reached_was_tried_not_negotiated_with(
        catalog: Catalog) -> None:
    answers = {"kind": "complaint", "for_whom": "self", "product": "健身年卡", "amount": 3980.0,
               "purchase_date": "2025-05", "store_name": "力美健身望京店", "channel": "store",
               "demands": ["refund"], "problem": "健身房关门了，老板电话也打不通",
               "contacted": "yes", "contact_result": "老板电话一直打不通"}
    result = compose(answers, account="", account_date=date(2026, 12, 6),
                     today=date(2026, 12, 6), catalog=catalog)
    assert "于2025年5月在力美健身望京店购买了健身年卡" in result.full, "a month known alone"
    assert "老板电话也无法接通" in result.full, "no 电话也电话无法接通"
    assert "我已尝试联系商家，老板电话一直无法接通" in result.full
    answers["contact_result"] = "客服不给退，电话也打不通"
    result = compose(answers, account="", account_date=date(2026, 12, 6),
                     today=date(2026, 12, 6), catalog=catalog)
    assert "我已与商家协商，客服拒绝退款" in result.full, "an answer came: they negotiated"


def test_ordering_food_is_a_purchase_the_form_already_states(catalog: Catalog) -> None:
    facts = {"purchase_date": "2026-12-05", "platform": "meituan", "product": "黄焖鸡米饭外卖",
             "amount": 28.0}
    said = "昨晚在美团点的外卖，吃出来一根头发，吃完半夜拉肚子"
    assert problem_from_account(said, facts, date(2026, 12, 6), catalog=catalog) == (
        "吃出来一根头发，吃完半夜拉肚子。")


def test_a_month_in_the_account_is_written_as_a_month(catalog: Catalog) -> None:
    facts = {"purchase_date": "2025-05-10", "amount": 3980.0, "product": "空调"}
    said = "空调用了半年，今年三月开始漏水，修了两次还漏"
    assert problem_from_account(said, facts, date(2026, 12, 6), catalog=catalog) == (
        "空调用了半年，2026年3月开始漏水，修了两次还漏。"), "not 2026年3月1日: only the month was said"


ONLINE_DRESS = {"kind": "complaint", "for_whom": "self", "product": "连衣裙", "amount": 299.0,
                "purchase_date": "2026-11-20", "business_name": "杭州暖暖服饰有限公司",
                "channel": "online", "platform": "douyin", "demands": ["refund"],
                "problem": "衣服起球严重", "contacted": "yes", "contact_result": "客服拒绝退款"}


def _full(catalog: Catalog, **changes: object) -> str:
    return compose({**ONLINE_DRESS, **changes}, account="", account_date=date(2026, 12, 6),
                   today=date(2026, 12, 6), catalog=catalog).full


def test_emoji_and_exclamations_of_feeling_are_not_written(catalog: Catalog) -> None:
    full = _full(catalog, problem="衣服起球严重，客服一直机器人回复，绝了。离谱😤 太恶心了🤮",
                 contact_result="客服不给退[发怒]，真是服了")
    assert "衣服起球严重，客服一直机器人回复。" in full
    assert "我已与商家协商，客服拒绝退款。" in full
    for vented in ("绝了", "离谱", "恶心", "服了", "😤", "🤮", "[发怒]"):
        assert vented not in full, (vented, full)
    # an emoji stands where a pause is; 恶心 alone may be what the food did, and stays
    full = _full(catalog, problem="吃完半小时😣恶心，想吐")
    assert "吃完半小时，恶心，想吐。" in full, full


def test_complaints_about_the_question_are_not_quoted(catalog: Catalog) -> None:
    for said in ("都说了联系不上", "我刚才说了，联系不上", "联系不上，不是说了吗"):
        full = _full(catalog, contact_result=said)
        assert "我已尝试联系商家，联系不上。" in full, (said, full)
    full = _full(catalog, contact_result="我说了要退款，客服不同意")
    assert "我说了要退款" in full, "what the user asked the business is a fact"


def test_a_business_that_never_answered_or_left_was_tried(catalog: Catalog) -> None:
    for said in ("没人答复，都跑了", "老板跑了", "人去楼空", "客服一直不回", "发了好几次消息没人回",
                 "他们已经跑路了"):
        assert "我已尝试联系商家，" in _full(catalog, contact_result=said), said
    for said in ("跑了好几趟，店长说要等厂家", "客服回复说不给退"):
        assert "我已与商家协商，" in _full(catalog, contact_result=said), said


def test_an_online_shop_and_its_registered_business_are_both_named(catalog: Catalog) -> None:
    full = _full(catalog, store_name="暖暖服饰旗舰店")
    assert "在抖音“暖暖服饰旗舰店”（经营者：杭州暖暖服饰有限公司）购买了连衣裙" in full, full
    full = _full(catalog, store_name="暖暖服饰旗舰店", order_number="6938201745")
    assert "“暖暖服饰旗舰店”（经营者：杭州暖暖服饰有限公司，订单编号：6938201745）购买" in full, full
    full = _full(catalog, store_name="暖暖服饰旗舰店", platform=None)
    assert "在网店“暖暖服饰旗舰店”（经营者：杭州暖暖服饰有限公司）购买" in full, full
    # one name known, or the same name twice: written once; a company is no 店铺 (5A 14)
    assert "在抖音上的商家（经营者：杭州暖暖服饰有限公司）购买" in _full(
        catalog, store_name="杭州暖暖服饰有限公司")
    assert "在抖音上的“暖暖服饰旗舰店”店铺购买" in _full(
        catalog, store_name="暖暖服饰旗舰店", business_name="")
    # a registered name is not a shop's sign (kept, say, from an earlier 实体店 answer)
    assert "在抖音上的商家（经营者：杭州暖暖服饰有限公司）购买" in _full(
        catalog, store_name="北京某某商贸有限公司")
    # 5A 14: a shop's bare name is called a 店铺; the company alone is the shop's operator
    assert "在美团“川味小厨”店铺（经营者：北京川味小厨餐饮管理有限公司）购买" in _full(
        catalog, platform="meituan", store_name="川味小厨", business_name="北京川味小厨餐饮管理有限公司")
    assert "在美团上的商家（经营者：北京川味小厨餐饮管理有限公司，订单编号：6938201745）购买" in _full(
        catalog, platform="meituan", business_name="北京川味小厨餐饮管理有限公司",
        order_number="6938201745")
    assert "在网上的商家（经营者：杭州暖暖服饰有限公司）购买" in _full(catalog, platform=None)
    # a shop in the street already carried both
    assert "在暖暖服饰三里屯店（杭州暖暖服饰有限公司）购买" in _full(
        catalog, channel="store", store_name="暖暖服饰三里屯店")


def test_a_quantity_typed_after_the_product_is_written_in_brackets(catalog: Catalog) -> None:
    for typed, written in (("健身卡 两年的", "购买了健身卡（两年）"), ("私教课，30节的", "购买了私教课（30节）"),
                           ("美容卡 充值的", "购买了美容卡，"), ("iPhone 15", "购买了iPhone 15，"),
                           ("运动鞋 耐克的", "购买了运动鞋 耐克的，")):  # not a quantity: as typed
        assert written in _full(catalog, product=typed), typed
    full = _full(catalog, product="健身卡 两年的", problem="健身卡用了一个月店就关了")
    assert "该卡用了一个月" in full, "a clause names it without the quantity: referred back"


@pytest.mark.parametrize(("refund", "written"), [
    ({"amount": 2850.0, "balance": True}, "现要求商家退还剩余费用2850元"),
    ({"balance": True}, "现要求商家退还剩余费用"),
    ({"balance": True, "part": "没上的34节课"}, "现要求商家退还没上的34节课的费用"),
    ({"amount": 2000.0, "balance": False}, "现要求商家退款2000元"),
    (None, "现要求商家退款"),
])
def test_the_sum_asked_back_is_written_in_the_demand(catalog: Catalog, refund, written) -> None:
    answers = {"kind": "complaint", "for_whom": "self", "product": "健身年卡", "amount": 3980.0,
               "purchase_date": "2026-03", "store_name": "力美健身望京店", "channel": "store",
               "demands": ["refund"], "problem": "健身房关门了", "contacted": "no"}
    if refund is not None:
        answers["refund_detail"] = refund
    result = compose(answers, account="", account_date=date(2026, 12, 6),
                     today=date(2026, 12, 6), catalog=catalog)
    assert written + "。" in result.full, result.full


def test_the_repair_is_written_as_the_user_named_it(catalog: Catalog) -> None:
    answers = {"kind": "complaint", "for_whom": "self", "product": "卫生间防水", "amount": 60000.0,
               "purchase_date": "2026-05", "store_name": "居安美家装饰", "channel": "store",
               "demands": ["repair"], "problem": "卫生间漏水", "contacted": "no",
               "repair_detail": "重新做防水"}
    result = compose(answers, account="", account_date=date(2026, 12, 6),
                     today=date(2026, 12, 6), catalog=catalog)
    assert "现要求商家免费重新做防水。" in result.full, result.full


FISH = {"kind": "complaint", "for_whom": "self", "product": "酸菜鱼", "amount": 79.0,
        "purchase_date": "2026-12-05", "store_name": "渔小鲜", "channel": "store",
        "theme": "food_safety", "demands": ["refund"], "contacted": "no"}


def _fish(catalog: Catalog, account: str, **changes: object) -> str:
    answers = {**FISH, **changes}
    return compose(answers, account=account, account_date=date(2026, 12, 6),
                   today=date(2026, 12, 6), catalog=catalog).full


def test_a_clause_naming_the_shop_or_the_price_goes_and_names_are_not_cut(
        catalog: Catalog) -> None:
    full = _fish(catalog, "86元用了券实付79，店叫渔小鲜酸菜鱼望京店，吃着吃着吃出一块钢丝球")
    assert "店叫" not in full and "实付" not in full, full
    assert "该商家该商品" not in full and "吃出一块钢丝球" in full, full
    full = _fish(catalog, "", problem="在渔小鲜酸菜鱼望京店吃的酸菜鱼里有钢丝球")
    assert "渔小鲜酸菜鱼望京店" in full and "吃的该商品里有钢丝球" in full, full
    full = _fish(catalog, "", problem="渔小鲜的服务员说酸菜鱼没问题")
    assert "该商家的服务员说该商品没问题" in full, "alone, a name is still referred back"
    full = _fish(catalog, "", problem="渔小鲜客服说酸菜鱼店里没问题")
    assert "该商家客服说酸菜鱼店里没问题" in full, full


@pytest.mark.parametrize(("changes", "problem", "written"), [
    # part of a longer word: 换屏 in 换屏幕
    ({"product": "手机屏幕"}, "换了手机屏幕，没几天手机屏幕就黑了", "没几天该商品就黑了"),
    ({"product": "换屏"}, "手机换屏幕，没几天就黑了", "手机换屏幕，没几天就黑了"),
    # a name being introduced
    ({"product": "降糖通胶囊"}, "那帮人卖一个叫降糖通胶囊的保健品，降糖通胶囊吃了没用",
     "那帮人卖一个叫降糖通胶囊的保健品，该商品吃了没用"),
    ({"business_name": "康寿源健康"}, "传单上写的康寿源健康，有个电话打不通",
     "传单上写的康寿源健康，有个电话无法接通"),
    # a service is no 商品: without a reference of its own its name stays
    ({"product": "装修"}, "装修拖了2个月，卫生间漏水", "装修拖了2个月，卫生间漏水"),
    ({"product": "英语课"}, "英语课只上了14节", "该课程只上了14节"),
])
def test_only_a_whole_name_said_again_is_referred_back(catalog: Catalog, changes, problem,
                                                       written) -> None:
    full = _fish(catalog, "", problem=problem, **changes)
    assert written in full, full
    assert "该商品幕" not in full and "叫该" not in full and "写的该" not in full, full


def test_a_purchase_said_again_with_facts_of_its_own_is_kept_whole(catalog: Catalog) -> None:
    answers = {"kind": "complaint", "for_whom": "self", "product": "降糖通胶囊", "amount": 4980.0,
               "purchase_date": "2026-09", "store_name": "在小区活动室", "channel": "store",
               "business_name": "康寿源健康", "demands": ["refund"], "contacted": "no",
               "problem": "宣称降糖通胶囊能治糖尿病、吃了可以停药。我母亲（70岁）买了3盒共4980元"
                          "（现金3000元，微信转账1980元），停药后血糖升高住院。"}
    full = compose(answers, account="", account_date=date(2026, 12, 7),
                   today=date(2026, 12, 7), catalog=catalog).full
    assert ("我母亲（70岁）买了3盒共4980元（现金3000元，微信转账1980元），停药后血糖升高住院。"
            in full), full
    assert "在小区活动室（康寿源健康）购买" in full and "在在" not in full, full
    # a second payment is a fact the form does not hold; a price before a coupon is not needed
    answers = {**answers, "product": "英语课", "amount": 12800.0, "store_name": "小蓝鲸英语",
               "problem": "分两次付的，先付9800，后来加课又付了3000，上了14节"}
    full = compose(answers, account="", account_date=date(2026, 12, 7),
                   today=date(2026, 12, 7), catalog=catalog).full
    assert "分两次付的，先付9800，后来加课又付了3000元，上了14节。" in full, full
    assert problem_from_account("在小蓝鲸英语报的课 交了九千八 后来又续了三千 一共四十八节课",
                                {"amount": 12800.0, "store_name": "小蓝鲸英语"}, date(2026, 12, 7),
                                catalog=catalog) == (
        "交了九千八，后来又续了三千，一共四十八节课。")


@pytest.mark.parametrize(("purchase_date", "problem", "kind", "written"), [
    # a month is no day: the user's words stay
    ("2026-09", "我妈70了，9月份在小区活动室听讲座", "complaint", "我妈70了，2026年9月在小区活动室"),
    ("2026-09", "我妈70了，9月份在小区活动室听讲座", "report", "我妈70了，2026年9月在小区活动室"),
    # the purchase day told again with the purchase: the intro dates it
    ("2026-11-18", "上个月18号我爸在丰台的数码城买的，没几天就黑了", "complaint",
     "。我爸在丰台的数码城买的"),
    # the purchase day as the time of something else
    ("2026-11-18", "上个月18号晚上就黑了", "complaint", "购买当天晚上就黑了"),
])
def test_a_date_said_again_is_referred_back_only_as_the_purchase_day(
        catalog: Catalog, purchase_date: str, problem: str, kind: str, written: str) -> None:
    full = _fish(catalog, "", problem=problem, purchase_date=purchase_date, kind=kind,
                 violation="false_ad")
    assert written in full, full
    assert "当天在" not in full, full


def test_spoken_words_of_the_account_are_written(catalog: Catalog) -> None:
    full = _fish(catalog, "吃出一块钢丝球，我老婆晚上就肚子疼去社区医院看了花了38，我老公也吐了")
    assert "我爱人晚上就肚子疼去社区医院看了花了38元" in full, full
    assert "我老公" not in full, full
    facts = {"product": "酸菜鱼"}
    said = "用了优惠卷，说给个20的卷，卷纸也没给"
    assert problem_from_account(said, facts, date(2026, 12, 6), catalog=catalog) == (
        "用了优惠券，说给个20的券，卷纸也没给。")


def test_hearsay_and_words_to_the_bot_are_not_written(catalog: Catalog) -> None:
    said = ("我想投诉一个二手车商。车漆是补过的，听说食品能赔十倍。我再说一遍吧，发动机漏油。"
            "我这种情况能要三倍吗？")
    problem = problem_from_account(said, {"product": "二手车"}, date(2026, 12, 6),
                                   catalog=catalog)
    assert problem == "车漆是补过的。发动机漏油。", problem
    # who is filing is the form's first line, not part of the problem
    said = "我帮我爸投诉 一周就黑屏了 说是原装的其实是翻新的"
    assert problem_from_account(said, {"product": "手机屏"}, date(2026, 12, 6), catalog=catalog) == (
        "一周就黑屏了，说是原装的其实是翻新的。")

    # a rhetorical question, or one put to the business, is part of the case
    said = "难道水箱只能用5个月吗，我问换完就可以保证不再出问题了吗，如果再坏了怎么办，请问这算什么行为"
    assert problem_from_account(said, {"product": "汽车"}, date(2026, 12, 6),
                                catalog=catalog) == said + "。"


@pytest.mark.parametrize(("said", "kept"), [
    ("十月份他们就跑路了 钱能要回来吗", "2026年10月他们就跑路了。"),
    ("装修拖了2个月 卫生间漏水 公司不认 非让先付尾款 我能不能就不付了",
     "装修拖了2个月，卫生间漏水，公司不认，非让先付尾款。"),
    ("有个电话打不通。这算诈骗吗？要报警吗？", "有个电话无法接通。"),
    ("三包不能享受，现在怎么办", "三包不能享受。"),
    # what was asked or said to the business, a rhetorical question, a condition: kept
    ("屏幕坏了，我问能不能退", "屏幕坏了，我问能不能退。"),
    ("我说以后出问题怎么办，过保了怎么办", "我说以后出问题怎么办，过保了怎么办。"),
    ("他说，把车刮了怎么办", "他说，把车刮了怎么办。"),
    ("凭什么不能退款吗", "凭什么不能退款吗？"),  # a kept question keeps its mark
    ("真不知还能干什么", "真不知还能干什么。"),
])
def test_questions_to_the_bot_are_not_written_as_facts(catalog: Catalog, said: str,
                                                       kept: str) -> None:
    facts = {"product": "课程"}
    assert problem_from_account(said, facts, date(2026, 12, 6), catalog=catalog) == kept
    full = _fish(catalog, "", problem=said)
    assert kept in full, full
    full = _fish(catalog, "", problem=said, kind="report", violation="false_ad")
    assert kept in full, full


@pytest.mark.parametrize(("compensation", "written", "absent"), [
    ({"amount": 384000.0, "detail": "三倍赔偿"}, "并支付三倍赔偿384000元", "赔偿三倍赔偿"),
    ({"amount": 790.0, "detail": "十倍赔偿"}, "并支付十倍赔偿790元", "赔偿十倍赔偿"),
    ({"amount": 1000.0, "detail": "惩罚性赔偿"}, "并支付惩罚性赔偿1000元", "赔偿惩罚性赔偿"),
    ({"amount": 237.0, "detail": "退一赔三"}, "并赔偿237元（退一赔三）", "赔偿退一赔三"),
    ({"amount": 200.0, "detail": "交通费"}, "并赔偿交通费200元", "支付交通费"),
    ({"amount": 200.0, "detail": "赔偿交通费"}, "并赔偿交通费200元", "赔偿赔偿"),
])
def test_a_compensation_named_by_its_kind_is_not_said_twice(catalog: Catalog, compensation,
                                                            written, absent) -> None:
    full = _fish(catalog, "", problem="吃出一块钢丝球", demands=["refund", "compensation"],
                 compensation=compensation)
    assert written + "。" in full and absent not in full, full


def test_several_compensation_items_are_all_written_with_their_total(catalog: Catalog) -> None:
    items = [{"detail": "医药费", "amount": 38}, {"detail": "惩罚性赔偿", "amount": 1000}]
    answers = {**FISH, "demands": ["refund", "compensation"], "problem": "吃出一块钢丝球",
               "compensation": {"amount": 1038.0, "detail": "", "items": items}}
    full = compose(answers, account="", account_date=date(2026, 12, 6),
                   today=date(2026, 12, 6), catalog=catalog).full
    assert "现要求商家退款，并赔偿医药费38元、惩罚性赔偿1000元，共计1038元。" in full, full
    # 医药费 is a loss, claimed besides the law's measure: only the punitive part is measured
    assert not any(f.code == "above_measure" for f in review_demands({**answers, "amount": 50.0}))
    items[1]["amount"] = 1500
    answers["compensation"]["amount"] = 1538.0
    above = next(f for f in review_demands({**answers, "amount": 50.0})
                 if f.code == "above_measure")
    assert above.params["claim"] == "1500"
    # the total is read from the items when it is missing
    del answers["compensation"]["amount"]
    assert "共计1538元" in compose(answers, account="", account_date=date(2026, 12, 6),
                                  today=date(2026, 12, 6), catalog=catalog).full
    above = next(f for f in review_demands(answers) if f.code == "above_measure")
    assert above.params["claim"] == "1500", "above the food measure of 1000"


def test_an_item_without_a_sum_yet_is_written_to_be_settled_as_incurred(catalog: Catalog) -> None:
    items = [{"detail": "违约金", "amount": 6100.0}, {"detail": "邻居维修费", "amount": None}]
    answers = {**FISH, "demands": ["compensation"], "problem": "吃出一块钢丝球",
               "compensation": {"amount": 6100.0, "detail": "", "items": items}}
    full = compose(answers, account="", account_date=date(2026, 12, 6),
                   today=date(2026, 12, 6), catalog=catalog).full
    assert "赔偿违约金6100元，另赔偿邻居维修费（以实际发生为准）" in full, full
    assert "邻居维修费6100" not in full
    # a sum worked out from a rate per day says how
    items[0]["basis"] = "每天100元×61天"
    full = compose(answers, account="", account_date=date(2026, 12, 6),
                   today=date(2026, 12, 6), catalog=catalog).full
    assert "赔偿违约金6100元（每天100元×61天），另赔偿邻居维修费（以实际发生为准）" in full, full


@pytest.mark.parametrize(("said", "written"), [
    ("给20元卷，我没要", "我已与商家协商，商家提出给20元券，我没有接受。"),
    ("给20元卷我没要", "我已与商家协商，商家提出给20元券，我没有接受。"),
    ("说只退一半，我没接受", "我已与商家协商，商家提出只退一半，我没有接受。"),
    ("店长说给20元卷，我拒绝了", "我已与商家协商，店长说给20元券，我拒绝了。"),  # already written
    ("我也没要", "我已与商家协商，我也没要。"),
    ("给他们打电话，没人接", "，给他们打电话，无人接听。"),  # no refusal: as before
])
def test_the_users_refusal_of_an_offer_is_kept(catalog: Catalog, said, written) -> None:
    full = _fish(catalog, "", problem="吃出一块钢丝球", contacted="yes", contact_result=said)
    assert written in full, full


@pytest.mark.parametrize(("said", "written"), [
    ("不认，非让先付尾款", "我已与商家协商，商家不认可，非让先付尾款。"),
    ("说防水没问题", "我已与商家协商，商家称防水没问题。"),
    ("说我人为损坏，还要我再掏200", "我已与商家协商，商家称我人为损坏，还要我再掏200元。"),
    ("拒绝退款", "我已与商家协商，商家拒绝退款。"),
    ("客服说不能退", "我已与商家协商，客服说不能退。"),  # the speaker is said
    ("说好的7天发货，一直没发", "我已与商家协商，说好的7天发货，一直没发。"),  # not the business's words
    ("说是厂家的问题", "我已与商家协商，商家称是厂家的问题。"),
    ("拒绝了他们的方案", "我已与商家协商，拒绝了他们的方案。"),  # the user refused
])
def test_the_business_is_the_subject_of_its_words_typed_without_one(catalog: Catalog, said,
                                                                      written) -> None:
    full = _fish(catalog, "", problem="吃出一块钢丝球", contacted="yes", contact_result=said)
    assert written in full, full


def test_what_the_business_said_when_found_again_is_told_once(catalog: Catalog) -> None:
    """"回去找他们 说是人为损坏": the business's answer goes to the response, an alternative
    demand to the demand, and neither is left in the problem."""
    account = ("上个月18号在数码城换了个手机屏 花了380 说好的原装屏 没几天就黑了 回去找他们 "
               "说是人为损坏 还要再交200才给修 我们要退钱 或者换个真的原装屏")
    facts = {"product": "换屏", "amount": 380.0, "purchase_date": "2026-11-18"}
    assert problem_from_account(account, facts, date(2026, 12, 7), catalog=catalog) == (
        "2026年11月18日在数码城换了个手机屏，说好的原装屏，没几天就黑了。")
    full = compose({**FISH, **facts, "contacted": "yes"}, account=account,
                   account_date=date(2026, 12, 7), today=date(2026, 12, 7), catalog=catalog).full
    assert "我已与商家协商，商家称是人为损坏，还要再交200才给修。" in full, full
    assert full.count("人为损坏") == 1 and "或者换个" not in full, full


def test_the_business_response_typed_twice_is_written_once(catalog: Catalog) -> None:
    """The problem typed with the business's answer in it, and the answer typed again at
    "what did the business say": told once, in the response; a demand left at the end of the
    problem goes with the demand."""
    full = _fish(catalog, "", product="换屏", contacted="yes",
                 problem="换的屏不是原装的，没几天就黑了，回去找他们，说是人为损坏，还要再交200才给修。"
                         "或者换个真的原装屏。",
                 contact_result="说是我爸自己摔的，人为损坏，要再交200元才修")
    assert "换的屏不是原装的，没几天就黑了。我已与商家协商，商家称是我爸自己摔的，人为损坏" in full, full
    assert full.count("人为损坏") == 1 and "或者换个" not in full, full
    full = _fish(catalog, "", problem="4S店让多跑跑。还是没有解决。")
    assert "还是没有解决。" in full, full


@pytest.mark.parametrize(("problem", "written"), [
    ("2026年10月人就没了", "2026年10月商家就不见了"),  # not a death
    ("现在人都找不着了", "现在商家人员都找不到了"),
    ("老板人跑了", "老板人跑了"),
    ("三月份吧给孩子报了个班，十月份关门了", "2026年3月给孩子报了个班"),
    ("找了 好几次了 都说等通知", "找了好几次了，都说等通知"),
])
def test_chat_words_are_written_as_a_complaint_says_them(catalog: Catalog, problem: str,
                                                         written: str) -> None:
    full = _fish(catalog, "", problem=problem)
    assert written in full, full


def test_a_chat_particle_after_the_product_is_not_written(catalog: Catalog) -> None:
    full = _fish(catalog, "", problem="吃出一块钢丝球", product="英语课啊 少儿英语")
    assert "购买了英语课 少儿英语，" in full, full


@pytest.mark.parametrize(("business", "written"), [
    ("力美健身", "在力美健身望京店购买"),
    ("北京力美健身服务有限公司", "在力美健身望京店（北京力美健身服务有限公司）购买"),
])
def test_a_shops_sign_is_not_repeated_as_its_business(catalog: Catalog, business: str,
                                                       written: str) -> None:
    answers = {"kind": "complaint", "for_whom": "self", "product": "健身卡", "amount": 3980.0,
               "purchase_date": "2026-03", "store_name": "力美健身望京店", "channel": "store",
               "business_name": business, "demands": ["refund"], "problem": "健身房关门了",
               "contacted": "no"}
    result = compose(answers, account="", account_date=date(2026, 12, 6),
                     today=date(2026, 12, 6), catalog=catalog)
    assert written in result.full, result.full


ENGLISH_COURSE = {"kind": "complaint", "for_whom": "self", "product": "少儿英语课",
                  "amount": 12800.0, "purchase_date": "2026-03-10", "channel": "store",
                  "store_name": "小蓝鲸英语", "demands": ["refund"], "contacted": "no"}


def test_a_payment_told_with_the_total_is_not_dropped_as_the_price_said_again(
        catalog: Catalog) -> None:
    said = "闺女在小蓝鲸英语报的课 先交了9800，4月份又补了3000一共12800 孩子上了14节课"
    problem = problem_from_account(said, ENGLISH_COURSE, date(2026, 12, 7), catalog=catalog)
    assert "先交了9800元，2026年4月又补了3000元一共12800元，孩子上了14节课" in problem, problem
    # the price told by its payments: the intro names them, so no payment reads as the price
    full = compose({**ENGLISH_COURSE, "amount_parts": [9800.0, 3000.0], "problem": problem},
                   account="", account_date=date(2026, 12, 7), today=date(2026, 12, 7),
                   catalog=catalog).full
    assert "购买了少儿英语课，分两次共支付12800元（9800元、3000元）。" in full, full
    # the first payment stays beside the further one even where it equals the price held
    full = compose({**ENGLISH_COURSE, "amount": 9800.0,
                    "problem": "给闺女报的课，交了九千八，后来又续了三千，上了14节课"},
                   account="", account_date=date(2026, 12, 7), today=date(2026, 12, 7),
                   catalog=catalog).full
    assert "给闺女报的课，交了九千八，后来又续了三千，上了14节课。" in full, full


SUPPLEMENT = {"kind": "complaint", "for_whom": "self", "product": "保健品", "amount": 4980.0,
              "purchase_date": "2026-09", "store_name": "小区活动室", "channel": "store",
              "business_name": "康寿源健康", "demands": ["refund"], "contacted": "no"}
SCREEN = {**SUPPLEMENT, "product": "换屏", "amount": 380.0, "purchase_date": "2026-11-18",
          "store_name": "极速手机维修", "business_name": "极速手机维修"}


@pytest.mark.parametrize(("changes", "problem", "written"), [
    # the purchase told again with its quantity keeps what was bought
    ({}, "俺2026年9月在小区听讲座，买了三合保健品，一合一千六百六，说能治糖尿病",
     "我2026年9月在小区听讲座，买了三合保健品，一合一千六百六，说能治糖尿病。"),
    # a product's name with a word of a problem in it (保健品) is no problem told: it goes
    ({"product": "三合保健品"}, "俺2026年9月在小区听讲座，三合保健品，一合一千六百六",
     "我2026年9月在小区听讲座，一合一千六百六。"),
    # the purchase day before a clause that tells the purchase: the intro dates it
    ({"product": "换手机屏幕", "for_whom": "other", "principal_name": "马建国",
      "principal_relation": "父亲"},
     "他2026年11月18日在丰台的数码城里换手机屏幕，说好的原装屏，结果没几天就黑屏了",
     "他在丰台的数码城里换手机屏幕，说好的原装屏"),
    ({}, "我2026年11月18日在丰台数码城换手机屏幕，说是原装的，结果一个礼拜就黑屏了",
     "。我在丰台数码城换手机屏幕，说是原装的"),
])
def test_a_purchase_told_again_keeps_what_was_bought(catalog: Catalog, changes, problem,
                                                      written) -> None:
    base = SCREEN if "手机" in problem else SUPPLEMENT
    full = compose({**base, **changes, "problem": problem}, account="",
                   account_date=date(2026, 12, 7), today=date(2026, 12, 7), catalog=catalog).full
    assert written in full, full
    assert "该商品" not in full and "购买当天" not in full, full


FOR_MOTHER = {**SUPPLEMENT, "for_whom": "other", "principal_name": "吴桂兰",
              "principal_relation": "母亲", "product": "降糖通胶囊"}


@pytest.mark.parametrize(("changes", "problem", "written"), [
    # told in the principal's own voice: after 我代…投诉, her 我 is 她
    ({}, "小区里开健康讲座送鸡蛋，我买了三盒保健品，他们说能治糖尿病不用吃药了，我就把药停了，结果住院了",
     "小区里开健康讲座送鸡蛋，她买了三盒保健品，他们说能治糖尿病不用吃药了，她就把药停了，结果住院了。"),
    # a relation without a pronoun of its own: the principal's name
    ({"principal_relation": "朋友"}, "我买了三盒保健品，我就把药停了",
     "吴桂兰买了三盒保健品，吴桂兰就把药停了。"),
    # told by the filer, speaking of her: the filer's 我 stays
    ({}, "我妈买了三盒保健品，我妈就把药停了，我带她去了医院",
     "我妈买了三盒保健品，我妈就把药停了，我带她去了医院。"),
    ({"for_whom": "self"}, "我买了三盒保健品，我就把药停了", "我买了三盒保健品，我就把药停了。"),
])
def test_an_account_in_the_principals_own_voice_names_them(catalog: Catalog, changes, problem,
                                                            written) -> None:
    full = compose({**FOR_MOTHER, **changes, "problem": problem}, account="",
                   account_date=date(2026, 12, 7), today=date(2026, 12, 7), catalog=catalog).full
    assert written in full, full


def test_the_filing_clause_is_not_written_for_someone_else(catalog: Catalog) -> None:
    answers = {**SCREEN, "for_whom": "other", "principal_name": "马建国",
               "principal_relation": "父亲", "product": "换手机屏幕"}
    account = "帮我爸投诉一下，他上个月18号在丰台的数码城里换手机屏幕 说好的原装屏 花了380 结果没几天就黑屏了"
    answers["problem"] = problem_from_account(account, answers, date(2026, 12, 7), catalog=catalog)
    full = compose(answers, account=account, account_date=date(2026, 12, 7),
                   today=date(2026, 12, 7), catalog=catalog).full
    assert "。他在丰台的数码城里换手机屏幕，说好的原装屏，结果没几天就黑屏了。" in full, full
    assert "投诉一下" not in full, full


@pytest.mark.parametrize("problem", ["2026年11月18日晚上手机屏幕就黑了",
                                     "2026年11月18日在店里做了贴膜"])
def test_the_purchase_day_as_the_time_of_something_else_stays(catalog: Catalog,
                                                               problem: str) -> None:
    full = compose({**SCREEN, "product": "手机屏幕", "problem": problem}, account="",
                   account_date=date(2026, 12, 7), today=date(2026, 12, 7), catalog=catalog).full
    assert "。购买当天" in full, full


@pytest.mark.parametrize(("changes", "problem", "written"), [
    # the price said again in words at the end of a purchase kept for its quantity
    ({"product": "什么降糖胶囊 盒子上写的 康寿源牌 降糖通胶囊"},
     "小区里开健康讲座送鸡蛋，我买了三盒保健品四千九百八，吃了没用",
     "购买了康寿源牌降糖通胶囊，支付4980元。小区里开健康讲座送鸡蛋，我买了三盒保健品，吃了没用。"),
    ({}, "我买了三盒保健品花了4980，吃了没用", "。我买了三盒保健品，吃了没用。"),
    # a product's name after a word that says it, but no brand cut off
    ({"product": "药名叫 降糖通胶囊"}, "吃了没用", "购买了降糖通胶囊，"),
    ({"product": "康寿源品牌降糖茶"}, "吃了没用", "购买了康寿源品牌降糖茶，"),
])
def test_the_price_said_again_in_words_and_chat_in_the_product_are_not_written(
        catalog: Catalog, changes, problem, written) -> None:
    full = compose({**SUPPLEMENT, **changes, "problem": problem}, account="",
                   account_date=date(2026, 12, 7), today=date(2026, 12, 7), catalog=catalog).full
    assert written in full, full
    assert full.count("4980") == 1 and "四千九百八" not in full, full


@pytest.mark.parametrize(("repair", "written"), [
    ("我想让他们把防水重做了", "现要求商家免费重做防水"),
    ("我要他们把卫生间防水重新做一遍", "现要求商家免费重新做卫生间防水"),
    ("让他们给我把屏幕换了", "现要求商家免费更换屏幕"),
    ("把漏水的地方弄好", "现要求商家免费把漏水的地方弄好"),  # a verb not known: 把 stays
    ("重新做防水", "现要求商家免费重新做防水"),
])
def test_a_repair_asked_for_in_chat_words_reads_as_a_demand(catalog: Catalog, repair,
                                                             written) -> None:
    items = [{"detail": "延期违约金", "amount": 6100.0},
             {"detail": "邻居家的维修费实际花多少算多少", "amount": None}]
    answers = {"kind": "complaint", "for_whom": "self", "product": "卫生间防水", "amount": 60000.0,
               "purchase_date": "2026-05", "store_name": "居安美家装饰", "channel": "store",
               "demands": ["repair", "compensation"], "problem": "卫生间漏水", "contacted": "no",
               "repair_detail": repair,
               "compensation": {"amount": 6100.0, "detail": "", "items": items}}
    full = compose(answers, account="", account_date=date(2026, 12, 6), today=date(2026, 12, 6),
                   catalog=catalog).full
    assert (f"{written}，并赔偿延期违约金6100元，另赔偿邻居家的维修费（以实际发生为准）。"
            in full), full


def test_a_loss_named_after_its_sum_is_kept_and_names_for_the_business_are_not(
        catalog: Catalog) -> None:
    # 5A 6: "对 还去诊所看了花了120 药费 他家就给我个20块券 打发要饭的呢"
    full = _full(catalog, product="麻辣香锅", amount=68.0, theme="food_safety",
                 problem="麻辣香锅吃出个死蟑螂，拉肚子了。对 还去诊所看了花了120 药费 "
                         "他家就给我个20块券 打发要饭的呢")
    assert "还去诊所看了，花了药费120元，他家就给我个20元券。" in full
    assert "打发要饭的" not in full and "药费，" not in full
    full = _full(catalog, problem="衣服起球严重，简直是骗子，黑心商家，坑人")
    assert "衣服起球严重。" in full and "骗子" not in full and "黑心" not in full
    assert "收了钱就跑的骗子公司" in _full(catalog, problem="收了钱就跑的骗子公司")


BEAUTY = {"kind": "complaint", "for_whom": "self", "product": "面部护理次卡20次", "amount": 9800.0,
          "purchase_date": "2026-10-15", "business_name": "悦颜美容", "store_name": "悦颜美容金融街店",
          "channel": "store", "demands": ["refund"], "contacted": "no"}


def _beauty(catalog: Catalog, **changes: object) -> str:
    return compose({**BEAUTY, **changes}, account="", account_date=date(2026, 12, 7),
                   today=date(2026, 12, 7), catalog=catalog).full


def test_chat_around_names_and_confirmations_is_not_written(catalog: Catalog) -> None:
    # 5B 9: a place and 那个 before the shop's name; a confirmation; 那个什么; a leading 投诉
    full = _beauty(catalog, problem="金融街那个悦颜美容，先说免费体验，做完就拉着我办卡。"
                                    "对 就是这样 她们用的那个什么精华 做完第四次脸就开始红")
    assert "该商家先说免费体验，做完就拉着我办卡。她们用的精华，做完第四次脸就开始红。" in full, full
    assert "投诉" not in _beauty(catalog, problem="投诉，做完第四次脸就开始红")
    assert "我去了该商家" in _beauty(catalog, problem="我去了金融街那个悦颜美容")
    # the purchase told again, reworded, adds only a feeling: not written twice
    full = _beauty(catalog, problem="我被迫刷信用卡办了20次面部护理次卡。做完第四次脸就过敏了")
    assert "办了20次" not in full and "做完第四次脸就过敏了。" in full
    # a business name typed with chat, another way of saying the shop's sign
    full = _beauty(catalog, business_name="国美电器 通州万达那个店", store_name="国美通州万达店",
                   product="冰箱")
    assert "在国美通州万达店购买了冰箱" in full, full
    assert "在国美通州万达店（北京国美电器有限公司）购买" in _beauty(
        catalog, business_name="北京国美电器有限公司", store_name="国美通州万达店")
    # a description typed after the product's name goes into its bracket
    full = _beauty(catalog, product="美容次卡 20次的 做的是面部护理补水那种")
    assert "购买了美容次卡（20次，面部护理补水），支付9800元" in full, full


def test_a_legal_measure_in_the_demands_is_named_as_the_form_names_it(catalog: Catalog) -> None:
    # 5A 20: "食品安全惩罚性1000元" lacked its 赔偿; "假一赔三2697元" is 三倍赔偿 in a list of sums
    def demands(*items: tuple[str, float]) -> str:
        compensation = {"items": [{"detail": d, "amount": a} for d, a in items]}
        return _full(catalog, demands=["refund", "compensation"], compensation=compensation)
    assert "赔偿医药费120元、食品安全惩罚性赔偿1000元，共计1120元" in demands(
        ("医药费", 120.0), ("食品安全惩罚性", 1000.0))
    assert "赔偿检测费300元、三倍赔偿2697元，共计2997元" in demands(
        ("假一赔三", 2697.0), ("检测费", 300.0))
    assert "支付三倍赔偿2697元" in demands(("三倍", 2697.0))
    assert "赔偿2697元（退一赔三）" in demands(("退一赔三", 2697.0)), "one sum: the user's words"


def test_what_was_said_about_a_count_of_days_is_no_complaint_about_the_question(
        catalog: Catalog) -> None:
    """"说过了7天不给退" is what the shop said, not "说过了" (I said it already) before 7天."""
    from flows.composition.written import written_clause

    assert written_clause("说过了7天不给退").startswith("说过了7天")
    assert written_clause("都说了联系不上") == "联系不上"
