"""What users say in the middle of the interview that is not the answer to the question asked:
their own questions, changes to earlier answers, second presses of an option."""

from __future__ import annotations

from conftest import Chat
from test_draft_rules import REPORT
from test_questions_that_wait import ANSWERS

from flows.understanding import analyze

SCREEN = ("11月18号在急速手机维修换了个屏 说好原装屏 花了380 当时说是原装的，结果是翻新的"
          "便宜货，才一个礼拜就黑屏了")


def test_questions_to_the_bot_at_a_prefilled_question_are_never_its_answer(make_chat) -> None:
    """"这算诈骗不 能报警不" at 出了什么问题 (pre-filled from the account): answered, and the
    question asked again with its pre-fill; every clause asks (V不, …没), so nothing is kept."""
    for asked in ("这算诈骗不 能报警不", "能要回来不", "他们给退没 这种算不算欺诈"):
        chat: Chat = make_chat(understand=analyze)
        chat.say("/new")
        chat.fill({**ANSWERS, "narrative": SCREEN, "business_name": "急速手机维修",
                   "channel": "在实体店买的", "store_name": "跳过", "product": "换屏",
                   "purchase_date": "11月18日", "amount": "380"}, until="problem")
        assert chat.field == "problem" and "翻新的便宜货" in chat.text
        chat.say(asked)
        assert chat.field == "problem", (asked, chat.text)
        assert "problem" not in chat.draft.answers
        assert "翻新的便宜货" in chat.text, "asked again with its pre-fill"
        chat.say("对")
        assert "翻新的便宜货" in chat.draft.answers["problem"]


def test_a_statement_shaped_like_a_question_is_still_the_answer(make_chat) -> None:
    """"动不动就黑屏" reads like 算不算 but asks nothing: it is the answer."""
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({**ANSWERS, "narrative": SCREEN, "business_name": "急速手机维修",
               "channel": "在实体店买的", "store_name": "跳过", "product": "换屏",
               "purchase_date": "11月18日", "amount": "380"}, until="problem")
    chat.say("换的屏动不动就黑屏")
    assert chat.draft.answers["problem"] == "换的屏动不动就黑屏"


def test_a_concession_with_either_or_is_no_question(chat: Chat) -> None:
    """"不管是不是路的原因" holds 是不是 but asks nothing: it is what the business answered."""
    chat.say("/new")
    chat.fill({**ANSWERS, "contacted": "联系过了"}, until="contact_result")
    chat.say("不管是不是路的原因。")
    assert chat.draft.answers.get("contact_result") == "不管是不是路的原因。", chat.text


HEALTH = {**ANSWERS, "narrative": "小区里开讲座 买了三盒保健品 吃了住院了 花了八千二",
          "amount": "8200", "product": "保健品", "channel": "在实体店买的", "store_name": "跳过",
          "problem": "吃了住院"}


def test_an_earlier_answer_changed_in_words_midway_then_the_question_again(make_chat) -> None:
    """"钱不对 保健品一共4980 8200是住院花的" and "金额改成4980" at the demands question: the sum
    is changed, said so, and the demands question comes back (with its ticks)."""
    for said in ("钱不对 保健品一共4980 8200是住院花的", "金额改成4980"):
        chat: Chat = make_chat(understand=analyze)
        chat.say("/new")
        chat.fill(HEALTH, until="demands")
        chat.press("退货退款")
        chat.say(said)
        assert chat.draft.answers["amount"] == 4980, (said, chat.text)
        assert "✓ 已改好" in chat.text and "4980" in chat.text
        assert chat.field == "demands" and chat.state.picked == ["return_refund"]
        assert chat.t("field.demands.prompt") in chat.text
        chat.press(chat.t("option.done"))
        assert chat.draft.answers["demands"] == ["return_refund"]


def test_an_answer_that_names_another_field_is_still_the_answer(make_chat) -> None:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill(HEALTH, until="problem")
    chat.say("商品应该是原装屏 结果是翻新的")
    assert chat.draft.answers["problem"] == "商品应该是原装屏 结果是翻新的"
    assert chat.draft.answers["product"] == "保健品"


def test_back_at_a_multi_select_starts_from_its_answer_ticked(chat: Chat) -> None:
    """上一步 to the demands: "维修、赔偿" are ticked, and 选好了 keeps them."""
    chat.say("/new")
    chat.fill({**ANSWERS, "demands": "维修和赔偿"}, until="compensation")
    chat.say("上一步")
    assert chat.field == "demands"
    labels = chat.option_labels()
    assert chat.t("option.picked", label="维修") in labels
    assert chat.t("option.picked", label="赔偿") in labels
    chat.press(chat.t("option.done"))
    assert chat.t("error.pick_one") not in chat.text
    assert chat.field == "compensation"
    assert chat.draft.answers["demands"] == ["repair", "compensation"]


def test_pressing_a_ticked_option_again_says_it_is_unticked(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS, until="demands")
    chat.press("退货退款")
    chat.press("退货退款")
    assert chat.t("question.unpicked", label="退货退款") in chat.text
    assert chat.state.picked == []


def test_a_change_not_taken_at_the_summary_says_the_question_is_open_now(chat: Chat) -> None:
    """"诉求改一下 …" not understood: the demands question is open, with its own options, and
    the reply says so, so a "2" meant for the menu before is not a surprise."""
    chat.say("/new")
    chat.fill({**ANSWERS, "demands": "维修和赔偿"}, until="compensation")
    chat.say("修改")
    chat.say("诉求改一下 退没上的34节课的钱 9067元")
    assert chat.field == "demands"
    assert chat.t("edit.now_changing", label=chat.t("field.demands.label")) in chat.text


