"""What the readers signal, carried out by the interview: an account typed at any question is
kept and read, "which place is the business's?" is asked, a reporter who bought nothing skips
the buying questions, 不知道 gets a way forward, 退一赔三 brings its compensation."""

from __future__ import annotations

import pytest
from conftest import Chat
from test_draft_rules import REPORT, SHOES

from flows.understanding import analyze


def test_a_story_typed_at_the_first_question_is_kept_as_the_account(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    story = "我上周三在朝阳大悦城的耐克店买了双鞋花了899元 穿了两天就开胶了 店员不给退"
    chat.say("投诉")
    chat.say(story)  # typed at "for yourself or someone else?"
    assert chat.draft.answers["narrative"] == story, "the story is kept, not thrown away"
    assert chat.t("reply.note.story_kept")[:8] in chat.text
    assert chat.field == "for_whom", "then the open question again"
    chat.say("本人")
    assert chat.field != "narrative", "the account is not asked for again"
    assert chat.draft.suggestions.get("amount") == 899.0


def test_home_or_business_district_is_asked_not_guessed(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="district")
    chat.say("我住海淀")
    assert chat.field == "district" and "district" not in chat.draft.answers
    labels = chat.option_labels()
    assert "北京市海淀区" in labels, labels
    chat.press("北京市海淀区")
    assert chat.draft.answers["district"] == "北京市海淀区"


def test_a_reporter_who_bought_nothing_skips_the_buying_questions(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT, until="channel")
    chat.say("我没买 只是路过看到的")
    assert chat.field not in ("channel", "store_name", "report_amount")
    for name in ("channel", "store_name", "report_amount"):
        assert name in chat.draft.skipped and name not in chat.draft.answers
    asked = chat.fill({**REPORT, "complainant_name": "不想留名"})
    assert {"product", "purchase_date"} <= set(asked), "what and when still matter to a report"
    assert chat.draft.finished
    text = chat.sheet.section("text").body
    assert text.startswith("我于2026年11月27日发现"), text
    checklist = chat.section("check")
    assert "✗" not in checklist and chat.t("draft.check_ready") in checklist, (
        "what a reporter may leave out is not missing")


def test_a_reporter_who_says_so_at_the_product_question_is_not_asked_it_again(
        chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT, until="channel")
    chat.say("在实体店买的")
    chat.fill(REPORT, until="product")
    chat.say("没买东西 就是看到的")
    assert chat.field != "product" and "product" in chat.draft.skipped
    chat.fill({**REPORT, "complainant_name": "不想留名"})
    text = chat.sheet.section("text").body
    assert "涉及商品或服务" not in text, "no product to state: no 涉及：。"


def test_dont_know_the_full_name_says_where_to_find_it(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("不知道")
    assert chat.t("skip.required", field=chat.t("field.business_name.label")) not in chat.text
    assert "资质" in chat.replies[0].text and "店铺名" in chat.replies[0].text, "where to look"
    assert chat.field == "business_name" and "business_name" not in chat.draft.answers
    chat.say("耐克三里屯店")
    assert chat.draft.answers["business_name"] == "耐克三里屯店"


def test_return_one_pay_three_brings_its_compensation(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "theme": "虚假宣传"}, until="demands")
    chat.say("退一赔三")
    assert chat.draft.answers["demands"] == ["return_refund", "compensation"]
    assert chat.field == "compensation"
    assert "3897" in chat.text, "three times the 1299 paid is offered"
    assert chat.t("question.from_answer.sure", source=chat.t("field.demands.label"),
                  value=chat.t("format.compensation", detail="退一赔三", amount="3897")
                  ) in chat.text, "the offer names the answer it comes from"
    chat.say("对")
    assert chat.draft.answers["compensation"] == {"amount": 3897, "detail": "退一赔三"}, (
        "confirmed, the sum stays three times the price (it was read as the 一 of 退一赔三)")
    chat.say("修改")
    chat.press(chat.t("field.compensation.label"))
    chat.say("退一赔三 3897元")
    assert chat.draft.answers["compensation"] == {"amount": 3897, "detail": "退一赔三"}


def test_a_quoted_suggestion_never_ends_in_two_full_stops(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "本人"})
    chat.say("上周三在西单买了双运动鞋，花了899元。穿了两天鞋底就开胶了。店员说不给退。")
    chat.fill(SHOES, until="problem")
    assert chat.field == "problem" and "。。" not in chat.text


def test_a_bare_yes_with_nothing_to_agree_to_asks_for_the_answer(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="product")
    assert "product" not in chat.draft.suggestions
    chat.say("对的")
    assert chat.field == "product" and "product" not in chat.draft.answers, "not kept as a name"
    assert chat.t("reply.error.assent", how="")[:10] in chat.text
    assert chat.t("error.too_short", min=2) not in chat.text
    chat.say("某某牌运动鞋")
    assert chat.draft.answers["product"] == "某某牌运动鞋"


