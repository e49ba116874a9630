"""The rules the finished draft must follow: the 400-character box, warnings, proportion, 举报."""

from __future__ import annotations

import copy
from datetime import date

from conftest import Chat

from flows.composition import TEXT_BOX_LIMIT
from flows.insight import Fact, Insight, Referral, ThemeScore

SHOES = {
    "kind": "投诉", "for_whom": "为本人投诉", "narrative": "买的鞋子开胶了，商家不给退换，要求退货退款",
    "business_name": "北京某某体育用品有限公司", "business_address": "北京市朝阳区三里屯路19号",
    "credit_code": "跳过", "district": "朝阳区", "channel": "在实体店买的",
    "store_name": "某某品牌北京三里屯店", "product": "运动鞋", "purchase_date": "2025年10月1日",
    "amount": "1299", "problem": "右鞋鞋面开胶", "theme": "商品质量", "contacted": "还没联系",
    "demands": "退货退款", "evidence": "购物凭证", "complainant_name": "张三",
    "complainant_phone": "13812345678", "complainant_address": "北京市朝阳区某某小区3号楼2单元501",
}


def complaint(chat: Chat, *, until: str | None = None, **changes: str) -> list[str]:
    """A whole complaint about shoes, answered by field; `changes` replace answers."""
    chat.say("/new")
    return chat.fill({**SHOES, **changes}, until=until)


def section(chat: Chat, name: str) -> str:
    return chat.section(name)


def test_a_long_account_is_cut_to_the_box_and_kept_whole(chat: Chat) -> None:
    long_problem = "穿了两天右鞋鞋面就开胶了，" + "鞋底也有裂纹，走路时会进水，" * 60
    complaint(chat, problem=long_problem)
    assert chat.draft.finished
    short = chat.sheet.section("text").body
    full = chat.sheet.section("full_text").body
    assert len(short) <= TEXT_BOX_LIMIT
    assert f"共 {len(short)} 字" in section(chat, "text")
    assert short.startswith("我于2025年10月1日") and "现要求商家退货退款" in short
    whole = full.split("\n\n")[0]  # then the note on what the short version left out
    assert len(whole) > TEXT_BOX_LIMIT and whole.count("鞋底也有裂纹") == 60, "nothing is lost"
    assert chat.t("compose.left_out_notice", count=1, sentences="")[:8] in section(
        chat, "full_text"), "the user is told what the short version left out"


def test_the_box_is_never_overrun_by_a_character(chat: Chat) -> None:
    """Texts just over the limit are the ones an off-by-one lets through."""
    complaint(chat, until="problem")
    base = copy.deepcopy(chat.draft)
    from flows.draft import complaint_text

    for extra in range(0, 12):
        draft = copy.deepcopy(base)
        draft.answers.update(theme="quality", contacted="no", demands=["return_refund"])
        for target in range(380, 420):
            draft.answers["problem"] = "鞋面开胶，" + "鞋底开裂" * ((target - 90) // 4) + "胶" * extra
            written = complaint_text(draft, chat.catalog, chat.ctx.today)
            short, full = written.short, written.full
            assert len(short) <= TEXT_BOX_LIMIT, (len(short), target, extra)
            if len(full) <= TEXT_BOX_LIMIT:
                assert short == full


def test_more_than_two_years_asks_when_the_problem_was_found(chat: Chat) -> None:
    """The limit counts from when the problem was found: an old purchase is asked about it,
    and the draft measures from that day."""
    asked = complaint(chat, purchase_date="2024年6月1日", discovered_on="2024年6月3日")
    assert "discovered_on" in asked
    warning = chat.t("warning.over_two_years_found", date="2024年6月3日")
    assert warning in section(chat, "warnings")


def test_an_old_purchase_whose_defect_appeared_last_month_is_not_too_late(chat: Chat) -> None:
    complaint(chat, until="discovered_on", purchase_date="2023年5月1日")
    assert chat.field == "discovered_on", "3.5 years after the purchase: ask when it broke"
    chat.say("2026年10月20日")
    assert not chat.state.pending if chat.field else True
    chat.fill(SHOES)
    assert chat.draft.finished
    assert chat.sheet.section("warnings") is None or "超过三年" not in section(chat, "warnings")


def test_a_problem_found_more_than_three_years_ago_needs_confirmation(chat: Chat) -> None:
    complaint(chat, until="discovered_on", purchase_date="2022年10月1日")
    chat.say("2022年10月5日")
    assert "超过三年" in chat.text and chat.field == "discovered_on"
    assert "discovered_on" not in chat.draft.answers
    chat.press(chat.t("option.keep"))
    assert chat.draft.answers["discovered_on"] == "2022-10-05"
    chat.fill(SHOES)
    assert chat.t("warning.over_three_years_found", date="2022年10月5日") in section(
        chat, "warnings")


def test_a_found_date_before_the_purchase_is_refused(chat: Chat) -> None:
    complaint(chat, until="discovered_on", purchase_date="2023年5月1日")
    chat.say("2023年4月1日")
    assert chat.t("error.found_before_purchase") in chat.text
    assert chat.field == "discovered_on"


def test_a_report_two_years_old_gets_the_note(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**REPORT, "purchase_date": "2024年6月1日"}, until="report_amount")
    assert chat.t("note.over_two_years") in chat.text


