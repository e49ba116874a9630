"""The rules the finished draft must follow: the 400-character box, warnings, proportion, 举报."""

from __future__ import annotations

from datetime import date

from conftest import Chat

from flows.draft import TEXT_BOX_LIMIT
from flows.insight import Fact, Insight, Referral, ThemeScore


def complaint(chat: Chat, *, narrative: str = "买的鞋子开胶了，商家不给退换，要求退货退款",
              day: str = "2025年10月1日", problem: str = "右鞋鞋面开胶",
              demands: str = "退货退款", compensation: str | None = None,
              theme: str = "商品质量", amount: str = "1299") -> None:
    answers = ["/new", "投诉", "为本人投诉", narrative, "北京某某体育用品有限公司",
               "北京市朝阳区三里屯路19号", "跳过", "朝阳区", "在实体店买的", "某某品牌北京三里屯店",
               "运动鞋", day, amount, problem, theme, "还没联系", demands]
    if compensation:
        answers.append(compensation)
    answers += ["购物凭证", "张三", "13812345678", "北京市朝阳区某某小区3号楼2单元501"]
    for answer in answers:
        chat.say(answer)
        if chat.session.dialog.pending:
            chat.press(chat.t("option.keep"))


def section(chat: Chat, name: str) -> str:
    return next(r.text for r in chat.replies if r.section == name)


def test_a_long_account_is_cut_to_the_box_and_kept_whole(chat: Chat) -> None:
    long_problem = "穿了两天右鞋鞋面就开胶了，" + "鞋底也有裂纹，走路时会进水，" * 60
    complaint(chat, problem=long_problem)
    assert chat.draft.finished
    short = section(chat, "text").split("\n", 1)[1]
    full = section(chat, "full_text").split("\n", 1)[1]
    assert len(short) <= TEXT_BOX_LIMIT
    assert f"共 {len(short)} 字" in section(chat, "text")
    assert short.startswith("我于2025年10月1日") and "现要求商家退货退款" in short
    assert len(full) > TEXT_BOX_LIMIT and long_problem[:200] in full
    assert all(len(r.text) <= 4000 for r in chat.replies)


def test_more_than_two_years_is_advice(chat: Chat) -> None:
    complaint(chat, day="2024年6月1日")
    assert chat.t("warning.over_two_years") in section(chat, "warnings")


def test_more_than_three_years_needs_confirmation_and_warns(chat: Chat) -> None:
    chat.say("/new")
    for answer in ("投诉", "为本人投诉", "买的鞋子开胶了，商家不给退换", "北京某某体育用品有限公司",
                   "北京市朝阳区三里屯路19号", "跳过", "朝阳区", "在实体店买的", "某某品牌北京三里屯店",
                   "运动鞋", "2022年10月1日"):
        chat.say(answer)
    assert "超过三年" in chat.text and chat.field == "purchase_date"
    assert "purchase_date" not in chat.draft.answers
    chat.press(chat.t("option.keep"))
    assert chat.draft.answers["purchase_date"] == "2022-10-01"
    assert chat.field == "amount"


def test_out_of_proportion_compensation_is_questioned_gently(chat: Chat) -> None:
    complaint(chat, demands="退货退款、赔偿", compensation="精神损失费10000元")
    assert chat.draft.finished
    check = section(chat, "check")
    assert chat.t("key.reasonable_fix") in check


def test_compensation_warning_names_the_legal_measure(chat: Chat) -> None:
    chat.say("/new")
    for answer in ("投诉", "为本人投诉", "买的鞋子开胶了，商家不给退换", "北京某某体育用品有限公司",
                   "北京市朝阳区三里屯路19号", "跳过", "朝阳区", "在实体店买的", "某某品牌北京三里屯店",
                   "运动鞋", "2025年10月1日", "1299", "鞋面开胶", "商品质量", "还没联系",
                   "赔偿", "赔偿10000元"):
        chat.say(answer)
    assert "三倍" in chat.text and "500" in chat.text and "3897" in chat.text
    chat.press(chat.t("option.change"))
    chat.say("交通费200元")
    assert chat.draft.answers["compensation"] == {"amount": 200.0, "detail": "交通费"}


def test_food_compensation_uses_the_food_safety_measure(chat: Chat) -> None:
    chat.say("/new")
    for answer in ("投诉", "为本人投诉", "在超市买的牛奶过期了，喝了拉肚子", "北京某某超市有限公司",
                   "北京市西城区某某路3号", "跳过", "西城区", "在实体店买的", "某某超市西单店",
                   "牛奶", "昨天", "50", "牛奶已过保质期", "食品安全", "还没联系",
                   "赔偿", "5000元"):
        chat.say(answer)
    assert "十倍" in chat.text and "1000" in chat.text