def test_not_remembering_the_shops_name_is_not_taken_as_its_name(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "channel": "在实体店买的"}, until="store_name")
    chat.say("不记得店名了")
    assert "store_name" not in chat.draft.answers, "not kept as the shop's name"
    assert chat.t("field.store_name.hint") in chat.text, "where to find it, and the question again"
    chat.say("某某品牌大悦城店")
    assert chat.draft.answers["store_name"] == "某某品牌大悦城店"


def test_a_reply_for_a_question_already_answered_is_only_refused(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "evidence": "付款截图"}, until="complainant_name")
    chat.say("/edit")
    chat.press("商品")
    chat.say("有订单截图还有聊天记录")
    assert chat.field == "product" and chat.draft.answers["product"] == "运动鞋"
    assert chat.t("reply.note.kept_for_later", labels="证据") not in chat.text
    assert chat.draft.answers["evidence"] == ["receipt"], "the answer given stays"


def test_a_platform_given_as_the_business_is_kept_only_on_purpose(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("拼多多")
    assert "business_name" not in chat.draft.answers, "held until the user decides"
    assert "购物平台" in chat.text
    chat.press(chat.t("option.change"))
    assert chat.field == "business_name"
    chat.say("拼多多")
    chat.say(chat.t("option.change"))  # the button's words, typed: as good as pressing it
    assert chat.field == "business_name" and "business_name" not in chat.draft.answers
    chat.say("拼多多")
    chat.say("不")
    assert "business_name" not in chat.draft.answers, "a no asks again"
    chat.say("拼多多")
    chat.press(chat.t("option.keep"))
    assert chat.draft.answers["business_name"] == "拼多多", "a platform's own shop may stay"
    assert chat.t("note.shop_name") not in chat.text, "no second note on a name kept on purpose"
    chat.fill({**SHOES, "channel": "网上买的"}, until="platform")
    assert chat.field == "platform" and "拼多多" in chat.text, "the platform question offers it"
    chat.say("对")
    assert chat.draft.answers["platform"] == "pinduoduo"


@pytest.mark.parametrize(("asked", "typed", "label", "kept_for", "offered", "value", "written"), [
    # the 或者 typed with it stays: either demand is accepted
    ("business_address", "换个新的或者退钱都行", "诉求", "demands", "换货、退款", ["exchange", "refund"],
     "现要求商家换货或退款"),
    ("business_name", "朝阳区望京西路48号", "被投诉方地址", "business_address", "朝阳区望京西路48号",
     "朝阳区望京西路48号", None),
])
def test_an_answer_typed_at_the_wrong_question_waits_for_its_own(
        chat: Chat, asked: str, typed: str, label: str, kept_for: str, offered: str,
        value: object, written: str | None) -> None:
    chat.say("/new")
    chat.fill(SHOES, until=asked)
    chat.say(typed)
    assert chat.field == asked and asked not in chat.draft.answers
    assert chat.t("reply.note.kept_for_later", labels=label) in chat.text
    answers = {**SHOES, "contacted": "联系了", "contact_result": "客服说过了七天不管"}
    answers.pop(kept_for)
    chat.fill(answers, until=kept_for)
    assert chat.field == kept_for and offered in chat.text, "its question offers it"
    chat.say("对")
    assert chat.draft.answers[kept_for] == value
    if kept_for == "demands":
        assert chat.draft.answers["demand_alternatives"] == [["exchange", "refund"]]
    if written:
        chat.fill(SHOES)
        assert written in chat.sheet.section("text").body


def test_a_purchase_month_alone_is_written_into_the_finished_draft(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "purchase_date": "去年五月份", "discovered_on": "今年三月"})
    assert chat.draft.finished, chat.text
    assert chat.draft.answers["purchase_date"] == "2025-05"
    assert "2025年5月" in chat.section("text")


