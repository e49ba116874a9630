"""A 举报 is worded as a report from its questions to its finished draft: no 投诉稿, no
投诉编号, no 投诉成败, no 投诉人; a reporter who leaves no phone is told what that means,
not that the number is wrong."""

from __future__ import annotations

from conftest import Chat
from test_draft_rules import REPORT, SHOES

from flows.advice import worries_about_identity

COMPLAINT_WORDS = ("投诉稿", "投诉编号", "投诉成败", "投诉人")


def test_a_reports_questions_use_report_wording(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT, until="evidence")
    assert chat.field == "evidence"
    asked = chat.text
    assert not [word for word in COMPLAINT_WORDS if word in asked], asked
    chat.fill(REPORT, until="complainant_name")
    asked = chat.text
    assert not [word for word in COMPLAINT_WORDS if word in asked], asked


def test_a_finished_report_uses_report_wording(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT)
    assert chat.draft.finished
    said = chat.draft_text
    assert not [word for word in COMPLAINT_WORDS if word in said], said
    assert "举报" in chat.sheet.document.filename


def test_a_reporter_without_a_phone_is_told_what_it_means_not_that_it_is_wrong(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**REPORT, "complainant_phone": "跳过", "complainant_address": "跳过"})
    assert chat.draft.finished, chat.text
    check = chat.section("check")
    assert chat.t("key.reachable_fix") not in check
    assert chat.t("key.reachable_none_report") in check
    assert "立案" in chat.t("key.reachable_none_report")


def test_a_complaint_keeps_its_own_wording(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(SHOES)
    assert chat.draft.finished
    assert "投诉" in chat.sheet.document.filename
    assert chat.t("key.reachable_none_report") not in chat.section("check")


def test_a_report_asks_for_what_was_seen_not_for_a_receipt(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT)
    evidence = chat.section("evidence")
    assert chat.t("evidence.receipt") not in evidence
    assert chat.t("evidence_hint.photos_report") in evidence
    assert chat.t("advice.section_title_report") in chat.draft_text
    assert chat.t("advice.section_title") not in chat.draft_text


def test_a_complaint_still_asks_for_the_receipt(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**SHOES, "evidence": "暂时都没有"})
    assert chat.t("evidence.receipt") in chat.section("evidence")


def test_what_a_reporter_hears_about_their_identity_is_only_what_the_domain_notes_state(
        chat: Chat) -> None:
    # DOMAIN.md §11: a report may be made without a name; only a reporter who leaves contact
    # details is told whether a case is opened. Nothing about who else learns the name.
    for key in ("reply.error.name_refused_report", "advice.report.identity_worry",
                "advice.report.anonymity", "field.complainant_name.hint_report"):
        text = chat.t(key)
        assert "不会告诉" not in text and "保密" not in text, key
    assert "不留姓名" in chat.t("reply.error.name_refused_report")
    assert "立案" in chat.t("advice.report.identity_worry")


def test_a_worry_about_identity_is_recognised() -> None:
    assert worries_about_identity("会不会被店家知道是我举报的")
    assert worries_about_identity("我怕老板报复")
    assert not worries_about_identity("王小明")
    assert not worries_about_identity("李四")


def test_a_reporter_worried_at_the_name_question_gets_an_answer(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT, until="complainant_name")
    chat.say("会不会被店家知道是我举报的")
    assert "complainant_name" not in chat.draft.answers
    assert chat.t("reply.error.name_refused_report") in chat.text


def test_a_reporter_whose_account_says_they_bought_nothing_is_not_asked_how_they_bought(
        chat: Chat) -> None:
    chat.say("/new")
    chat.fill({"kind": "举报"})
    chat.say("昨天中午路过茶小满，看到店员往奶茶里加过期的奶油，我没在那买过")
    assert chat.t("reply.note.not_a_buyer_account") in chat.text
    asked = chat.fill({**REPORT, "product": "奶茶", "purchase_date": "昨天"})
    assert chat.draft.finished
    assert not {"channel", "store_name", "report_amount"} & set(asked), asked
    assert {"product", "purchase_date"} <= set(asked), "what and when still matter to a report"
    text = chat.sheet.section("text").body
    assert "购买当天" not in text and "购买" not in text.split("。")[0], text


def test_not_a_buyer_said_at_a_purchase_question_skips_only_the_buying_ones(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT, until="channel")
    chat.say("没买 就路过看到的")
    asked = chat.fill(REPORT)
    assert chat.draft.finished
    assert "store_name" not in asked and "report_amount" not in asked
    assert "product" in asked and "purchase_date" in asked


def test_a_reports_edit_menu_offers_the_report_not_a_complaint(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT)
    chat.say("修改")
    assert chat.t("option.show_draft_report") in chat.option_labels()
    assert not [label for label in chat.option_labels() if "投诉稿" in label]
    number = next(line.split(".")[0] for line in chat.text.splitlines()
                  if line.split(".")[0].isdigit()
                  and chat.t("field.product.label_report") in line)
    chat.say(f"{number} 某某牌牛奶")
    assert chat.option_labels() == [chat.t("option.edit_more"), chat.t("option.show_draft_report")]