def test_out_of_proportion_compensation_is_questioned_gently(chat: Chat) -> None:
    complaint(chat, demands="退货退款、赔偿", compensation="精神损失费10000元")
    assert chat.draft.finished
    check = section(chat, "check")
    assert chat.t("key.reasonable_fix") in check


def test_an_actual_loss_is_not_counted_against_the_punitive_measure(chat: Chat) -> None:
    """住院费 is a loss, claimed besides three times the price: not "above the limit"."""
    complaint(chat, demands="退货退款、赔偿", amount="4980", problem="吃了保健品住院，宣传说能治病是骗人的",
              compensation="住院费8200 还有三倍的那个")
    assert chat.draft.finished, chat.text
    assert chat.draft.answers["compensation"]["amount"] == 8200 + 3 * 4980
    check = section(chat, "check")
    assert chat.t("key.reasonable_fix") not in check, check
    assert chat.t("compose.finding.above_measure", claim="23140", measure="14940") not in check


def test_a_doubt_about_the_demands_is_not_called_too_much_compensation(chat: Chat) -> None:
    complaint(chat, demands="换货、退款")
    check = section(chat, "check")
    assert chat.t("key.reasonable_doubt") in check and chat.t("key.reasonable_fix") not in check


def test_compensation_warning_names_the_legal_measure(chat: Chat) -> None:
    complaint(chat, until="compensation", demands="赔偿")
    chat.say("赔偿10000元")
    assert "三倍" in chat.text and "500" in chat.text and "3897" in chat.text
    chat.press(chat.t("option.change"))
    chat.say("交通费200元")
    assert chat.draft.answers["compensation"] == {"amount": 200.0, "detail": "交通费"}


def test_food_compensation_uses_the_food_safety_measure(chat: Chat) -> None:
    complaint(chat, until="compensation", narrative="在超市买的牛奶过期了，喝了拉肚子",
              product="牛奶", purchase_date="昨天", amount="50", problem="牛奶已过保质期",
              theme="食品安全", demands="赔偿")
    chat.say("5000元")
    assert "十倍" in chat.text and "1000" in chat.text


REPORT = {
    "kind": "举报", "narrative": "楼下小饭馆没有营业执照，还在卖过期食品", "business_name": "某某小饭馆",
    "business_address": "北京市海淀区中关村大街1号", "credit_code": "跳过", "district": "海淀区",
    "channel": "在实体店买的", "store_name": "某某小饭馆", "product": "盒饭", "purchase_date": "昨天",
    "report_amount": "跳过", "problem": "没有营业执照，售卖过期的盒饭", "violation": "无证经营",
    "evidence": "暂时都没有", "complainant_name": "李四", "complainant_phone": "010-12345678",
    "complainant_address": "北京市海淀区某某小区1号楼",
}


def test_a_report_has_no_demand_and_explains_the_15_working_days(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT)
    draft = chat.draft
    assert draft.finished
    asked = set(draft.answers)
    assert not asked & {"demands", "compensation", "theme", "contacted", "for_whom"}
    assert "15 个工作日" in section(chat, "next_steps")
    assert "投诉" in section(chat, "next_steps")
    text = section(chat, "text")
    assert "举报内容" in text and "无证经营" in text and "请依法核查处理" in text
    rows = {row.label: row.value for row in chat.sheet.rows}
    assert rows["被举报方名称"] == "某某小饭馆"
    assert chat.sheet.sections[-1].key == "fraud"


def understand_finance(text: str, today: date) -> Insight:
    return Insight(out_of_scope=Referral("finance", ("贷款",)))


def test_out_of_scope_matter_is_flagged_early_and_in_the_draft(make_chat) -> None:
    chat = make_chat(understand=understand_finance)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "为本人投诉", "narrative": "网贷公司乱收利息还暴力催收，我要投诉他们"})
    assert "12378" in chat.text and "国家金融监督管理总局" in chat.text
    chat.press(chat.t("scope.stop"))
    assert chat.mode == "idle" and chat.draft.answers["narrative"]
    chat.say("继续")
    assert chat.field == "business_name", "the user may go on if they insist"


def understand_shoes(text: str, today: date) -> Insight:
    return Insight(
        themes=(ThemeScore("quality", 0.82, ("开胶",)), ThemeScore("after_sales", 0.3, ("不给退",))),
        one_tap=True, theme_shortlist=("quality",),
        facts={
            "purchase_date": Fact(date(2025, 10, 1), 0.9),
            "amount": Fact(1299.0, 0.95),
            "store_name": Fact("耐克三里屯店", 0.7),  # not sure: offered, not pre-ticked
            "channel": Fact("store", 0.9),
            "district": Fact("朝阳区", 0.9),
            "demands": Fact(["return_refund"], 0.9),
            "contacted": Fact(True, 0.9),
            "platform": Fact("淘宝", 0.2),  # too unsure to offer
        },
    )