def test_leaving_the_theme_to_the_bot_takes_the_likeliest_and_says_so(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({**SHOES, "narrative": "买的鞋子穿了两天就开胶了，鞋底也裂了"}, until="theme")
    assert chat.field == "theme"
    likeliest = chat.draft.theme_ranking[0]["theme"]
    chat.say("你帮我选")
    assert chat.draft.answers["theme"] == likeliest
    assert chat.t("reply.note.theme_closest", theme=chat.t(f"theme.{likeliest}")) in chat.text


def test_leaving_the_theme_to_the_bot_without_a_reading_says_how_to_choose(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="theme")
    chat.say("不知道")
    assert chat.field == "theme" and "theme" not in chat.draft.answers
    assert chat.t("reply.error.theme_unsure") in chat.text


def test_leaving_the_demand_to_the_bot_explains_that_it_is_the_users(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="demands")
    chat.say("都行")
    assert chat.field == "demands" and chat.t("reply.error.demands_undecided") in chat.text


def test_evidence_said_to_be_lost_is_not_ticked(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="evidence")
    chat.say("发票丢了")
    assert chat.field == "evidence" and "evidence" not in chat.draft.answers
    assert "付款记录" in chat.text, "a way forward: the payment record proves the purchase"
    chat.say("有聊天记录，没有发票")
    assert chat.draft.answers["evidence"] == ["messages"]


@pytest.mark.parametrize(("answers", "field", "offered", "value"), [
    ({**REPORT, "narrative": "楼下小饭馆没有营业执照，后厨特别脏"}, "violation", "无证经营",
     "unlicensed"),  # the violation the account names
    ({**SHOES, "business_address": "广州市天河区天河路385号"}, "district", "广东省广州市",
     "广东省广州市"),  # a business outside Beijing: its city
])
def test_a_guess_is_offered_unticked(make_chat, answers: dict[str, str], field: str,
                                     offered: str, value: str) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill(answers, until=field)
    assert chat.field == field and offered in chat.text
    assert field not in chat.draft.sure, "offered, not ticked"
    chat.press_suggestion()
    assert chat.draft.answers[field] == value


def test_a_yes_to_two_likely_themes_asks_which_one(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({**SHOES, "narrative": "空气炸锅用了三次就冒烟了，客服说过了七天不管"}, until="theme")
    assert "theme" not in chat.draft.suggestions and len(chat.draft.theme_shortlist) >= 2
    chat.say("对")
    first, second = (chat.t(f"theme.{code}") for code in chat.draft.theme_shortlist[:2])
    assert chat.field == "theme" and f"「{first}」还是「{second}」" in chat.text
    chat.say(first)
    assert chat.draft.answers["theme"] == chat.draft.theme_shortlist[0]


def test_either_of_two_demands_is_written_as_alternatives(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "demands": "换货或者退款都行"})
    assert chat.draft.answers["demands"] == ["exchange", "refund"]
    text = chat.sheet.section("text").body
    assert "换货或退款" in text, text
    assert chat.t("key.reasonable_doubt") not in chat.section("check"), "no question: either will do"
    chat.say("/edit")
    chat.press("诉求")
    chat.press("退货退款")
    chat.press(chat.t("option.done"))
    assert "demand_alternatives" not in chat.draft.answers, "chosen again: no alternatives left"


def test_a_relation_typed_as_the_principals_name_waits_for_its_own_question(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "for_whom": "帮我妈投诉"}, until="principal_name")
    chat.say("我妈")
    assert chat.field == "principal_name" and "principal_name" not in chat.draft.answers
    assert "母亲" in chat.text
    chat.say("王秀兰")
    assert chat.field == "principal_relation" and "母亲" in chat.text
    chat.say("对")
    assert chat.draft.answers["principal_relation"] == "母亲"


def test_an_account_told_first_for_a_father_offers_for_someone_else_and_the_relation(
        make_chat) -> None:
    """"我帮我爸投诉 …" typed at the first question: 为他人投诉 and 父亲 are offered, not asked."""
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.say("我帮我爸投诉 上个月18号他在数码城换了个手机屏 380 一周就黑屏了 说是原装的其实是翻新的")
    assert chat.field == "for_whom" and chat.option_labels()[0].endswith("「为他人投诉」")
    chat.say("对")
    assert chat.draft.answers["for_whom"] == "other"
    chat.say("马建国")
    assert chat.field == "principal_relation" and "父亲" in chat.text
    chat.say("对")
    assert chat.draft.answers["principal_relation"] == "父亲"
    chat.say("/new")
    chat.say("我要投诉 上个月给我爸买的手机 一周就黑屏了 商家不给换")  # bought by the writer
    assert chat.field == "for_whom" and "for_whom" not in chat.draft.suggestions


def test_a_spoken_relation_is_written_as_a_complaint_writes_it(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "for_whom": "帮我老婆投诉", "principal_name": "李娜",
               "principal_relation": "我老婆"})
    assert chat.draft.answers["principal_relation"] == "妻子"
    assert chat.sheet.section("text").body.startswith("我代我妻子李娜投诉。")


@pytest.mark.parametrize(("for_whom", "name", "relation"), [
    ("帮我妈投诉", "王秀兰", "母亲"),
    ("帮我表哥投诉", "李明", "表哥"),  # a relation the "other" option's words do not list
    ("替别人", "我家老爷子叫张建国", "父亲"),  # said with the name
])
def test_who_the_complaint_is_for_is_offered_as_the_relation(
        chat: Chat, for_whom: str, name: str, relation: str) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "for_whom": for_whom, "principal_name": name},
              until="principal_relation")
    assert chat.field == "principal_relation" and relation in chat.text
    chat.say("对")
    assert chat.draft.answers["principal_relation"] == relation
    assert chat.draft.answers["principal_name"] in name


def test_a_relation_not_on_the_list_loses_its_my(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "for_whom": "替别人", "principal_name": "赵敏",
               "principal_relation": "我干妈"})
    assert chat.sheet.section("text").body.startswith("我代我干妈赵敏投诉。")