def test_a_report_has_no_demand_and_explains_the_15_working_days(chat: Chat) -> None:
    for answer in ("/new", "举报", "楼下小饭馆没有营业执照，还在卖过期食品", "某某小饭馆",
                   "北京市海淀区中关村大街1号", "跳过", "海淀区", "在实体店买的", "某某小饭馆",
                   "盒饭", "昨天", "跳过", "没有营业执照，售卖过期的盒饭", "无证经营",
                   "暂时都没有", "李四", "010-12345678", "北京市海淀区某某小区1号楼"):
        chat.say(answer)
    draft = chat.draft
    assert draft.finished
    asked = set(draft.answers)
    assert not asked & {"demands", "compensation", "theme", "contacted", "for_whom"}
    assert "15 个工作日" in section(chat, "next_steps")
    assert "投诉" in section(chat, "next_steps")
    text = section(chat, "text")
    assert "举报内容" in text and "无证经营" in text and "请依法核查处理" in text
    assert "被举报方名称：某某小饭馆" in section(chat, "fields")
    assert chat.replies[-1].section == "fraud"


def understand_finance(text: str, today: date) -> Insight:
    return Insight(out_of_scope=Referral("finance", ("贷款",)))


def test_out_of_scope_matter_is_flagged_early_and_in_the_draft(make_chat) -> None:
    chat = make_chat(understand=understand_finance)
    for answer in ("/new", "投诉", "为本人投诉", "网贷公司乱收利息还暴力催收，我要投诉他们"):
        chat.say(answer)
    assert "12378" in chat.text and "国家金融监督管理总局" in chat.text
    chat.press(chat.t("scope.stop"))
    assert chat.session.dialog.mode == "idle" and chat.draft.answers["narrative"]
    chat.say("继续")
    assert chat.field == "business_name", "the user may go on if they insist"


def understand_shoes(text: str, today: date) -> Insight:
    return Insight(
        themes=(ThemeScore("quality", 0.82, ("开胶",)), ThemeScore("after_sales", 0.3, ("不给退",))),
        facts={
            "purchase_date": Fact(date(2025, 10, 1), 0.9),
            "amount": Fact(1299.0, 0.95),
            "store_name": Fact("耐克三里屯店", 0.7),
            "channel": Fact("store", 0.8),
            "district": Fact("朝阳区", 0.8),
            "demands": Fact(["return_refund"], 0.8),
            "contacted": Fact(True, 0.7),
            "platform": Fact("淘宝", 0.2),  # too unsure to offer
        },
    )


def test_facts_from_the_account_are_confirmed_not_asked(make_chat) -> None:
    chat = make_chat(understand=understand_shoes)
    for answer in ("/new", "投诉", "为本人投诉",
                   "10月1号在三里屯那家耐克买的鞋1299，穿了两天就开胶了，客服不给退",
                   "北京某某体育用品有限公司", "北京市朝阳区三里屯路19号", "跳过"):
        chat.say(answer)
    confirmed = {}
    for field in ("district", "channel", "store_name"):
        assert chat.field == field
        assert "我从你的描述里看到" in chat.text
        chat.press("✓ 对")
        confirmed[field] = chat.draft.answers[field]
    assert confirmed == {"district": "北京市朝阳区", "channel": "store", "store_name": "耐克三里屯店"}
    chat.say("运动鞋")
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
    complaint_start = ["/new", "投诉", "为本人投诉", "买的鞋子开胶了，商家不给退换", "北京某某体育用品有限公司",
                       "北京市朝阳区三里屯路19号", "跳过", "朝阳区", "在实体店买的", "某某品牌北京三里屯店",
                       "运动鞋", "2025年10月1日", "1299", "鞋面开胶", "商品质量", "还没联系"]
    for answer in complaint_start:
        chat.say(answer)
    assert chat.t("note.contact_first")[:10] not in chat.text or chat.field == "demands"
    chat.press(chat.t("option.done"))
    assert chat.t("error.pick_one") in chat.text
    chat.press("换货")
    chat.press("其他")
    chat.press("✓ 其他")  # pressing again unpicks
    assert chat.session.dialog.picked == ["exchange"]
    chat.press(chat.t("option.done"))
    assert chat.draft.answers["demands"] == ["exchange"]
    assert chat.field == "evidence"
    chat.press(chat.t("option.no_evidence"))
    assert chat.draft.answers["evidence"] == []
    assert "证据是投诉成败的关键" in chat.text


def test_profile_is_offered_for_the_next_draft(chat: Chat) -> None:
    complaint(chat)
    assert chat.session.profile["complainant_name"] == "张三"
    complaint_start = ["/new", "投诉", "为本人投诉", "买的鞋子开胶了，商家不给退换", "北京某某体育用品有限公司",
                       "北京市朝阳区三里屯路19号", "跳过", "朝阳区", "在实体店买的", "某某品牌北京三里屯店",
                       "运动鞋", "2025年10月1日", "1299", "鞋面开胶", "商品质量", "还没联系", "换货",
                       "购物凭证", "选好了"]
    for answer in complaint_start:
        chat.say(answer)
    assert chat.field == "reuse_profile"
    assert "张三" in chat.text and "13812345678" in chat.text and "不会发给任何人" in chat.text
    chat.press(chat.t("reuse_profile.yes"))
    assert chat.draft.finished
    assert chat.draft.answers["complainant_phone"] == "13812345678"