def test_facts_from_the_account_are_confirmed_not_asked(make_chat) -> None:
    chat = make_chat(understand=understand_shoes)
    complaint(chat, until="district",
              narrative="10月1号在三里屯那家耐克买的鞋1299，穿了两天就开胶了，客服不给退")
    confirmed = {}
    for field in ("district", "channel"):
        assert chat.field == field
        assert "我从你的描述里看到" in chat.text
        chat.press("✓ 对")
        confirmed[field] = chat.draft.answers[field]
    assert confirmed == {"district": "北京市朝阳区", "channel": "store"}
    assert chat.field == "store_name", "an unsure guess is offered, not pre-ticked"
    assert chat.t("question.maybe", value="耐克三里屯店") in chat.text
    assert "是「耐克三里屯店」" in chat.option_labels() and not any(
        label.startswith("✓") for label in chat.option_labels())
    chat.say("对")  # the user checked it and says yes
    assert chat.draft.answers["store_name"] == "耐克三里屯店"
    chat.fill(SHOES, until="purchase_date")
    assert chat.field == "purchase_date" and "2025年10月1日" in chat.text
    chat.say("对")
    assert chat.field == "amount" and "1299元" in chat.option_labels()[0]
    chat.press("✓ 对")
    assert chat.field == "problem"
    chat.press("✓ 对")
    assert chat.field == "theme"
    assert "依据：开胶" in chat.text
    assert chat.option_labels()[0] == chat.t("option.use_suggested", value="商品质量")
    chat.press("✓ 对")
    assert chat.draft.answers["theme"] == "quality"
    assert chat.field == "contacted"
    chat.press("✓ 对")
    assert chat.field == "contact_result"
    chat.say("客服说穿过了不能退")
    assert chat.field == "demands"
    chat.press("✓ 对")
    assert chat.draft.answers["demands"] == ["return_refund"]
    assert "platform" not in chat.draft.suggestions


def test_multi_select_by_buttons(chat: Chat) -> None:
    complaint(chat, until="demands")
    chat.press(chat.t("option.done"))
    assert chat.t("error.pick_one") in chat.text
    chat.press("换货")
    chat.press("其他")
    chat.press("✓ 其他")  # pressing again unpicks
    assert chat.state.picked == ["exchange"]
    chat.press(chat.t("option.done"))
    assert chat.draft.answers["demands"] == ["exchange"]
    assert chat.field == "evidence"
    chat.press(chat.t("option.no_evidence"))
    assert chat.draft.answers["evidence"] == []
    assert "证据是投诉成败的关键" in chat.text


def test_profile_is_offered_for_the_next_draft(chat: Chat) -> None:
    complaint(chat)
    assert chat.session.profile["complainant_name"] == "张三"
    complaint(chat, until="reuse_profile", demands="换货")
    assert chat.field == "reuse_profile"
    assert "张三" in chat.text and "13812345678" in chat.text and "不会发给任何人" in chat.text
    chat.press(chat.t("reuse_profile.yes"))
    assert chat.draft.finished
    assert chat.draft.answers["complainant_phone"] == "13812345678"


def test_a_typo_in_a_multi_select_keeps_what_was_ticked(chat: Chat) -> None:
    complaint(chat, until="demands")
    chat.press("换货")
    chat.say("那个啥")
    assert chat.t("error.choose_from_options")[:6] in chat.text
    assert chat.state.picked == ["exchange"], "the tick survives a typo"


def test_a_typed_answer_adds_to_what_was_ticked(chat: Chat) -> None:
    complaint(chat, until="demands")
    chat.press("换货")
    chat.say("赔偿")
    assert chat.draft.answers["demands"] == ["exchange", "compensation"]
    assert chat.field == "compensation"


def profile_then_report(chat: Chat) -> None:
    from test_navigation import ANSWERS

    chat.say("/new")
    chat.fill({**ANSWERS, "complainant_phone": "13601128899"})
    chat.say("/new")
    chat.fill(REPORT, until="reuse_profile")
    assert chat.field == "reuse_profile", chat.text


def test_a_reporter_may_keep_only_the_known_phone(chat: Chat) -> None:
    profile_then_report(chat)
    chat.say("那就只留个电话吧")
    answers = chat.draft.answers
    assert answers["complainant_phone"] == "13601128899", chat.text
    assert "complainant_name" not in answers and "complainant_address" not in answers
    assert chat.field is None, "nothing more to ask"
    assert chat.session.profile["complainant_name"] == "王五", "the name known is not forgotten"


def test_a_reporter_who_leaves_out_the_name_gives_the_known_phone_by_its_start(chat: Chat) -> None:
    profile_then_report(chat)
    chat.say("不留名字行吗 怕他们报复")
    assert chat.field == "complainant_phone", chat.text
    assert "complainant_name" not in chat.draft.answers
    chat.say("还是那个136的")
    assert chat.draft.answers["complainant_phone"] == "13601128899", chat.text
    assert "13601128899" in chat.text, "said which phone"