def test_what_was_typed_ahead_outlasts_a_second_account(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill(SHOES, until="business_address")
    chat.say("换个新的或者退钱都行")
    chat.say("上周三在三里屯买的跑鞋，花了1299元，穿了两天鞋底就开胶了，店员说不给退也不给换，要求退货退款")
    assert "narrative" in chat.draft.answers and chat.field == "business_address", "a second account"
    answers = {**SHOES, "contacted": "联系了", "contact_result": "店员说不给退"}
    answers.pop("demands")
    chat.fill(answers, until="demands")
    chat.say("对")
    assert chat.draft.answers["demands"] == ["exchange", "refund"], "what was typed, not read"
    assert chat.draft.answers["demand_alternatives"] == [["exchange", "refund"]]


def test_a_phone_number_typed_as_the_order_number_is_held_back(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "channel": "网上买的", "platform": "京东"}, until="order_number")
    chat.say("139 1234 5678")
    assert "order_number" not in chat.draft.answers and "手机号" in chat.text
    chat.say(chat.t("option.change"))
    assert chat.field == "order_number"
    chat.say("订单号：3658 9921 0087 6543")
    assert chat.draft.answers["order_number"] == "3658992100876543"


def test_a_surname_with_a_title_is_asked_again_once_and_kept_on_purpose(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="complainant_name")
    chat.say("张先生")
    assert chat.field == "complainant_name" and "complainant_name" not in chat.draft.answers
    assert chat.t("warn.name_surname_only", value="张先生") in chat.text
    chat.say("我改一下")
    chat.say("姓张 张伟")
    assert chat.draft.answers["complainant_name"] == "张伟"


def test_evidence_said_with_the_demands_is_offered_as_said_earlier(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "demands": "退货退款，证据有照片和聊天记录"}, until="evidence")
    assert chat.field == "evidence"
    assert chat.t("question.from_earlier_reply.sure", value="商品问题照片/视频、沟通记录") in chat.text
    chat.say("对")
    assert chat.draft.answers["evidence"] == ["photos", "messages"]


def test_a_yes_with_more_said_adds_to_a_long_text_and_is_chatter_elsewhere(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "本人"})
    chat.say("2026年3月在家门口健身房办了个卡，两年的，3980块，2026年10月突然关门了，"
             "人都找不着了，电话也不接，我想把剩下的钱要回来")
    chat.fill({**SHOES, "product": "对 两年的健身卡", "amount": "对 微信付的",
               "purchase_date": "2026年3月"}, until="problem")
    assert chat.draft.answers["product"] == "两年的健身卡", "a yes with nothing shown to agree to"
    assert chat.draft.answers["amount"] == 3980, "the sum shown, and 微信付的 is chatter"
    suggested = chat.draft.suggestions["problem"]
    chat.say("对 我去了大概10次")
    problem = chat.draft.answers["problem"]
    assert problem.startswith(suggested.rstrip("。")) and problem.endswith("我去了大概10次"), problem
    assert chat.t("reply.note.added_to_suggestion") in chat.text


def test_a_no_that_opens_the_reply_is_not_part_of_the_answer(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="product")
    chat.say("不对，是跑步鞋")
    assert chat.draft.answers["product"] == "跑步鞋"


def test_a_bare_this_is_it_is_no_account_of_what_the_business_said(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "contacted": "联系过了"}, until="contact_result")
    chat.say("就是这样")
    assert chat.field == "contact_result" and "contact_result" not in chat.draft.answers


def test_evidence_is_named_in_the_complaint_as_the_user_named_it(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "evidence": "没合同 只有会员卡和付款截图 还有停业通知照片"})
    assert chat.draft.answers["evidence"] == ["contract", "receipt", "photos"]
    text = chat.sheet.section("text").body
    assert "我可以提供会员卡、付款截图、停业通知照片作为证据" in text, text
    assert "合同/协议" not in text


@pytest.mark.parametrize(("field", "question", "said", "about"), [
    ("complainant_address", "这个要填吗？", "reply.error.question", "complainant_address"),
    ("business_address", "抖音里在哪看资质啊 找不到😭", "reply.error.address_online", None),
    ("business_address", "啥是信用代码", "reply.error.question_other", "credit_code"),
])
def test_a_question_of_the_users_own_is_answered_not_stored(
        chat: Chat, field: str, question: str, said: str, about: str | None) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "channel": "网上买的", "platform": "抖音", "order_number": "跳过"},
              until=field)
    chat.say(question)
    assert chat.field == field and field not in chat.draft.answers
    params = {"how": chat.t(f"field.{about}.hint"),
              "other": chat.t(f"field.{about}.label")} if about else {}
    assert chat.t(said, **params) in chat.text


