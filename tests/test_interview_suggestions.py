"""What one answer or the account already says is offered once, as the one-tap answer: the
district named in the business's address, the channel read from the account, a price written
in Chinese numerals."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Chat

from flows.understanding import analyze

ACCOUNT = "上个月在店里买了双运动鞋，穿了两天就开胶了，店员不给退"
UP_TO_THE_ADDRESS = {"kind": "投诉", "for_whom": "为本人投诉", "narrative": ACCOUNT,
                     "business_name": "北京某某体育用品有限公司"}


def at_district(make_chat: Callable[..., Chat], address: str) -> Chat:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({**UP_TO_THE_ADDRESS, "business_address": address, "credit_code": "跳过"})
    assert chat.field == "district", chat.text
    return chat


def plain_options(chat: Chat) -> list[str]:
    return [label for label in chat.option_labels() if "「" not in label]


def test_a_district_named_in_the_address_is_offered_ticked_and_once(make_chat) -> None:
    chat = at_district(make_chat, "北京市朝阳区三里屯路19号")
    assert chat.option_labels()[0] == chat.t("option.use_suggested", value="北京市朝阳区")
    assert "朝阳区" not in plain_options(chat)
    assert {"海淀区", "东城区"} <= set(plain_options(chat))
    chat.say("对")
    assert chat.draft.answers["district"] == "北京市朝阳区"
    assert chat.field == "channel"


def test_a_district_known_only_by_a_landmark_is_offered_unticked(make_chat) -> None:
    chat = at_district(make_chat, "三里屯路19号太古里南区")
    assert chat.option_labels()[0] == chat.t("option.maybe_suggested", value="北京市朝阳区")
    assert chat.t("question.from_answer.business_address.district.maybe",
                  value="北京市朝阳区") in chat.text
    chat.press_suggestion()
    assert chat.draft.answers["district"] == "北京市朝阳区"


@pytest.mark.parametrize("address", ["某某路19号某某大厦3层",
                                     "朝阳区某某路1号，分店在海淀区某某路2号"])
def test_an_address_naming_no_single_beijing_district_leaves_the_question_open(
        make_chat, address: str) -> None:
    chat = at_district(make_chat, address)
    assert not any("「" in label for label in chat.option_labels()), chat.option_labels()
    assert "朝阳区" in chat.option_labels()
    chat.say("海淀")
    assert chat.draft.answers["district"] == "北京市海淀区"


def test_a_district_from_the_address_says_it_came_from_the_address(make_chat) -> None:
    chat = at_district(make_chat, "北京市朝阳区三里屯路19号")
    assert chat.t("question.from_answer.business_address.district.sure",
                  value="北京市朝阳区") in chat.text
    assert chat.t("question.suggested", value="北京市朝阳区") not in chat.text


def test_a_district_from_the_account_still_quotes_the_account(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({**UP_TO_THE_ADDRESS, "narrative": "上个月在朝阳的一家店买了双运动鞋，穿了两天就开胶了，店员不给退",
               "business_address": "某某路19号某某大厦3层", "credit_code": "跳过"},
              until="district")
    assert chat.field == "district", chat.text
    assert chat.t("question.suggested", value="北京市朝阳区") in chat.text


@pytest.mark.parametrize(("address", "offer", "district"), [
    ("北京市东城区朝阳门内大街5号", "option.use_suggested", "北京市东城区"),
    ("朝阳门内大街5号", "option.maybe_suggested", "北京市东城区"),
    ("朝阳门外大街6号", "option.maybe_suggested", "北京市朝阳区"),
    ("朝阳门南小街1号", "option.maybe_suggested", "北京市东城区"),
    ("东城区大兴胡同12号", "option.use_suggested", "北京市东城区"),
])
def test_a_street_named_after_a_district_offers_the_district_it_lies_in(
        make_chat, address: str, offer: str, district: str) -> None:
    chat = at_district(make_chat, address)
    assert chat.option_labels()[0] == chat.t(offer, value=district), chat.option_labels()
    chat.press_suggestion()
    assert chat.draft.answers["district"] == district


@pytest.mark.parametrize("address", ["朝阳门北大街8号", "朝阳门8号院", "某某路1号大兴安岭特产店"])
def test_a_name_that_does_not_tell_its_district_offers_none(make_chat, address: str) -> None:
    chat = at_district(make_chat, address)
    assert not any("「" in label for label in chat.option_labels()), chat.option_labels()


@pytest.mark.parametrize(("typed", "district"), [("朝阳门内", "北京市东城区"),
                                                 ("在朝阳门外那边", "北京市朝阳区"),
                                                 ("朝阳门店", "北京市朝阳区")])
def test_a_district_typed_as_a_street_or_shop_name_is_read_as_where_it_lies(
        make_chat, typed: str, district: str) -> None:
    chat = at_district(make_chat, "某某路19号某某大厦3层")
    chat.say(typed)
    assert chat.draft.answers["district"] == district


def test_the_gate_alone_is_not_taken_for_a_district(make_chat) -> None:
    chat = at_district(make_chat, "某某路19号某某大厦3层")
    chat.say("朝阳门")
    assert chat.field == "district", chat.text
    assert "district" not in chat.draft.answers


def test_a_channel_read_from_the_account_is_offered_once_then_the_other(make_chat) -> None:
    chat = at_district(make_chat, "北京市朝阳区三里屯路19号")
    chat.say("对")
    assert chat.field == "channel"
    store = chat.t("channel.store")
    assert chat.option_labels() == [chat.t("option.use_suggested", value=store),
                                    chat.t("channel.online")]
    chat.press_suggestion()
    assert chat.draft.answers["channel"] == "store"


@pytest.mark.parametrize(("account", "amount"), [
    ("10月1号在某某体育用品店买的运动鞋二百九十九，穿了两天就开胶了，店员不给退", 299.0),
    ("上个月在商场买了件羽绒服，三百五，洗了一次就跑绒了", 350.0),
])
def test_a_price_in_chinese_numerals_in_the_account_is_offered(
        make_chat, account: str, amount: float) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({**UP_TO_THE_ADDRESS, "narrative": account,
               "business_address": "北京市朝阳区三里屯路19号", "credit_code": "跳过",
               "district": "对", "channel": "对", "store_name": "某某体育", "product": "对",
               "purchase_date": "10月1日"}, until="amount")
    assert chat.field == "amount", chat.text
    chat.press_suggestion()
    assert chat.draft.answers["amount"] == amount


def test_a_story_typed_later_keeps_the_district_the_address_named(make_chat) -> None:
    chat = at_district(make_chat, "北京市朝阳区三里屯路19号")
    chat.say("我是上个月买的，鞋穿了两天就开胶了，去店里找店员，店员说不给退，只能自己拿去修")
    assert chat.field == "district", chat.text
    assert chat.option_labels()[0] == chat.t("option.use_suggested", value="北京市朝阳区")
    assert chat.t("question.from_answer.business_address.district.sure",
                  value="北京市朝阳区") in chat.text


def test_an_address_in_another_city_offers_that_city_not_a_beijing_district(make_chat) -> None:
    chat = at_district(make_chat, "吉林省长春市朝阳区某某路1号")
    assert chat.option_labels()[0] == chat.t("option.maybe_suggested", value="吉林省长春市")
    assert "district" not in chat.draft.sure


def test_the_thing_bought_is_not_given_as_the_reason_for_a_theme(make_chat) -> None:
    """"价格收费（依据：手机）" named the product, not why the price is in dispute."""
    from flows.understanding import analyze

    chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "为本人投诉", "narrative": "修手机被坑了 换的屏不是原装的",
               "business_name": "跳过", "business_address": "跳过", "credit_code": "跳过",
               "district": "丰台区", "channel": "在实体店买的", "store_name": "极速维修店",
               "product": "手机", "purchase_date": "2026年11月18日", "amount": "380",
               "problem": "换的屏不是原装的"}, until="theme")
    assert chat.field == "theme"
    assert "依据：手机" not in chat.text and chat.t("theme.price") in chat.text


def at_amount(make_chat: Callable[..., Chat], account: str) -> Chat:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({**UP_TO_THE_ADDRESS, "narrative": account,
               "business_address": "北京市朝阳区三里屯路19号", "credit_code": "跳过",
               "district": "对", "channel": "实体店", "store_name": "某某英语", "product": "英语课",
               "purchase_date": "10月1日"}, until="amount")
    assert chat.field == "amount", chat.text
    return chat


@pytest.mark.parametrize("account", [
    "10月1日给孩子报了英语课，先付9800，后来加课又付了3000，现在机构关门了",
    "10月1日报的英语班，交了九千八 后来又续了三千，现在人找不到了",
])
def test_payments_the_account_names_one_after_another_are_offered_as_their_total(
        make_chat, account: str) -> None:
    chat = at_amount(make_chat, account)
    total = chat.t("reply.format.total_of_parts", count="两", total="12800元",
                   parts="9800元＋3000元")
    assert total in chat.text, chat.text  # said to be a total, never the first payment alone
    chat.press_suggestion()
    assert chat.draft.answers["amount"] == 12800.0


def test_a_total_the_account_names_is_offered_rather_than_its_parts(make_chat) -> None:
    chat = at_amount(make_chat, "10月1日报的英语班，先付9800，后来加课又付了3000，总共12800，现在关门了")
    assert chat.t("question.suggested", value="12800元") in chat.text, chat.text
    chat.press_suggestion()
    assert chat.draft.answers["amount"] == 12800.0


def test_a_sum_far_from_the_accounts_waits_for_a_confirmation(make_chat) -> None:
    chat = at_amount(make_chat, "10月1日在数码城换手机屏，380现金，说是原装的结果是翻新屏")
    assert chat.t("question.maybe", value="380元") in chat.text  # "380现金" is a sum
    chat.say("3800")
    assert chat.t("warn.amount_far_said", value="3800元", account="380元",
                  where="10月1日在数码城换手机屏，380现金") in chat.text, chat.text
    assert "amount" not in chat.draft.answers
    chat.say("380")
    assert chat.draft.answers["amount"] == 380.0


def test_more_money_the_business_asks_for_is_not_added_to_what_was_paid(make_chat) -> None:
    """"花了380 … 还要再交200才给修" was offered as 两笔合计 580元: the 200 was never paid."""
    chat = at_amount(make_chat, "10月1日去修手机屏 花了380 结果没修好 还要再交200才给修")
    assert chat.t("question.suggested", value="380元") in chat.text, chat.text
    assert "580" not in chat.text


def test_a_medical_cost_is_never_offered_as_the_price_and_a_price_per_box_is_multiplied(
        make_chat) -> None:
    """"一合一千六百六 … 住院了 花了八千二" offered 8200 as sure: it is a loss, and 3 boxes cost 4980."""
    chat = at_amount(make_chat, "10月1日买了三合保健品 一合一千六百六 吃了以后拉肚子 住院了 花了八千二")
    assert "8200" not in chat.text, chat.text
    shown = chat.t("reply.format.unit_times", total="4980元", count=3, unit="1660元")
    assert shown in chat.text, chat.text
    chat.press_suggestion()
    assert chat.draft.answers["amount"] == 4980.0
