"""The finished draft says each piece of advice once, fits it to what the user already did,
and names the user's own evidence (advice issue 2 and 3)."""

from __future__ import annotations

import copy
from datetime import date

from conftest import Chat
from test_draft_rules import complaint

from flows.advice import advice_for, build_case
from flows.draft import render

MILK = {"narrative": "在超市买的牛奶过期了，喝了拉肚子", "product": "牛奶", "purchase_date": "昨天",
        "amount": "50", "problem": "牛奶已过保质期", "theme": "食品安全", "demands": "赔偿",
        "compensation": "500元"}


def whole(chat: Chat) -> str:
    from flows.draft import sheet_text

    return sheet_text(chat.sheet, chat.catalog)


def test_the_food_measure_is_explained_once(chat: Chat) -> None:
    complaint(chat, **MILK)
    assert chat.draft.finished
    text = whole(chat)
    assert text.count("十倍") == 1, text
    assert "1000 元" in chat.sheet.section("check").body
    assert "十倍" not in chat.sheet.section("advice").body


def test_without_a_compensation_demand_the_advice_explains_it_once(chat: Chat) -> None:
    complaint(chat, **{**MILK, "demands": "退货退款"})
    text = whole(chat)
    assert text.count("十倍") == 1 and "1000 元" in chat.sheet.section("advice").body, text


def test_medical_records_are_mentioned_once(chat: Chat) -> None:
    complaint(chat, **MILK)
    assert chat.sheet.section("advice").body.count("病历") == 1


def test_a_user_who_saw_a_doctor_is_told_to_keep_the_records(make_chat) -> None:
    for said in ("吃了拉肚子，去社区医院看了", "喝了拉肚子，已经去医院看过了"):
        chat = make_chat()
        complaint(chat, **{**MILK, "narrative": f"在超市买的牛奶过期了，{said}"})
        advice = chat.sheet.section("advice").body
        assert "请保存好病历和医药费票据" in advice, advice
        assert "请先去医院" not in advice


def test_a_user_who_did_not_see_a_doctor_is_still_told_to() -> None:
    for said in ("喝了拉肚子", "喝了拉肚子，还没去医院看过"):
        case = build_case({"narrative": said, "theme": "food_safety"}, None, "complaint",
                          date(2026, 11, 28))
        keys = [item.key for item in advice_for(case, "draft")]
        assert "advice.health.see_doctor" in keys and "advice.health.keep_records" not in keys


def test_three_kinds_of_evidence_bring_the_pdf_tip() -> None:
    today = date(2026, 11, 28)
    many = build_case({"narrative": "鞋子开胶", "evidence": ["receipt", "photos", "messages"]},
                      None, "complaint", today)
    few = build_case({"narrative": "鞋子开胶", "evidence": ["receipt", "photos"]},
                     None, "complaint", today)
    for moment in ("evidence_question", "draft"):
        assert "advice.evidence.combine_pdf" in [a.key for a in advice_for(many, moment)]
        assert "advice.evidence.combine_pdf" not in [a.key for a in advice_for(few, moment)]


def test_the_pdf_tip_is_in_the_draft(chat: Chat) -> None:
    complaint(chat, evidence="购物凭证")
    draft = copy.deepcopy(chat.draft)
    draft.answers["evidence"] = ["receipt", "photos", "messages"]
    sheet = render(draft, chat.catalog, chat.ctx.today)
    assert "PDF" in sheet.section("advice").body


def test_the_users_own_evidence_replaces_the_generic_example(chat: Chat) -> None:
    complaint(chat, evidence="购物凭证")
    draft = copy.deepcopy(chat.draft)
    draft.answers["evidence"] = ["receipt", "other"]
    generic = chat.t("evidence_hint.other")
    assert generic in render(draft, chat.catalog, chat.ctx.today).section("evidence").body
    draft.answers["evidence_items"] = ["医院的票", "检测报告"]
    body = render(draft, chat.catalog, chat.ctx.today).section("evidence").body
    assert "医院的票、检测报告" in body and generic not in body


def test_a_question_in_the_account_and_the_accounts_advice_say_each_thing_once(make_chat) -> None:
    """"…跑路了 钱能要回来吗" as the account: the answer and the account's advice do not both say
    the refund rule, and an account told again later does not bring the advice back."""
    from flows.understanding import analyze

    chat: Chat = make_chat(understand=analyze)
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "为本人投诉"})
    chat.say("三月份在小蓝鲸英语给闺女报的课 交了九千八 后来又续了三千 一共四十八节课 上了十四节 "
             "十月份他们就跑路了 钱能要回来吗")
    refund_rule = chat.t("advice.prepaid.refund_balance")
    assert chat.text.count(refund_rule) == 1, chat.text
    assert chat.text.count("110") == 1, chat.text
    chat.say("我闺女才六岁 老师其实挺好的 就是机构跑了 前台说等通知 十月份关门的")  # more account
    assert refund_rule not in chat.text and "110" not in chat.text, chat.text