@pytest.mark.parametrize(("field", "reply", "stored"), [
    ("business_name", "不知道全称 店名叫暖暖服饰旗舰店", "暖暖服饰旗舰店"),
    ("business_name", "暖暖服饰旗舰店啊 刚说了", "暖暖服饰旗舰店"),
    ("business_name", "查了下 北京力美健身服务有限公司", "北京力美健身服务有限公司"),
    ("complainant_address", "写我家的地址吗 朝阳区望京花园东区5号楼3单元201", "朝阳区望京花园东区5号楼3单元201"),
])
def test_an_answer_beside_an_aside_is_taken_without_it(
        chat: Chat, field: str, reply: str, stored: str) -> None:
    chat.say("/new")
    chat.fill(SHOES, until=field)
    chat.say(reply)
    assert chat.draft.answers[field] == stored


def test_a_warning_shown_again_keeps_its_figures(chat: Chat) -> None:
    """A stray message while a warning waits shows the warning again, with its {limit}: it
    crashed when the warning's parameters were not kept."""
    chat.say("/new")
    chat.fill({**SHOES, "theme": "虚假宣传", "demands": "退货 赔偿"}, until="compensation")
    chat.say("赔偿50000元")
    assert chat.session.dialog.state.pending is not None
    shown = chat.text
    chat.say("\u3000")
    assert chat.session.dialog.state.pending is not None
    assert shown.splitlines()[-1] in chat.text or "3897" in chat.text


@pytest.mark.parametrize(("reply", "items", "total"), [
    ("医药费38元，惩罚性赔偿1000元", [("医药费", 38), ("惩罚性赔偿", 1000)], 1038),
    ("医药费38 误工费200", [("医药费", 38), ("误工费", 200)], 238),
])
def test_several_compensation_sums_are_kept_apart_and_added_up(
        chat: Chat, reply: str, items: list[tuple[str, int]], total: int) -> None:
    """They were read as one number: 医药费38元，惩罚性赔偿1000元 became 100038元."""
    chat.say("/new")
    chat.fill({**SHOES, "demands": "退货 赔偿", "amount": "79", "theme": "食品安全"},
              until="compensation")
    chat.say(reply)
    value = chat.draft.answers["compensation"]
    assert value["amount"] == total
    assert [(item["detail"], item["amount"]) for item in value["items"]] == items


def test_a_punitive_phrase_and_its_own_sum_are_one_item(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "theme": "虚假宣传", "demands": "退货 赔偿"}, until="compensation")
    chat.say("三倍赔偿 3897元")
    assert chat.draft.answers["compensation"] == {"amount": 3897, "detail": "三倍赔偿"}


@pytest.mark.parametrize(("typed", "codes"), [
    ("1 2 4", ["receipt", "photos", "messages"]),
    ("1，2、4", ["receipt", "photos", "messages"]),
    ("1 4 还有医院的票", ["receipt", "messages", "other"]),
])
def test_several_option_numbers_pick_several_options(chat: Chat, typed: str,
                                                       codes: list[str]) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="evidence")
    labels = chat.option_labels()
    assert [labels[n] for n in (0, 1, 3)] == [chat.t(f"evidence.{c}") for c in
                                             ("receipt", "photos", "messages")], labels
    chat.say(typed)
    assert chat.draft.answers["evidence"] == codes


def test_what_the_business_said_typed_with_the_yes_is_not_asked_again(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="contacted")
    chat.say("找了 商家给20的券 我没要")
    assert chat.field == "contact_result"
    assert "商家给20的券 我没要" in chat.text, "offered as said a moment ago"
    chat.say("对")
    assert chat.draft.answers["contact_result"] == "商家给20的券 我没要"


def test_a_registered_name_found_with_the_address_replaces_the_shops_name(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "business_name": "渔小鲜酸菜鱼"}, until="business_address")
    chat.say("找到了 公司叫北京渔小鲜餐饮管理有限公司 地址北京市朝阳区望京街10号院")
    assert chat.draft.answers["business_address"] == "北京市朝阳区望京街10号院"
    assert chat.draft.answers["business_name"] == "北京渔小鲜餐饮管理有限公司"
    assert chat.t("reply.note.replaced", label=chat.t("field.business_name.label"),
                  value="北京渔小鲜餐饮管理有限公司") in chat.text


