"""Names, places and pauses as people type them, carried out by the interview: a shop's name
holding a trade word is a name, "等会 我问问" waits for the answer, a protest and chatter are
not stored, a service at home has no shop to name."""

from __future__ import annotations

from conftest import Chat
from test_draft_rules import SHOES


def test_a_shops_name_with_a_trade_word_is_the_name_not_a_demand(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("牌子上写极速手机维修")
    assert chat.draft.answers["business_name"] == "极速手机维修"
    assert "demands" not in chat.draft.suggestions, "维修 is not offered as a demand"
    chat.fill(SHOES, until="store_name")
    chat.say("急速手机维修部")
    assert chat.draft.answers["store_name"] == "急速手机维修部"


def test_a_demand_typed_early_is_still_kept_for_its_question(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("要求维修")
    assert "business_name" not in chat.draft.answers
    assert chat.draft.suggestions.get("demands") == ["repair"]


def test_a_protest_is_not_stored_as_the_name(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("这是店名啊，不是诉求")
    assert chat.field == "business_name" and "business_name" not in chat.draft.answers
    assert chat.t("reply.error.protest_name") in chat.text


def test_a_pause_puts_a_question_that_may_wait_off(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_address")
    chat.say("等会 我先问下我爸数码城叫啥")
    assert "business_address" not in chat.draft.answers
    assert chat.draft.later == ["business_address"] and chat.field != "business_address"
    assert "问到了再告诉我" in chat.text


def test_a_pause_at_the_last_question_asks_again_kindly(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_address")
    chat.say("等会 我先问下我爸数码城叫啥")
    assert "complainant_address" not in chat.draft.answers and not chat.draft.finished
    assert chat.field == "complainant_address"
    assert chat.t("reply.error.pause", how="") in chat.text


def test_an_address_is_kept_without_the_pause_beside_it(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_address")
    chat.say("丰台区 世界公园那边的那个数码城 具体地址我问问我爸")
    assert chat.draft.answers["business_address"] == "丰台区 世界公园那边的那个数码城"
    # kept, and said to still want the stall's number (which may be added later)
    assert chat.t("reply.note.address_number_missing",
                  value="丰台区 世界公园那边的那个数码城") in chat.text


def test_a_service_at_home_has_no_shop_to_name(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "business_name": "北京居安美家装饰工程有限公司"}, until="store_name")
    chat.say("没门店 他们公司来我家装")
    assert "store_name" not in chat.draft.answers and "store_name" in chat.draft.skipped
    assert chat.field != "store_name"
    chat.fill(SHOES)
    assert chat.draft.finished
    text = chat.sheet.section("text").body
    assert "没门店" not in text and "北京居安美家装饰工程有限公司" in text, text


def test_a_demand_said_not_to_be_wanted_is_taken_off_and_the_rest_is_read(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "amount": "380"}, until="business_name")
    chat.say("要求维修")  # kept for the demand question, where it is offered
    chat.fill({**SHOES, "amount": "380"}, until="demands")
    assert chat.draft.suggestions.get("demands") == ["repair"]
    chat.say("不是维修！退380，再加三倍赔偿")
    assert chat.draft.answers["demands"] == ["refund", "compensation"]
    assert chat.draft.answers["refund_detail"]["amount"] == 380.0
    chat.fill({**SHOES, "amount": "380", "compensation": "对"})
    assert chat.draft.finished
    text = chat.sheet.section("text").body
    assert "维修" not in text and "退款380元" in text, text


def test_no_to_the_only_demand_offered_asks_what_is_wanted(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("要求维修")
    chat.fill(SHOES, until="demands")
    chat.say("不是维修")
    assert chat.field == "demands" and "demands" not in chat.draft.answers
    assert "demands" not in chat.draft.suggestions
    assert chat.t("reply.error.demands_dropped", dropped="维修") in chat.text


def test_a_name_and_a_phone_in_one_message_are_both_kept(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_name")
    chat.say("刘佳 电话13800001111")
    assert chat.draft.answers["complainant_name"] == "刘佳"
    assert chat.field == "complainant_phone"
    assert "13800001111" in chat.text, "the phone is offered, one tap away"
    chat.say("刚说了啊 13800001111")
    assert chat.draft.answers["complainant_phone"] == "13800001111"
    assert chat.draft.answers["complainant_name"] == "刘佳"


def test_a_phone_typed_as_the_name_is_kept_for_the_phone_question(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_name")
    chat.say("13800001111")
    assert "complainant_name" not in chat.draft.answers and chat.field == "complainant_name"
    chat.say("刘佳")
    chat.press_suggestion()
    assert chat.draft.answers["complainant_phone"] == "13800001111"


def test_the_writers_own_name_said_with_the_phone_is_not_lost(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_phone")
    chat.say("留我的吧 我叫张伟 13522223333")
    assert chat.draft.answers["complainant_phone"] == "13522223333"
    assert "张伟" in chat.text and "张三" in chat.text, "told the name on the form differs"


def test_the_principal_with_the_writers_self_introduction(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "for_whom": "为他人投诉"}, until="principal_name")
    chat.say("马建国 我是他女儿马丽")
    assert chat.draft.answers["principal_name"] == "马建国"
    chat.fill({**SHOES, "principal_relation": "父亲"}, until="complainant_name")
    assert "马丽" in chat.text, "the writer's own name is offered at their name"
    chat.press_suggestion()
    assert chat.draft.answers["complainant_name"] == "马丽"


def test_a_parent_who_paid_for_a_childs_course_files_for_themselves(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="for_whom")
    chat.say("孩子算本人吗")
    assert chat.field == "for_whom" and chat.t("reply.error.for_whom_child") in chat.text
    chat.say("我自己吧 是给我孩子报的课")
    assert chat.draft.answers["for_whom"] == "self"


def test_chatter_at_the_product_question_goes_to_the_account(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="product")
    chat.say("我闺女才六岁 老师其实挺好的 就是机构跑了")
    assert "product" not in chat.draft.answers and chat.field == "product"
    assert "机构跑了" in chat.draft.answers["narrative"]


def test_a_service_done_at_home_is_bought_in_person(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="channel")
    chat.say("都不是 上门装修")
    assert chat.draft.answers["channel"] == "store"
    assert chat.t("reply.note.in_person") in chat.text


def test_an_account_that_says_wait_is_no_pause(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="narrative")
    chat.say("鞋子开胶了 店员说等一下给我换 结果一直没换")
    assert chat.draft.answers["narrative"].startswith("鞋子开胶了")


def test_a_name_kept_beside_a_pause_is_stored_without_it(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("居安美家装饰 全称我得回家翻合同")
    assert chat.draft.answers["business_name"] == "居安美家装饰"
    assert chat.t("reply.note.kept_shop_name", value="居安美家装饰") in chat.text
    assert chat.t("note.shop_name") not in chat.text  # the same point, not made twice


def test_the_name_corrected_at_the_address_question(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "business_name": "世界公园对过那个数码城"}, until="business_address")
    chat.say("不是 名字是急速手机维修")
    assert chat.draft.answers["business_name"] == "急速手机维修"
    assert chat.field == "business_address" and "business_address" not in chat.draft.answers
    assert "demands" not in chat.draft.suggestions, "维修 in a name is no demand"


def test_a_pause_at_the_complainants_address_is_never_stored(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_address")
    chat.say("等会 我问下我闺女门牌号")
    assert "complainant_address" not in chat.draft.answers and not chat.draft.finished
    assert chat.field == "complainant_address"


def test_no_said_at_the_store_question_leaves_it_out(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="store_name")
    chat.say("无")
    assert "store_name" not in chat.draft.answers and "store_name" in chat.draft.skipped
    assert chat.field != "store_name"


def test_a_name_phone_and_address_in_one_message_are_each_kept(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_name")
    chat.say("周建国 139 1234 5678 朝阳区劲松八区805楼3门202")
    assert chat.draft.answers["complainant_name"] == "周建国"
    assert chat.field == "complainant_phone" and "13912345678" in chat.text
    chat.press_suggestion()
    assert chat.draft.answers["complainant_phone"] == "13912345678"
    assert chat.field == "complainant_address" and "朝阳区劲松八区805楼3门202" in chat.text
    chat.press_suggestion()
    assert chat.draft.answers["complainant_address"] == "朝阳区劲松八区805楼3门202"


def test_which_option_a_piece_of_evidence_is_is_answered(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="evidence")
    chat.say("传单算哪个")
    assert chat.draft.answers["evidence"] == ["other"]
    assert chat.draft.answers.get("evidence_items") == ["传单"]
    assert "“传单”算「其他证明材料」" in chat.text


def test_a_phone_in_chinese_digits_is_kept_and_read_back(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_phone")
    chat.say("留我的 一三六八八八八九九九九")
    assert chat.draft.answers["complainant_phone"] == "13688889999"
    assert "13688889999" in chat.text


def test_a_vague_address_said_not_to_be_known_may_be_put_off(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_address")
    chat.say("海淀黄庄那边 具体门牌号不记得了")
    assert "business_address" not in chat.draft.answers
    assert chat.t("reply.note.can_put_off") in chat.text


def test_said_before_takes_what_was_said_with_the_name(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_name")
    chat.say("周建国 139 1234 5678 朝阳区劲松八区805楼3门202")
    chat.say("上面说了啊")
    assert chat.draft.answers["complainant_phone"] == "13912345678"
    chat.say("上面说了啊")
    assert chat.draft.answers["complainant_address"] == "朝阳区劲松八区805楼3门202"
