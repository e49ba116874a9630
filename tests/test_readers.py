"""The answer readers: what each returns for the engine (value, skip, add, story, clarify,
also, reason) on the replies the issue quotes."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from flows.catalog import Catalog
from flows.context import Context
from flows.fields import FIELDS
from flows.model import Draft
from flows.readers import Parsed, date_label, read_case_state, read_reference_number

NOW = datetime(2026, 11, 28, 12, 0)
ROOT = Path(__file__).resolve().parent.parent


def read(catalog: Catalog, field: str, text: str, **answers: Any) -> Parsed:
    draft = Draft(number=1, created_at=NOW, updated_at=NOW)
    draft.answers.update({"kind": "complaint", **answers})
    return FIELDS[field].parse(text, Context(catalog, NOW), draft)


@pytest.mark.parametrize(("field", "text", "value"), [
    ("kind", "投诉吧", "complaint"), ("for_whom", "帮我妈投诉", "other"), ("for_whom", "我自己", "self"),
    ("contacted", "打了 打不通", "yes"), ("contacted", "没有", "no"), ("contacted", "嗯", "yes"),
    ("channel", "直播间买的", "online"), ("reuse_profile", "用上次的", "yes"),
])
def test_ordinary_answers_to_options(catalog: Catalog, field: str, text: str, value: str) -> None:
    assert read(catalog, field, text).value == value


def test_multi_select_typed_as_text_is_added_to_what_was_picked(catalog: Catalog) -> None:
    parsed = read(catalog, "evidence", "直播录屏 吊牌照片 订单截图")
    assert parsed.add and parsed.value == ["photos", "receipt"]
    assert read(catalog, "demands", "维修或者赔钱").value == ["repair", "compensation"]


def test_punitive_compensation_brings_the_multiple_and_the_sum(catalog: Catalog) -> None:
    parsed = read(catalog, "demands", "退一赔三", amount=599.0)
    assert parsed.value == ["return_refund", "compensation"] and parsed.add
    assert parsed.params["multiple"] == 3
    assert parsed.also["compensation"] == {"amount": 1797.0, "detail": "退一赔三"}


def test_a_story_at_a_short_question_is_flagged_not_stored(catalog: Catalog) -> None:
    parsed = read(catalog, "kind", "昨天在三里屯买的鞋599块，穿两天就开胶了，店里不给退")
    assert parsed.story and parsed.value is None and parsed.error


def test_home_or_business_place_is_asked(catalog: Catalog) -> None:
    home = read(catalog, "district", "我住海淀")
    assert home.clarify is not None and home.clarify.options == ("北京市海淀区",)
    both = read(catalog, "district", "我在丰台 商家在杭州")
    assert both.clarify is not None and both.clarify.options[0] == "浙江省杭州市"
    assert read(catalog, "district", "河北廊坊").value == "河北省廊坊市"


@pytest.mark.parametrize(("field", "text", "reason"), [
    ("business_address", "网上买的没地址", "no_address_online"),
    ("business_address", "杭州的好像", "vague"),
    ("business_name", "都说了没执照 哪来的全称", "no_licence"),
    ("complainant_name", "不想留名 怕他报复", "refusal"),
    ("business_name", "不清楚商家名字", "dont_know"),
    ("business_name", "不知道公司叫什么", "dont_know"),
    ("business_address", "不记得具体地址了", "dont_know"),
])
def test_non_answers_are_refused_with_a_reason(catalog: Catalog, field: str, text: str,
                                               reason: str) -> None:
    parsed = read(catalog, field, text)
    assert parsed.error and parsed.reason == reason and parsed.value is None


def test_a_reporter_may_stay_anonymous(catalog: Catalog) -> None:
    parsed = read(catalog, "complainant_name", "不想留名 怕他报复", kind="report")
    assert parsed.skip and parsed.note == "note.anonymous" and parsed.value is None


def test_the_answer_inside_a_sentence_is_taken(catalog: Catalog) -> None:
    assert read(catalog, "business_name", "上面写了 数码优选专营店").value == "数码优选专营店"
    assert read(catalog, "order_number", "编号是１１０２３４５６７８９").value == "11023456789"


@pytest.mark.parametrize(("text", "value"), [
    ("不知道，京东自营的", "京东自营"),
    ("不记得了，好像叫某某商贸", "某某商贸"),
    ("不太清楚，是个小店叫老王烟酒", "老王烟酒"),
    ("不清楚 北京某某商贸有限公司", "北京某某商贸有限公司"),
])
def test_a_dont_know_before_the_answer_is_left_out(catalog: Catalog, text: str,
                                                    value: str) -> None:
    assert read(catalog, "business_name", text).value == value


def test_dont_know_keeps_the_shop_name(catalog: Catalog) -> None:
    parsed = read(catalog, "business_name", "不知道", store_name="王记麻辣烫")
    assert parsed.value == "王记麻辣烫" and parsed.note == "reply.note.kept_shop_name"


def test_optional_fields_take_none_as_a_skip(catalog: Catalog) -> None:
    for field in ("credit_code", "order_number"):
        parsed = read(catalog, field, "不涉及")
        assert parsed.skip and parsed.error is None and parsed.value is None


def test_a_month_is_stored_as_a_month_and_shown_as_one(catalog: Catalog) -> None:
    parsed = read(catalog, "purchase_date", "大概2025年10月")
    assert parsed.value == "2025-10"
    assert date_label("2025-10", catalog) == "2025年10月"
    assert date_label("2025-10-01", catalog) == "2025年10月1日"


def test_every_reply_key_the_code_names_exists(catalog: Catalog) -> None:
    named: set[str] = set()
    for path in (ROOT / "flows").rglob("*.py"):
        named |= set(re.findall(r'"(reply\.[a-z_.]+[a-z_])"', path.read_text(encoding="utf-8")))
    assert named, "the readers name their sentences by key"
    missing = sorted(key for key in named if not catalog.has(key))
    assert not missing, missing


@pytest.mark.parametrize(("text", "allowed", "state"), [
    ("受理了", ("accepted", "rejected", "closed"), "accepted"),
    ("商家不同意退 调解没谈成", ("mediating", "mediated", "mediation_failed", "closed"),
     "mediation_failed"),
    ("没受理", ("accepted", "rejected", "closed"), "rejected"),
    ("还不知道", ("accepted", "rejected", "closed"), None),
])
def test_a_case_state_in_the_users_words(catalog: Catalog, text: str, allowed: tuple[str, ...],
                                         state: str | None) -> None:
    assert read_case_state(text, catalog, allowed) == state


def test_a_case_number_inside_a_sentence() -> None:
    assert read_reference_number("编号是１１０１０５２０２６１１２８０００１") == "110105202611280001"


def test_a_reporter_who_bought_nothing_skips_the_purchase_questions(catalog: Catalog) -> None:
    for field in ("channel", "product", "purchase_date", "report_amount"):
        parsed = read(catalog, field, "我没买 只是路过看到的", kind="report")
        assert parsed.skip and parsed.reason == "not_a_buyer", field
    assert not read(catalog, "product", "我没买过他家东西").skip  # a complaint is a purchase


@pytest.mark.parametrize("text", ["二百九十九", "1299元", "1299", "二百九十九块钱"])
def test_a_price_typed_at_the_problem_question_is_not_the_problem(catalog: Catalog,
                                                                 text: str) -> None:
    parsed = read(catalog, "problem", text)
    assert parsed.value is None and parsed.error == "reply.error.problem_is_sum"


@pytest.mark.parametrize("text", ["花了1299元，鞋面开胶了", "鞋面开胶了", "一块掉了漆"])
def test_a_problem_that_mentions_a_sum_is_taken(catalog: Catalog, text: str) -> None:
    assert read(catalog, "problem", text).value == text


@pytest.mark.parametrize(("field", "text", "also"), [
    ("business_address", "换个新的或者退钱都行", {"demands": ["exchange", "refund"],
                                                  "demand_alternatives": [["exchange", "refund"]]}),
    ("business_address", "有订单截图还有聊天记录", {"evidence": ["receipt", "messages"]}),
    ("business_name", "想让他们退款并赔偿", {"demands": ["refund", "compensation"]}),
    ("store_name", "退钱就行", {"demands": ["refund"]}),
    ("product", "找了客服没用", {"contacted": "yes"}),
    ("product", "聊天记录", {"evidence": ["messages"]}),
])
def test_a_reply_meant_for_a_later_question_is_refused_and_handed_on(
        catalog: Catalog, field: str, text: str, also: dict[str, Any]) -> None:
    parsed = read(catalog, field, text)
    assert parsed.value is None and parsed.error == "reply.error.answers_elsewhere"
    assert parsed.also == also


@pytest.mark.parametrize(("field", "text", "value"), [
    ("business_name", "退换无忧电器商行", "退换无忧电器商行"),  # a name may hold such a word
    ("business_address", "小区门口那个维修店", "小区门口那个维修店"),
    ("product", "退货运费险", "退货运费险"),  # a product that only holds one
    ("product", "手机维修", "手机维修"),  # a repair is a product too
    ("product", "手机贴膜", "手机贴膜"),  # 手机 begins the product, it is no lead-in here
    ("product", "买的是手机", "手机"),
])
def test_names_places_and_things_that_hold_such_words_are_taken(
        catalog: Catalog, field: str, text: str, value: str) -> None:
    assert read(catalog, field, text).value == value


@pytest.mark.parametrize(("field", "text", "value"), [
    ("business_name", "极速手机维修", "极速手机维修"),  # words before the trade word: a name
    ("business_name", "牌子上写极速手机维修", "极速手机维修"),
    ("business_name", "就叫极速手机维修 别的不知道", "极速手机维修"),
    ("store_name", "急速手机维修部", "急速手机维修部"),  # a shop's ending
    ("business_name", "店名是手机维修", "手机维修"),  # said to be the name
    ("business_name", "合同上盖的章是北京蓝鲸启航教育科技有限公司 我也是后来才知道的",
     "北京蓝鲸启航教育科技有限公司"),  # without the aside
    ("business_address", "丰台区 世界公园那边的那个数码城 具体地址我问问我爸",
     "丰台区 世界公园那边的那个数码城"),  # without the pause
])
def test_a_name_that_holds_a_demand_word_or_stands_beside_an_aside_is_the_name(
        catalog: Catalog, field: str, text: str, value: str) -> None:
    assert read(catalog, field, text).value == value


@pytest.mark.parametrize(("field", "text", "reason"), [
    ("complainant_address", "等会 我先问下我爸数码城叫啥", "pause"),
    ("business_name", "这是店名啊，不是诉求", "protest"),
    ("store_name", "就海淀黄庄那个 上面说了", "complaint"),
    ("business_address", "在海淀黄庄那边 具体门牌号不记得了 现在人都搬走了 还写原来的地址吗", "question"),
])
def test_pauses_protests_and_chatter_are_not_stored(
        catalog: Catalog, field: str, text: str, reason: str | None) -> None:
    parsed = read(catalog, field, text)
    assert parsed.value is None and parsed.error
    assert reason is None or parsed.reason == reason


def test_the_question_whether_to_write_the_old_address_is_answered(catalog: Catalog) -> None:
    parsed = read(catalog, "business_address", "具体门牌号不记得了 现在人都搬走了 还写原来的地址吗")
    assert parsed.value is None and parsed.error == "reply.error.address_old"


def test_no_shop_at_the_store_question_leaves_it_out(catalog: Catalog) -> None:
    parsed = read(catalog, "store_name", "没门店 他们公司来我家装", channel="store")
    assert parsed.skip and parsed.reason == "no_shop" and parsed.value is None


@pytest.mark.parametrize(("text", "name", "phone"), [
    ("刘佳 电话13800001111", "刘佳", "13800001111"),
    ("刘佳，手机138 0000 1111", "刘佳", "13800001111"),
    ("我叫刘佳 13800001111", "刘佳", "13800001111"),
])
def test_a_phone_said_with_the_name_is_never_the_name(
        catalog: Catalog, text: str, name: str, phone: str) -> None:
    parsed = read(catalog, "complainant_name", text)
    assert parsed.value == name and parsed.also == {"complainant_phone": phone}
    alone = read(catalog, "complainant_name", phone)
    assert alone.value is None and alone.also == {"complainant_phone": phone}


def test_the_writers_name_said_with_the_phone_is_kept_for_the_name(catalog: Catalog) -> None:
    parsed = read(catalog, "complainant_phone", "留我的吧 我叫张伟 13522223333")
    assert parsed.value == "13522223333" and parsed.also == {"complainant_name": "张伟"}
    relation = read(catalog, "complainant_phone", "我是她儿子 13522223333")
    assert relation.value == "13522223333" and not relation.also


def test_the_writer_introducing_themselves_is_not_the_principal(catalog: Catalog) -> None:
    parsed = read(catalog, "principal_name", "马建国 我是他女儿马丽", for_whom="other")
    assert parsed.value == "马建国"
    assert parsed.also == {"complainant_name": "马丽", "principal_relation": "父亲"}
    alone = read(catalog, "principal_name", "我是他女儿马丽", for_whom="other")
    assert alone.value is None and alone.also["complainant_name"] == "马丽"


@pytest.mark.parametrize(("field", "text", "value", "reason"), [
    ("product", "我闺女才六岁 老师其实挺好的 就是机构跑了", None, "story"),  # not 机构跑了
    ("product", "少儿英语课 48节", "少儿英语课 48节", None),
    ("channel", "都不是 上门装修", "store", None),  # a service done in person
    ("channel", "修手机 不是买的", "store", None),
    ("channel", "在小区活动室买的 不是店", "store", None),
    ("channel", "网上约的维修", "online", None),
    ("for_whom", "我自己吧 是给我孩子报的课", "self", None),  # the child only takes the course
    ("for_whom", "孩子算本人吗", None, "question"),
    ("for_whom", "帮我儿子投诉", "other", None),
])
def test_chatter_services_and_children_at_the_questions_about_them(
        catalog: Catalog, field: str, text: str, value: Any, reason: str | None) -> None:
    parsed = read(catalog, field, text)
    assert parsed.value == value and parsed.reason == reason


@pytest.mark.parametrize(("text", "platform"), [
    ("拼多多", "pinduoduo"), ("淘宝平台", "taobao"), ("pdd", "pinduoduo"), ("抖音", "douyin"),
])
def test_a_platform_named_as_the_business_is_held_back_with_a_warning(
        catalog: Catalog, text: str, platform: str) -> None:
    parsed = read(catalog, "business_name", text)
    assert parsed.warning == "warn.platform_as_business" and parsed.value == text
    assert parsed.also == {"platform": platform}


@pytest.mark.parametrize("text", ["京东自营", "拼多多美厨电器旗舰店", "上海寻梦信息技术有限公司"])
def test_a_sellers_name_is_taken_as_it_is(catalog: Catalog, text: str) -> None:
    parsed = read(catalog, "business_name", text)
    assert parsed.value == text and parsed.warning is None


@pytest.mark.parametrize("text", ["拼夕夕", "pdd上买的", "某宝"])
def test_a_platforms_nickname_says_it_was_bought_online(catalog: Catalog, text: str) -> None:
    assert read(catalog, "channel", text).value == "online"


@pytest.mark.parametrize("text", ["两三百吧", "三四千", "200-300", "两百到三百", "200元~300元"])
def test_a_range_of_sums_is_not_taken_as_the_price(catalog: Catalog, text: str) -> None:
    parsed = read(catalog, "amount", text)
    assert parsed.value is None and parsed.reason == "approximate"


@pytest.mark.parametrize(("text", "value"), [
    ("5.20签的合同", "2026-05-20"),  # a day without a year, with what was done on it
    ("12.25签的合同", "2025-12-25"),  # not yet this year: last year's
    ("上个月十八", "2026-10-18"),  # the day, without 号
    ("上个月18买的", "2026-10-18"),
    ("上个月3次", "2026-10"),  # a count, not a day
])
def test_a_day_written_without_its_year_or_its_hao_is_read(catalog: Catalog, text: str,
                                                           value: str) -> None:
    assert read(catalog, "purchase_date", text).value == value


@pytest.mark.parametrize(("text", "amount", "parts"), [
    ("3万 2万 1万", 60000.0, [30000.0, 20000.0, 10000.0]),  # instalments: their total
    ("9800+3000", 12800.0, [9800.0, 3000.0]),
    ("办卡交了6800 后来又续了2000", 8800.0, [6800.0, 2000.0]),
    ("先交的9800 后来加课又补了3000", 12800.0, [9800.0, 3000.0]),  # 补 paid, not a rebate
    ("60000 分3次 合同总价86000", 60000.0, None),  # the contract's price is not what was paid
    ("6万 分三次付的", 60000.0, None),  # 分 before a count of payments is not a minute
    ("已付6万 尾款2万6", 60000.0, None),
    ("一共12800 先付的9800", 12800.0, None),
    # one sum is the total of the others: that total, not the first payment
    ("是12800 分两次交的 9800和3000", 12800.0, [9800.0, 3000.0]),
    ("9800和3000 加起来是12800", 12800.0, [9800.0, 3000.0]),
    ("九块九", 9.9, None),
])
def test_several_sums_at_the_amount_are_what_was_paid_in_all(
        catalog: Catalog, text: str, amount: float, parts: list[float] | None) -> None:
    parsed = read(catalog, "amount", text)
    assert parsed.value == amount and parsed.error is None
    assert parsed.also.get("amount_parts") == parts
    if parts:  # said back as a total, so a wrong one is caught
        assert parsed.note == "reply.note.amount_parts"
        assert catalog.text("format.money", amount=f"{amount:.0f}") in parsed.params["value"]


@pytest.mark.parametrize(("text", "narrative", "warning"), [
    ("1", "换手机屏，380现金，说是原装的", "warn.amount_far_said"),  # an option number, by habit
    ("38000", "换手机屏，花了380", "warn.amount_far_said"),
    ("9800", "办了个次卡，去医院说是过敏，花了260，", None),  # the account's other sum is a loss
    ("1", "", "warn.amount_tiny"),
    ("380", "换手机屏，380现金，说是原装的", None),
    ("200", "换屏花了380，后来说要再交200才给修", None),  # another sum the account names
    ("5元", "", None),  # a small sum said with its unit
])
def test_a_sum_far_from_the_accounts_or_a_lone_digit_is_confirmed_first(
        catalog: Catalog, text: str, narrative: str, warning: str | None) -> None:
    parsed = read(catalog, "amount", text, narrative=narrative)
    assert parsed.warning == warning and parsed.value is not None


@pytest.mark.parametrize(("field", "text", "also"), [
    ("business_name", "朝阳区望京西路48号", {"business_address": "朝阳区望京西路48号"}),
    ("business_name", "北京市朝阳区三里屯路", {"business_address": "北京市朝阳区三里屯路"}),
    ("business_address", "北京某某商贸有限公司", {"business_name": "北京某某商贸有限公司"}),
    ("business_address", "美厨电器旗舰店", {"business_name": "美厨电器旗舰店"}),
    ("product", "北京市大兴区亦庄某某小区3号楼", {"business_address": "北京市大兴区亦庄某某小区3号楼"}),
])
def test_an_address_typed_as_the_name_and_a_name_as_the_address_swap(
        catalog: Catalog, field: str, text: str, also: dict[str, Any]) -> None:
    parsed = read(catalog, field, text)
    assert parsed.error == "reply.error.answers_elsewhere" and parsed.also == also


@pytest.mark.parametrize(("field", "text"), [
    ("business_name", "望京西路48号的力美健身"),  # ends in the name: it is one
    ("business_name", "北京力美健身有限公司"),
    ("business_address", "北京朝阳区建国路88号SOHO现代城某某公司"),
    ("business_address", "朝阳大悦城耐克专卖店"),  # a mall and a shop: a place
])
def test_a_name_with_an_address_in_it_and_an_address_with_a_name_are_taken(
        catalog: Catalog, field: str, text: str) -> None:
    assert read(catalog, field, text).value == text


@pytest.mark.parametrize("text", ["13912345678", "010-88886666"])
def test_a_phone_number_is_not_an_address(catalog: Catalog, text: str) -> None:
    assert read(catalog, "business_address", text).reason == "phone"


@pytest.mark.parametrize(("field", "text", "also"), [
    ("product", "去年五月份", {"purchase_date": "2025-05"}),
    ("product", "上周三买的", {"purchase_date": "2026-11-18"}),
    ("product", "3980元", {"amount": 3980.0}),
    ("business_name", "3980", {"amount": 3980.0}),
    ("amount", "上周三", {"purchase_date": "2026-11-18"}),  # not 3 yuan
    ("amount", "双十一", {"purchase_date": "2026-11-11"}),  # not 11 yuan
])
def test_a_date_or_a_sum_alone_goes_to_its_own_question(
        catalog: Catalog, field: str, text: str, also: dict[str, Any]) -> None:
    parsed = read(catalog, field, text)
    assert parsed.error == "reply.error.answers_elsewhere" and parsed.also == also


@pytest.mark.parametrize("text", ["五一礼盒", "2023款帕萨特", "中秋月饼", "iPhone 15", "两双鞋"])
def test_a_product_with_a_date_or_a_number_in_it_is_taken(catalog: Catalog, text: str) -> None:
    assert read(catalog, "product", text).value == text


@pytest.mark.parametrize("text", ["北京市朝阳区望京花园1号楼", "3号线地铁站"])
def test_a_building_or_a_line_number_is_not_a_day(catalog: Catalog, text: str) -> None:
    assert read(catalog, "purchase_date", text).value is None


@pytest.mark.parametrize(("field", "text", "value", "reason"), [
    ("contact_result", "不知道", None, "dont_know"),
    ("contact_result", "客服说不知道怎么处理，让我等", "客服说不知道怎么处理，让我等", None),
    ("problem", "不太清楚", None, "dont_know"),
    ("kind", "我要告他", "complaint", None),
    ("evidence", "发票丢了", None, "lost"),
    ("evidence", "有聊天记录，没有发票", ["messages"], None),
    ("evidence", "没有发票", None, "lost"),
    ("demands", "随便", None, "undecided"),
    ("theme", "你帮我选", None, "dont_know"),  # no reading of an account to go by here
])
def test_what_people_say_when_they_are_unsure_or_have_lost_something(
        catalog: Catalog, field: str, text: str, value: Any, reason: str | None) -> None:
    parsed = read(catalog, field, text)
    assert parsed.value == value and parsed.reason == reason


@pytest.mark.parametrize(("field", "text", "value"), [
    ("contacted", "👍", "yes"), ("contacted", "木有", "no"), ("contacted", "❌", "no"),
    ("product", "手机📱", "手机📱"), ("business_name", "😡😡😡", None), ("problem", "😡😡😡😡😡", None),
])
def test_emoji_and_chat_slang_on_a_phone(catalog: Catalog, field: str, text: str, value: Any) -> None:
    assert read(catalog, field, text).value == value


@pytest.mark.parametrize(("text", "also"), [
    ("退剩下的钱", {"demands": ["refund"]}), ("想要赔偿", {"demands": ["compensation"]}),
    ("拒绝退款", None), ("客服说可以退款一半", None), ("不管维修", None), ("只给退一半", None),
])
def test_a_demand_typed_as_the_businesss_answer(catalog: Catalog, text: str,
                                               also: dict[str, Any] | None) -> None:
    parsed = read(catalog, "contact_result", text)
    assert (parsed.also or None) == also and (parsed.value is None) == (also is not None)


@pytest.mark.parametrize(("text", "demands", "dropped", "refund"), [
    ("不是维修！退380，再加三倍赔偿", ["refund", "compensation"], ("repair",),
     {"amount": 380.0, "balance": False}),
    ("不用修了 退钱就行", ["refund"], ("repair",), None),
    ("重新做防水，赔偿楼下邻居损失，赔偿延期违约金6100元", ["repair", "compensation"], (), None),
    ("退款 退没上的34节课的钱", ["refund"], (), {"balance": True, "part": "没上的34节课"}),
    ("退1赔3", ["return_refund", "compensation"], (), None),  # no sum asked back
])
def test_demands_said_not_to_be_wanted_are_dropped_and_the_rest_read(
        catalog: Catalog, text: str, demands: list[str], dropped: tuple[str, ...],
        refund: dict[str, Any] | None) -> None:
    parsed = read(catalog, "demands", text, amount=380.0)
    assert parsed.value == demands and parsed.drop == dropped
    assert parsed.also.get("refund_detail") == refund


@pytest.mark.parametrize(("text", "detail"), [
    ("重新做防水，赔偿楼下邻居损失，赔偿延期违约金6100元", "重新做防水"),
    ("维修手机屏幕", "维修手机屏幕"),
    ("给我修好", None),  # says nothing more than the repair
    ("维修或者赔钱", None),
])
def test_what_is_to_be_repaired_is_kept_with_the_demand(
        catalog: Catalog, text: str, detail: str | None) -> None:
    parsed = read(catalog, "demands", text)
    assert "repair" in parsed.value and parsed.also.get("repair_detail") == detail


def test_only_a_demand_not_wanted_is_asked_again(catalog: Catalog) -> None:
    parsed = read(catalog, "demands", "不是维修")
    assert parsed.value is None and parsed.reason == "dropped" and parsed.drop == ("repair",)


@pytest.mark.parametrize(("text", "evidence"), [
    ("会员卡和付款记录", ["contract", "receipt"]),
    ("有付款截图和照片", ["receipt", "photos"]),  # every evidence word counts here
    ("聊天记录 照片 合同都有", ["messages", "photos", "contract"]),
])
def test_evidence_typed_at_the_demand_question_waits_for_its_own(
        catalog: Catalog, text: str, evidence: list[str]) -> None:
    parsed = read(catalog, "demands", text)
    assert parsed.error == "reply.error.answers_elsewhere" and parsed.also == {"evidence": evidence}


@pytest.mark.parametrize(("text", "demands", "aside"), [
    ("退货退款，证据有照片和聊天记录", ["return_refund"], {"evidence": ["photos", "messages"]}),
    ("退款 我有截图", ["refund"], {"evidence": ["photos"]}),
    ("按合同退款", ["refund"], {}),  # a contract named, not said to be at hand
])
def test_evidence_said_with_the_demands_is_kept_for_its_question(
        catalog: Catalog, text: str, demands: list[str], aside: dict[str, Any]) -> None:
    parsed = read(catalog, "demands", text)
    assert parsed.value == demands and parsed.aside == aside


@pytest.mark.parametrize(("text", "value", "reason"), [
    ("三百多", None, "approximate"), ("两三百", None, "approximate"),
    ("交通费200元左右", {"amount": 200.0, "detail": "交通费"}, None),
    ("医药费320元", {"amount": 320.0, "detail": "医药费"}, None),
])
def test_a_rough_compensation_asks_for_a_sum(catalog: Catalog, text: str, value: Any,
                                            reason: str | None) -> None:
    parsed = read(catalog, "compensation", text, amount=1299.0, demands=["compensation"])
    assert parsed.value == value and parsed.reason == reason


@pytest.mark.parametrize(("text", "value"), [
    # dates and a count of days are not sums; an item without a sum yet is kept without one
    ("违约金6100 8月31到10月31 61天 邻居维修费还没出来",
     {"amount": 6100.0, "detail": "", "items": [{"detail": "违约金", "amount": 6100.0},
                                               {"detail": "邻居维修费", "amount": None}]}),
    ("8.31-10.31 违约金6100", {"amount": 6100.0, "detail": "违约金"}),
    ("维修费按实际", {"amount": None, "detail": "", "items": [{"detail": "维修费", "amount": None}]}),
    # a rate per day is the basis of the sum, worked out when the days are exact
    ("违约金 一天100 拖了61天", {"amount": 6100.0, "detail": "违约金", "basis": "每天100元×61天"}),
    ("按合同每天100元付延期违约金 逾期61天",
     {"amount": 6100.0, "detail": "延期违约金", "basis": "每天100元×61天"}),
    ("延期违约金6100元（合同约定每天100元，延期61天），另赔偿楼下邻居家维修费（金额待定）",
     {"amount": 6100.0, "detail": "", "items": [
         {"detail": "延期违约金", "amount": 6100.0, "basis": "每天100元×61天"},
         {"detail": "楼下邻居家维修费", "amount": None}]}),
    ("违约金6100元，另赔偿邻居家维修费",
     {"amount": 6100.0, "detail": "", "items": [{"detail": "违约金", "amount": 6100.0},
                                                 {"detail": "邻居家维修费", "amount": None}]}),
    ("违约金 一天100 拖了61天 邻居维修费待定",
     {"amount": 6100.0, "detail": "", "items": [
         {"detail": "违约金", "amount": 6100.0, "basis": "每天100元×61天"},
         {"detail": "邻居维修费", "amount": None}]}),
    # a loss is claimed besides three times the price: no warning about the measure
    ("住院费8200 还有三倍的那个",
     {"amount": 23140.0, "detail": "", "items": [{"detail": "住院费", "amount": 8200.0},
                                                {"detail": "三倍", "amount": 14940.0}]}),
    ("住院费20000", {"amount": 20000.0, "detail": "住院费"}),
])
def test_a_compensation_is_read_item_by_item_and_only_its_sums_are_sums(
        catalog: Catalog, text: str, value: dict[str, Any]) -> None:
    parsed = read(catalog, "compensation", text, amount=4980.0, demands=["compensation"])
    assert parsed.value == value and parsed.warning is None


@pytest.mark.parametrize("text", ["违约金 一天100 拖了60多天", "违约金每天100元"])
def test_a_rate_per_day_without_exact_days_asks_for_them(catalog: Catalog, text: str) -> None:
    parsed = read(catalog, "compensation", text, amount=4980.0, demands=["compensation"])
    assert parsed.value is None and parsed.reason == "daily_rate"
    assert parsed.params == {"rate": "100", "detail": "违约金"}


@pytest.mark.parametrize(("text", "codes", "refund"), [
    ("退剩余费用2850", ["refund"], {"amount": 2850.0, "balance": True}),
    ("退剩下的钱 差不多3000吧", ["refund"], {"amount": 3000.0, "balance": True}),
    ("把剩下的课时费退给我", ["refund"], {"balance": True}),
    ("退款2000 赔偿500", ["refund", "compensation"], {"amount": 2000.0, "balance": False}),
    ("退款，赔偿500", ["refund", "compensation"], None),  # the 500 is the compensation
    ("退货退款", ["return_refund"], None),
])
def test_how_much_is_asked_back_is_kept_with_the_demand(
        catalog: Catalog, text: str, codes: list[str], refund: dict[str, Any] | None) -> None:
    parsed = read(catalog, "demands", text)
    assert parsed.value == codes and parsed.also.get("refund_detail") == refund


@pytest.mark.parametrize(("text", "address"), [
    ("北京经济技术开发区科创十三街18号院 就是亦庄那边", "北京经济技术开发区科创十三街18号院"),
    ("朝阳区 望京西路48号 就在地铁站旁边", "朝阳区 望京西路48号"),
])
def test_an_address_with_a_vague_aside_is_the_address(catalog: Catalog, text: str,
                                                      address: str) -> None:
    assert read(catalog, "business_address", text).value == address


@pytest.mark.parametrize(("field", "text", "value"), [
    # a pause or "no licence" beside the name: the name, without the aside
    ("business_name", "居安美家装饰 全称我得回家翻合同", "居安美家装饰"),
    ("business_name", "急速手机维修 就个摊 没执照那种", "急速手机维修"),
    ("business_name", "不知道全称 传单上就写康寿源健康", "康寿源健康"),
    # lead-ins and the fragments they leave: 那就写, a measure word, 叫什么
    ("business_name", "那就写小蓝鲸英语吧", "小蓝鲸英语"),
    ("business_name", "不知道 招牌上写个极速", "极速"),
    ("business_name", "不知道 好像叫什么康寿", "康寿"),
    ("business_name", "传单上写的康寿源健康", "康寿源健康"),
    ("complainant_name", "我是她儿子张伟 我妈叫吴桂兰 后面我来弄", "吴桂兰"),
])
def test_asides_lead_ins_and_fragments_are_taken_off_a_name(
        catalog: Catalog, field: str, text: str, value: str) -> None:
    parsed = read(catalog, field, text)
    assert parsed.value == value and not parsed.error


def test_a_name_kept_beside_an_aside_says_it_may_be_changed(catalog: Catalog) -> None:
    parsed = read(catalog, "business_name", "居安美家装饰 全称我得回家翻合同")
    assert parsed.note == "reply.note.kept_shop_name" and parsed.params == {"value": "居安美家装饰"}


def test_the_writer_who_names_the_complainant_is_told_how_to_use_their_own_name(
        catalog: Catalog) -> None:
    parsed = read(catalog, "complainant_name", "我是她儿子张伟 我妈叫吴桂兰 后面我来弄")
    assert parsed.note == "reply.note.other_name"
    assert parsed.params == {"name": "张伟", "answered": "吴桂兰"}


@pytest.mark.parametrize(("field", "text"), [
    ("complainant_address", "等会 我问下我闺女门牌号"),
    ("business_address", "等会 我问下我闺女门牌号"),
    ("complainant_name", "等会 我问一下我妈"),
])
def test_a_pause_is_never_stored(catalog: Catalog, field: str, text: str) -> None:
    parsed = read(catalog, field, text)
    assert parsed.value is None and parsed.reason == "pause"


@pytest.mark.parametrize(("text", "value"), [
    ("地址合同上也有 海淀区中关村大街xx号 具体我得翻一下 先这样吧", "海淀区中关村大街"),
    ("朝阳区建国路XX号", "朝阳区建国路"),
    ("丰台那个数码城", "丰台那个数码城"),
    ("世界公园对过那个数码城 二楼 号记不住了", "世界公园对过那个数码城 二楼"),
    ("就在我们小区活动室 白纸坊那个", "我们小区活动室 白纸坊"),  # the place word is kept
])
def test_an_address_without_its_number_is_kept_and_said_to_want_it(
        catalog: Catalog, text: str, value: str) -> None:
    parsed = read(catalog, "business_address", text)
    assert parsed.value == value and parsed.note == "reply.note.address_number_missing"


def test_an_address_with_its_number_needs_no_note(catalog: Catalog) -> None:
    parsed = read(catalog, "business_address", "北京市朝阳区三里屯路19号")
    assert parsed.value == "北京市朝阳区三里屯路19号" and parsed.note is None


def test_the_name_said_at_the_address_question_corrects_the_name(catalog: Catalog) -> None:
    parsed = read(catalog, "business_address", "不是 名字是急速手机维修",
                  business_name="世界公园对过那个数码城")
    assert parsed.value is None and parsed.reason == "correction"
    assert parsed.also == {"business_name": "急速手机维修"}


@pytest.mark.parametrize("text", ["无", "没有", "不知道 没去过他们店", "没去过"])
def test_no_shop_said_in_a_word_leaves_the_store_out(catalog: Catalog, text: str) -> None:
    parsed = read(catalog, "store_name", text, channel="store")
    assert parsed.skip and parsed.reason == "no_shop" and parsed.value is None


def test_an_option_of_another_menu_is_not_a_shop(catalog: Catalog) -> None:
    parsed = read(catalog, "store_name", "2 为他人投诉", channel="store")
    assert parsed.value is None and parsed.reason == "number"


def test_a_name_a_phone_and_an_address_in_one_message(catalog: Catalog) -> None:
    parsed = read(catalog, "complainant_name", "周建国 139 1234 5678 朝阳区劲松八区805楼3门202")
    assert parsed.value == "周建国"
    assert parsed.also == {"complainant_phone": "13912345678",
                           "complainant_address": "朝阳区劲松八区805楼3门202"}


@pytest.mark.parametrize(("text", "codes", "items"), [
    ("有个收据", ["receipt"], None),  # 个 is no part of the piece
    ("有一份检测报告", ["other"], ["检测报告"]),
    ("有合同和收据，支付宝也能查到转账，群里的聊天记录我截图了", ["contract", "receipt", "messages"],
     ["合同", "收据", "支付宝转账记录", "群里的聊天记录截图"]),  # a chat's screenshot: no photo
    ("合同 转账记录 漏水的照片视频 跟项目经理的微信聊天记录 物业出的漏水证明",
     ["contract", "receipt", "photos", "messages", "other"],
     ["合同", "转账记录", "漏水的照片视频", "项目经理的微信聊天记录", "物业出的漏水证明"]),
])
def test_evidence_named_as_people_say_it(catalog: Catalog, text: str, codes: list[str],
                                         items: list[str] | None) -> None:
    parsed = read(catalog, "evidence", text)
    assert parsed.value == codes and parsed.also.get("evidence_items") == items


def test_which_option_a_piece_of_evidence_is_is_answered_and_ticked(catalog: Catalog) -> None:
    parsed = read(catalog, "evidence", "传单算哪个")
    assert parsed.value == ["other"] and parsed.note == "reply.note.evidence_counts_as"
    assert parsed.also == {"evidence_items": ["传单"]}


@pytest.mark.parametrize(("text", "phone"), [
    ("一三六八八八八九九九九", "13688889999"),
    ("留我的 一三六 八八八八 九九九九", "13688889999"),
    ("幺三九一二三四五六七八", "13912345678"),
])
def test_a_phone_in_chinese_digits_is_read_back(catalog: Catalog, text: str, phone: str) -> None:
    parsed = read(catalog, "complainant_phone", text)
    assert parsed.value == phone and parsed.note == "reply.note.phone_spoken"


@pytest.mark.parametrize(("text", "value"), [
    ("不知道 好像叫什么康寿", "康寿"),
    ("好像叫老王烟酒", "老王烟酒"),
])
def test_a_name_the_user_is_unsure_of_is_kept_with_a_note(catalog: Catalog, text: str,
                                                          value: str) -> None:
    parsed = read(catalog, "business_name", text)
    assert parsed.value == value and parsed.note == "reply.note.kept_shop_name"


def test_an_address_aside_that_does_not_know_is_taken_off(catalog: Catalog) -> None:
    parsed = read(catalog, "business_address", "我们小区活动室 西城白纸坊的 他们公司在哪不知道")
    assert parsed.value == "我们小区活动室 西城白纸坊"


# ---- round 5: questions, hurry and second thoughts kept out of names and addresses ----------


@pytest.mark.parametrize(("field", "text", "value", "note"), [
    ("business_name", "全称不知道啊 店叫暖冬旗舰店 这上哪查去", "暖冬旗舰店",
     "reply.note.kept_shop_name_online"),  # the question goes, and is answered
    ("business_name", "悦颜美容 卡上好像有个公司名", "悦颜美容", "reply.note.kept_shop_name"),
    ("business_name", "全称不知道啊 门头上写的悦颜美容 卡上好像有个公司名 我回去翻翻", "悦颜美容",
     "reply.note.kept_shop_name"),
])
def test_a_question_or_remark_beside_the_shop_name_is_left_out(
        catalog: Catalog, field: str, text: str, value: str, note: str) -> None:
    parsed = read(catalog, field, text)
    assert parsed.value == value and parsed.note == note


@pytest.mark.parametrize(("field", "text", "reason"), [
    ("business_name", "快点", "impatient"),
    ("business_name", "快点吧！", "impatient"),
    ("business_name", "7天包退15天包换不是吗？他们凭啥只给修", "complaint"),
    ("business_address", "地址也不知道 网上买的哪知道它在哪", "no_address_online"),
    ("business_address", "等下 商家名字我刚才打错了", "correction"),
    ("narrative", "你到底要问几个啊 我就想退钱", "impatient"),
])
def test_hurry_questions_and_second_thoughts_are_not_stored(catalog: Catalog, field: str,
                                                            text: str, reason: str) -> None:
    parsed = read(catalog, field, text)
    assert parsed.error and parsed.value is None and parsed.reason == reason


def test_hurry_says_how_many_questions_are_left_and_keeps_the_wish(catalog: Catalog) -> None:
    parsed = read(catalog, "narrative", "你到底要问几个啊 我就想退钱")
    assert parsed.error == "reply.error.impatient" and parsed.params["left"] > 1
    assert parsed.also == {"demands": ["refund"]}


def test_the_place_words_of_an_unsure_address_are_kept(catalog: Catalog) -> None:
    parsed = read(catalog, "business_address",
                  "金融街那边 好像是丰盛胡同还是哪 记不清 在一个写字楼二层")
    assert parsed.value == "金融街 丰盛胡同 写字楼二层"


@pytest.mark.parametrize(("text", "value", "aside"), [
    ("冰箱是双开门的 商品名写海尔双开门冰箱", "海尔双开门冰箱", {}),
    ("麻辣香锅 68块", "麻辣香锅", {"amount": 68}),
    ("iPhone 15", "iPhone 15", {}),  # a model number is no price
])
def test_the_product_without_its_lead_in_or_price(catalog: Catalog, text: str, value: str,
                                                  aside: dict[str, Any]) -> None:
    parsed = read(catalog, "product", text)
    assert parsed.value == value and parsed.aside == aside


@pytest.mark.parametrize(("text", "value"), [
    ("是 黑色长款的 女式", "黑色长款女式羽绒服"),
    ("对 女式的", "女式羽绒服"),
    ("是 羽绒服 黑色的", "羽绒服 黑色的"),
])
def test_yes_with_details_keeps_the_suggested_product(catalog: Catalog, text: str,
                                                      value: str) -> None:
    draft = Draft(number=1, created_at=NOW, updated_at=NOW, answers={"kind": "complaint"},
                  suggestions={"product": "羽绒服"})
    assert FIELDS["product"].parse(text, Context(catalog, NOW), draft).value == value


def test_how_it_was_paid_is_not_where_it_was_bought(catalog: Catalog) -> None:
    assert read(catalog, "channel", "实体店 双十一那天去店里买的 用的京东白条分期").value == "store"


def test_the_first_theme_is_the_answer_and_the_aside_after_but_is_not(catalog: Catalog) -> None:
    parsed = read(catalog, "theme", "质量问题吧 不过他们售后也不行")
    assert parsed.value == "quality" and parsed.note == "reply.note.theme_main"


@pytest.mark.parametrize(("text", "codes", "items"), [
    ("检测报告 订单截图 还有闺女今天录了一段他们直播", ["other", "receipt", "photos"],
     ["检测报告", "订单截图", "直播录屏"]),
    ("有发票 两次的维修单 还有白条的账单 坏菜拍了照片", ["receipt", "other", "photos"],
     ["发票", "两次维修单", "白条的账单", "坏菜照片"]),
    ("闺女录的直播视频", ["photos"], ["直播录屏"]),
    ("录了现场视频", ["photos"], ["现场视频"]),
    ("监控录像", ["photos"], ["监控录像"]),
    ("我拍了照片", ["photos"], None),  # no more than its category
])
def test_recordings_repair_slips_and_photos_taken_are_evidence_named(
        catalog: Catalog, text: str, codes: list[str], items: list[str] | None) -> None:
    parsed = read(catalog, "evidence", text)
    assert parsed.value == codes and parsed.also.get("evidence_items") == items


def test_the_one_shop_at_a_place_is_named_after_the_business(catalog: Catalog) -> None:
    parsed = read(catalog, "store_name", "不是说了吗 就是金融街那家 他们就一家店",
                  channel="store", business_name="悦颜美容")
    assert parsed.value == "悦颜美容金融街店" and parsed.note == "reply.note.store_from_place"
    assert read(catalog, "store_name", "就是楼下那家超市", channel="store",
                business_name="悦颜美容").value == "楼下那家超市"


def test_a_question_about_the_case_at_the_name_is_not_told_where_names_are(
        catalog: Catalog) -> None:
    parsed = read(catalog, "business_name", "7天包退15天包换不是吗？他们凭啥只给修")
    assert parsed.error == "reply.error.business_name_aside" and parsed.value is None
    assert read(catalog, "business_name", "全称？我怎么知道").error == (
        "reply.error.business_name_unknown")