def test_a_registered_name_already_given_is_not_replaced_by_another(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_address")
    chat.say("北京某某体育用品有限公司 北京市朝阳区三里屯路19号")
    assert chat.draft.answers["business_name"] == SHOES["business_name"]


def test_a_side_question_is_answered_and_the_answer_beside_it_taken(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("合同上写的是北京亦诚恒通汽车销售有限公司。要不要先找律师啊？")
    assert chat.draft.answers["business_name"] == "北京亦诚恒通汽车销售有限公司"
    assert chat.t("advice.side.lawyer") in chat.text
    chat.say("要先找律师吗")
    assert chat.field == "business_address" and "business_address" not in chat.draft.answers
    assert chat.t("advice.side.lawyer") in chat.text


@pytest.mark.parametrize(("asked", "key"), [
    ("这算诈骗吗", "advice.side.police"),
    ("要报警吗", "advice.side.police"),
    ("能赔多少", "advice.side.how_much"),
])
def test_a_question_of_the_users_own_is_answered_and_the_question_asked_again(
        chat: Chat, asked: str, key: str) -> None:
    """"这算诈骗吗" at the business's name: answered, not stored, and the name asked again."""
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say(asked)
    assert chat.t(key) in chat.text
    assert chat.field == "business_name" and "business_name" not in chat.draft.answers


def test_unreachable_said_with_the_yes_is_what_the_business_said(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "本人"})
    chat.say("今年3月在健身房办了卡，3980块，10月份突然关门了，电话也不接")
    chat.fill({**SHOES, "purchase_date": "2026年3月", "amount": "对", "problem": "对",
               "theme": "合同纠纷"}, until="contacted")
    chat.say("对，打不通")
    assert chat.draft.answers["contacted"] == "yes" and chat.field == "contact_result"
    chat.say("对")
    assert chat.draft.answers["contact_result"] == "打不通"
    assert chat.field == "demands"
    chat.say("退剩余费用2850")
    assert chat.draft.answers["demands"] == ["refund"]
    assert chat.draft.answers["refund_detail"] == {"amount": 2850, "balance": True}


@pytest.mark.parametrize(("typed", "codes", "written"), [
    # each thing named is kept, by its own name: 传单 and 住院的单子 are other material
    ("有盒子 有传单 还有微信转账记录 住院的单子也有", ["other", "receipt"],
     "我可以提供盒子、传单、微信转账记录、住院的单子作为证据"),
    # "…有" says it is at hand: not part of the name
    ("合同有 支付宝付款记录有 微信群聊天截图也有", ["contract", "receipt", "messages"],
     "我可以提供合同、支付宝付款记录、微信群聊天截图作为证据"),
    ("就一个手写的条子", ["receipt"], "我可以提供手写的条子作为证据"),
])
def test_evidence_said_in_words_keeps_every_piece(chat: Chat, typed: str, codes: list[str],
                                                  written: str) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "evidence": typed})
    assert sorted(chat.draft.answers["evidence"]) == sorted(codes)
    assert written in chat.sheet.section("text").body, chat.sheet.section("text").body


@pytest.mark.parametrize(("first", "then", "codes", "written"), [
    # typed after ticking 合同: added to it, the 不过… remark is no piece of evidence
    ("3", "还有支付宝记录 和微信群截图 不过群解散了截图不全", ["contract", "receipt", "messages"],
     "我可以提供合同/协议、支付宝记录、微信群截图作为证据"),
    # one option number and then words: the option and what the words name
    ("1 还有屏幕黑屏的照片", None, ["receipt", "photos"], "我可以提供购物凭证、屏幕黑屏的照片作为证据"),
    ("1234", None, ["receipt", "photos", "contract", "messages"], None),  # options 1 to 4
])
def test_evidence_typed_beside_option_numbers_keeps_the_options(
        chat: Chat, first: str, then: str | None, codes: list[str], written: str | None) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="evidence")
    chat.say(first)
    if then is not None:
        assert chat.field == "evidence"
        chat.say(then)
    assert chat.field != "evidence", chat.text
    assert sorted(chat.draft.answers["evidence"]) == sorted(codes)
    chat.fill(SHOES)
    if written:
        assert written in chat.sheet.section("text").body, chat.sheet.section("text").body


def test_the_check_calls_the_evidence_complete_only_when_nothing_main_is_missing(
        chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "contacted": "联系过了", "contact_result": "说不给退", "evidence": "照片"})
    check = chat.section("check")
    evidence = chat.section("evidence")
    assert chat.t("draft.evidence_missing", item=chat.t("evidence.receipt"),
                  hint=chat.t("evidence_hint.receipt")) in evidence
    complete = chat.catalog.text("draft.key_ok", key=chat.t("key.evidence"))
    assert complete not in check, check
    assert chat.t("key.evidence_partial", missing="购物凭证、沟通记录") in check
    chat.say("/new")
    chat.fill({**SHOES, "evidence": "付款截图 照片", "reuse_profile": "用上次的"})  # not contacted
    assert complete in chat.section("check")
    assert chat.t("evidence.messages") not in chat.section("evidence")


@pytest.mark.parametrize(("reply", "items"), [
    ("退钱 住院费8200 还有三倍的那个", [("住院费", 8200), ("三倍", 14940)]),
    ("把钱退给我 住院的钱也得给 八千二 能要十倍不", [("住院费", 8200)]),  # 十倍: a question
    ("退钱 医药费300", [("医药费", 300)]),
])
def test_a_loss_named_with_the_demands_is_a_compensation_item_never_the_refund(
        chat: Chat, reply: str, items: list[tuple[str, int]]) -> None:
    """"退钱 住院费8200 还有三倍的那个" was written 退款8200元 (more than the 4980 paid), and
    住院费 was lost."""
    chat.say("/new")
    chat.fill({**SHOES, "amount": "4980", "theme": "食品安全"}, until="demands")
    chat.say(reply)
    assert "compensation" in chat.draft.answers["demands"]
    assert "amount" not in (chat.draft.answers.get("refund_detail") or {})
    assert chat.field == "compensation", chat.text
    chat.press_suggestion()
    value = chat.draft.answers["compensation"]
    found = [(item["detail"], item["amount"]) for item in value.get("items", [value])]
    assert found == items, value