def test_how_often_the_business_was_tried_is_not_its_answer(make_chat) -> None:
    """"找过好几次了" at 沟通过了吗: the answer the account gives (找他们说防水没问题 …) is
    offered at 商家的答复, not "好几次了"; what follows a count is still kept."""
    account = ("11月1号装修公司给我家做的防水 交了定金2万 结果卫生间漏水到楼下 找他们说防水没问题"
               " 非让我先结尾款")
    answers = {**ANSWERS, "narrative": account, "product": "防水工程", "amount": "20000",
               "channel": "在实体店买的", "store_name": "跳过", "problem": "卫生间漏水到楼下",
               "theme": "服务质量"}
    for said, offered in (("找过好几次了", "防水没问题"), ("联系了好多次 他们不理", "他们不理")):
        chat: Chat = make_chat(understand=analyze)
        chat.say("/new")
        chat.fill(answers, until="contacted")
        assert chat.field == "contacted", chat.text
        chat.say(said)
        assert chat.field == "contact_result"
        assert offered in chat.text and "好几次" not in chat.text and "好多次" not in chat.text


def _at_theme(make_chat, account: str, product: str) -> Chat:
    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({**ANSWERS, "narrative": account, "product": product, "amount": "380",
               "channel": "在实体店买的", "store_name": "跳过", "purchase_date": "11月18日",
               "problem": "换的屏幕一个礼拜就黑了"}, until="theme")
    assert chat.field == "theme", chat.text
    return chat


def test_a_theme_read_from_a_sentence_is_confirmed_not_taken(make_chat) -> None:
    chat = _at_theme(make_chat, "手机屏幕原装的 380 一个礼拜黑了", "换手机屏幕")
    chat.say("去找了 说我人为损坏 还要我再掏200")
    assert "theme" not in chat.draft.answers and chat.field == "theme"
    assert "商品质量" in chat.text and chat.t("option.change") in chat.option_labels()
    chat.press(chat.t("option.change"))
    chat.say("质量不好")  # one short clause names it: taken
    assert chat.draft.answers["theme"] == "quality"


def test_an_unsure_theme_offer_puts_a_theme_with_grounds_first(make_chat) -> None:
    """价格收费 scored first only for 手机, what was bought: 虚假宣传 (依据：原装) is option 1."""
    chat = _at_theme(make_chat, "手机屏幕原装的 380 一个礼拜黑了", "换手机屏幕")
    assert chat.option_labels()[0] == "虚假宣传"


def test_a_report_asked_for_after_a_complaint_offers_its_facts(chat: Chat) -> None:
    """"我还要举报他们" at a finished complaint: a report draft, its questions offering the
    complaint's account, business, address … as one-tap answers."""
    chat.say("/new")
    chat.fill(ANSWERS)
    assert chat.draft.finished
    complaint = chat.draft.number
    chat.say("我还要举报他们")
    assert chat.draft.number != complaint and chat.draft.answers["kind"] == "report"
    assert chat.t("new.report_from", number=chat.draft.number, complaint=complaint) in chat.text
    assert chat.field == "narrative" and ANSWERS["narrative"] in chat.text
    chat.press_suggestion()
    assert chat.field == "business_name" and ANSWERS["business_name"] in chat.text
    chat.press_suggestion()
    assert chat.draft.answers["business_name"] == ANSWERS["business_name"]
    assert chat.field == "business_address" and ANSWERS["business_address"] in chat.text


def test_a_reporter_may_skip_the_contact_details_offered_from_last_time(chat: Chat) -> None:
    """"跳过" at "要沿用上次填写的吗" in a report: none of the reporter's details are asked."""
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("/new")
    chat.fill(REPORT, until="reuse_profile")
    assert chat.field == "reuse_profile", chat.text
    chat.say("跳过")
    assert "不能跳过" not in chat.text
    assert chat.t("reply.note.no_contact_report") in chat.text
    assert chat.draft.finished
    assert not any(name in chat.draft.answers for name in (
        "complainant_name", "complainant_phone", "complainant_address"))


def test_a_licence_read_out_at_another_question_updates_the_business_name_and_address(
        chat: Chat) -> None:
    """At the district question: the registered name and the full address found on the
    licence replace the shop's name and address given before (as at the address question)."""
    from test_navigation import ANSWERS as SHOP

    chat.say("/new")
    chat.fill({**SHOP, "business_name": "暖冬旗舰店", "business_address": "杭州市余杭区某某路"},
              until="district")
    chat.say("闺女在店铺里找着执照了 是杭州暖冬服饰有限公司 浙江省杭州市余杭区良渚街道好运路88号")
    answers = chat.draft.answers
    assert answers["business_name"] == "杭州暖冬服饰有限公司", chat.text
    assert answers["business_address"] == "浙江省杭州市余杭区良渚街道好运路88号"
    assert answers["district"] == "浙江省杭州市"


def test_an_order_number_said_at_the_amount_question_fills_the_one_put_off(make_chat) -> None:
    from test_navigation import ANSWERS as SHOP

    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    answers = {**SHOP, "channel": "网上买的", "platform": "淘宝",
               "narrative": "上个月在淘宝买的电饭煲花了399元，用了一周就坏了，商家不给修"}
    chat.fill(answers, until="order_number")
    chat.say("还没找到 先跳过")
    chat.fill(answers, until="amount")
    chat.say("对 哎订单号我找着了 是3912876540213398765 闺女帮我找的")
    assert chat.draft.answers["amount"] == 399
    assert chat.draft.answers["order_number"] == "3912876540213398765", chat.text
    assert "3912876540213398765" in chat.text, "said so"