def test_a_correction_with_a_total_and_its_payments_stores_the_total(chat: Chat) -> None:
    """"涉及金额不对 是12800 分两次交的 9800和3000" at the edit menu stored 9800."""
    chat.say("/new")
    chat.fill(SHOES)
    chat.say("修改")
    chat.say("涉及金额不对 是12800 分两次交的 9800和3000")
    assert chat.draft.answers["amount"] == 12800, chat.text
    assert chat.draft.answers.get("amount_parts") == [9800, 3000]


DEMANDS_BY_ITEM = "重做卫生间防水；按合同每天100元赔延期违约金6100元；赔偿楼下邻居维修费按实际发生"


def _items(value: dict) -> list[tuple[str, float | None]]:
    return [(item["detail"], item["amount"]) for item in value.get("items", [value])]


def test_demands_typed_item_by_item_set_the_repair_and_the_compensation(chat: Chat) -> None:
    """The repair half was kept and the compensation half dropped."""
    chat.say("/new")
    chat.fill({**SHOES, "theme": "合同纠纷"}, until="demands")
    chat.say(DEMANDS_BY_ITEM)
    assert chat.draft.answers["demands"] == ["repair", "compensation"]
    assert chat.draft.answers["repair_detail"] == "重做卫生间防水"
    assert chat.field == "compensation", chat.text
    chat.press_suggestion()
    assert _items(chat.draft.answers["compensation"]) == [
        ("延期违约金", 6100), ("楼下邻居维修费", None)]
    assert chat.draft.answers["compensation"]["items"][0]["basis"] == chat.t(
        "reply.format.daily_rate", rate="100", days="61")


def test_demands_rewritten_item_by_item_at_the_edit_menu_keep_the_compensation(chat: Chat) -> None:
    """"诉求写乱了 改成：…" changed the repair only; the compensation kept its garbled text."""
    chat.say("/new")
    chat.fill({**SHOES, "theme": "合同纠纷", "demands": "维修 赔偿",
               "compensation": "延期违约金邻居家的维修费实际花多少算多少6100"})
    chat.say("修改")
    chat.press("诉求")
    chat.say(DEMANDS_BY_ITEM)
    if chat.field == "compensation":  # asked next, with the items offered
        chat.press_suggestion()
    assert _items(chat.draft.answers["compensation"]) == [
        ("延期违约金", 6100), ("楼下邻居维修费", None)], chat.text


def test_a_repair_asked_for_in_a_sentence_is_written_as_the_repair(chat: Chat) -> None:
    """"免费我想让他们把防水重做了": the asking words stay out of the repair."""
    chat.say("/new")
    chat.fill({**SHOES, "theme": "合同纠纷"}, until="demands")
    chat.say("我想让他们把防水重做了 再按合同赔延期的钱 楼下邻居的损失也得他们出 这个能要吗")
    assert chat.draft.answers["repair_detail"] == "重做防水", chat.text


def test_compensation_items_one_with_a_sum_one_paid_as_it_comes(chat: Chat) -> None:
    """"延期违约金6100 邻居家的维修费实际花多少算多少" was one detail glued to 6100."""
    chat.say("/new")
    chat.fill({**SHOES, "theme": "合同纠纷", "demands": "维修 赔偿", "amount": "30000"},
              until="compensation")
    chat.say("延期违约金6100 邻居家的维修费实际花多少算多少")
    assert _items(chat.draft.answers["compensation"]) == [
        ("延期违约金", 6100), ("邻居家的维修费", None)], chat.text


def test_a_sum_per_day_over_a_span_of_dates_is_worked_out(chat: Chat) -> None:
    """"你帮我算一下呗 合同一天100 8月31号到10月31号" asked for the days, naming the fee
    "你帮我算下呗合同"."""
    chat.say("/new")
    chat.fill({**SHOES, "theme": "合同纠纷", "demands": "维修 赔偿", "amount": "30000"},
              until="compensation")
    chat.say("你帮我算一下呗 合同一天100 8月31号到10月31号")
    value = chat.draft.answers["compensation"]
    assert value["amount"] == 6100, chat.text
    basis = chat.t("reply.format.daily_rate", rate="100", days="61")
    assert value["basis"] == basis
    assert chat.t("reply.note.compensation_worked_out", basis=basis, value="6100元") in chat.text
    assert "帮我算" not in chat.text


def test_the_days_after_a_rate_per_day_complete_it(chat: Chat) -> None:
    """"61天吧 邻居那边还没定多少钱" after the days were asked: the rate said just before was
    forgotten."""
    chat.say("/new")
    chat.fill({**SHOES, "theme": "合同纠纷", "demands": "维修 赔偿", "amount": "30000"},
              until="compensation")
    chat.say("延期违约金 合同一天100")
    assert "compensation" not in chat.draft.answers and chat.field == "compensation"
    chat.say("61天吧 邻居那边还没定多少钱")
    value = chat.draft.answers["compensation"]
    assert value["amount"] == 6100, chat.text
    first = value["items"][0]
    assert (first["detail"], first["amount"]) == ("延期违约金", 6100)
    assert value["items"][1]["amount"] is None and "邻居" in value["items"][1]["detail"]


def test_rough_days_are_asked_again_without_payment_records(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "theme": "合同纠纷", "demands": "维修 赔偿", "amount": "30000"},
              until="compensation")
    chat.say("不记得了 反正60多天")
    assert chat.t("reply.error.amount_approximate") not in chat.text
    assert chat.field == "compensation" and "compensation" not in chat.draft.answers


def test_a_refund_above_the_amount_paid_is_not_taken_silently(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "amount": "4980"}, until="demands")
    chat.say("退款8200")
    assert "amount" not in (chat.draft.answers.get("refund_detail") or {})
    assert chat.t("reply.note.refund_over_price", asked="8200元", paid="4980元") in chat.text


def test_yes_with_details_at_the_suggested_product_keeps_it(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.say("投诉")
    chat.say("在淘宝直播买的羽绒服899元 说是90%白鸭绒 检测只有52% 商家不给退")
    chat.fill({**SHOES, "channel": "网上买的", "platform": "淘宝", "order_number": "跳过"},
              until="product")
    assert chat.draft.suggestions.get("product") == "羽绒服", chat.draft.suggestions
    chat.say("是 黑色长款的 女式")
    assert chat.draft.answers.get("product") == "黑色长款女式羽绒服", (chat.field, chat.text)


def test_a_price_typed_with_the_product_is_offered_at_the_amount(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="product")
    chat.say("麻辣香锅 68块")
    assert chat.draft.answers["product"] == "麻辣香锅"
    chat.fill(SHOES, until="amount")
    assert chat.field == "amount" and chat.draft.suggestions.get("amount") == 68
    assert "68" in chat.text


def test_hurry_is_answered_with_the_questions_left_and_the_question_again(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_name")
    chat.say("快点")
    assert chat.field == "business_name" and "business_name" not in chat.draft.answers
    assert chat.t("reply.error.impatient", left=99)[:6] in chat.text


def test_a_name_to_correct_said_at_the_address_is_not_stored(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES, until="business_address")
    chat.say("等下 商家名字我刚才打错了")
    assert chat.field == "business_address" and "business_address" not in chat.draft.answers
    chat.say("名字是悦颜美容")
    assert chat.draft.answers["business_name"] == "悦颜美容"
    assert chat.field == "business_address"


def test_an_online_shops_address_not_known_is_told_where_to_look_or_to_wait(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "channel": "网上买的"}, until="business_address")
    chat.say("地址也不知道 网上买的哪知道它在哪")
    assert chat.field == "business_address" and "business_address" not in chat.draft.answers
    assert chat.t("reply.note.can_put_off") in chat.text
    chat.say("跳过")
    assert chat.field != "business_address" and chat.draft.later == ["business_address"]


def test_a_registered_name_found_later_keeps_the_shops_sign_beside_it(make_chat) -> None:
    """"暖冬旗舰店" first, the licence's 杭州暖冬服饰有限公司 later: the complaint names the shop
    and its operator, not a company called a 店铺."""
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "本人",
               "narrative": "在淘宝直播间买了件羽绒服899元，主播说是90%白鸭绒，穿了三周一直跑绒，店家说过了7天不给退",
               "business_name": "暖冬旗舰店", "business_address": "跳过", "credit_code": "跳过"},
              until="district")
    assert chat.field == "district", chat.text
    chat.say("闺女找着执照了 是杭州暖冬服饰有限公司 浙江省杭州市余杭区良渚街道好运路88号")
    assert chat.draft.answers["business_name"] == "杭州暖冬服饰有限公司", chat.text
    assert chat.draft.answers["store_name"] == "暖冬旗舰店"


def test_an_account_typed_at_for_whom_is_kept_with_the_relation(make_chat) -> None:
    """"我帮我爸投诉 上个月18号…" at 为谁投诉: for someone else, 父亲, and the account kept."""
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉"})
    told = "我帮我爸投诉 上个月18号他在数码城的极速手机维修换了个手机屏 380现金 说是原装的其实是翻新的 一周就黑屏了"
    chat.say(told)
    assert chat.draft.answers["for_whom"] == "other"
    assert chat.draft.answers["narrative"] == told
    chat.say("马建国")
    assert chat.field == "principal_relation" and "父亲" in chat.text
