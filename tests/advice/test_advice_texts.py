"""The advice texts: every key a rule names exists with exactly the placeholders it fills,
the sums follow the law's multiples and minimums, and no article number is quoted that the
domain notes do not state."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from flows.advice import RULES, advice_for, build_case, draft_section, render, superseded, wants_anonymity
from flows.advice.cues import cue_patterns
from flows.catalog import Catalog

TODAY = date(2026, 11, 28)
ADVICE_TOML = Path(__file__).resolve().parents[2] / "locale" / "zh_CN" / "advice.toml"
# The article numbers DOMAIN.md states (§2, §3, §11); any other would be unverified.
STATED_ARTICLES = {"第十九条", "第二十二条", "第二十三条", "第二十四条", "第二十五条", "第四十四条",
                   "第四十六条", "第四十九条", "第五十五条", "第一百四十八条"}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_a_rule_says_exists_with_the_placeholders_it_fills(catalog: Catalog) -> None:
    for rule in RULES:
        assert rule.source.startswith("§"), rule.id
        for line in rule.say:
            assert catalog.has(line.key), (rule.id, line.key)
            # text() without params gives the template itself
            assert placeholders(catalog.text(line.key)) == set(line.params), line.key


def test_only_stated_article_numbers_are_quoted() -> None:
    quoted = set(re.findall(r"第[一二三四五六七八九十百零]+条", ADVICE_TOML.read_text(encoding="utf-8")))
    assert quoted <= STATED_ARTICLES, quoted - STATED_ARTICLES


# DOMAIN.md §3 marks the 三包 rules' force unverified: texts about them give advice, not law.
UNVERIFIED_RULES = ("三包",)
LAW_WORDING = ("规定", "依法", "法律", "应当")


def test_rules_of_unverified_force_are_phrased_as_advice() -> None:
    texts = re.findall(r'^\S+ = "(.*)"$', ADVICE_TOML.read_text(encoding="utf-8"), flags=re.M)
    about_them = [text for text in texts if any(rule in text for rule in UNVERIFIED_RULES)]
    assert about_them
    for text in about_them:
        assert not any(word in text for word in LAW_WORDING), text


def test_the_food_rule_states_1000_yuan_as_a_minimum_not_a_cap(catalog: Catalog) -> None:
    for key in ("advice.food.compensation", "warn.compensation_food"):
        text = catalog.text(key)
        assert "十倍" in text and "三倍" in text and "最低 1000 元" in text, key
        assert "最多" not in text, key


def advice_keys(answers: dict, moment: str, kind: str = "complaint") -> dict[str, dict]:
    case = build_case({"kind": kind, **answers}, None, kind, TODAY)
    return {item.key: dict(item.params) for item in advice_for(case, moment)}


@pytest.mark.parametrize(("price", "expected"), [(56.0, "1000"), (150.0, "1500"), (99.5, "1000")])
def test_food_compensation_is_ten_times_the_price_with_a_1000_yuan_floor(price, expected) -> None:
    shown = advice_keys({"narrative": "外卖里吃出了虫子", "theme": "food_safety", "amount": price},
                        "demand_question")
    assert shown["advice.food.compensation_sum"]["sum"] == expected


@pytest.mark.parametrize(("price", "expected"), [(99.0, "500"), (399.0, "1197"), (166.5, "500")])
def test_fraud_compensation_is_three_times_the_price_with_a_500_yuan_floor(price, expected) -> None:
    shown = advice_keys({"narrative": "收到的是假货", "theme": "false_ad", "amount": price},
                        "demand_question")
    assert shown["advice.fraud.triple_sum"]["sum"] == expected


def test_without_a_price_the_rule_gives_its_general_line_only() -> None:
    shown = advice_keys({"narrative": "收到的是假货", "theme": "false_ad"}, "demand_question")
    assert "advice.fraud.triple" in shown and "advice.fraud.triple_sum" not in shown


@pytest.mark.parametrize(("narrative", "amount", "expected"), [
    ("办了20次的美容卡，做了5次店就关门了，还剩15次", 3000.0, ("15", "150", "2250")),
    ("健身房跑路了，私教课每节300元，还剩下十节", None, ("10", "300", "3000")),
])
def test_unused_balance_is_remaining_sessions_times_price(narrative, amount, expected) -> None:
    answers = {"narrative": narrative, **({"amount": amount} if amount else {})}
    shown = advice_keys(answers, "demand_question")
    params = shown["advice.prepaid.balance_sum"]
    assert (params["remaining"], params["each"], params["total"]) == expected
    assert "advice.prepaid.balance_how" not in shown


def test_unused_balance_unknown_explains_how_to_compute_it() -> None:
    shown = advice_keys({"narrative": "办的美容卡还能用，店突然关门了", "amount": 5000.0}, "demand_question")
    assert "advice.prepaid.balance_how" in shown and "advice.prepaid.balance_sum" not in shown


def test_emergencies_come_first_and_every_advice_renders(catalog: Catalog) -> None:
    case = build_case({"kind": "complaint", "narrative": "在网上买的蛋白粉，说能治糖尿病，我妈吃了以后住院了，"
                       "付款后卖家就把我拉黑了", "channel": "online", "theme": "false_ad"},
                      None, "complaint", TODAY)
    shown = advice_for(case, "account_read")
    assert [item.rule_id for item in shown[:2]] == ["police.deceit", "health.see_doctor"]
    assert [item.priority for item in shown] == sorted(item.priority for item in shown)
    for moment in ("account_read", "evidence_question", "demand_question", "draft"):
        for sentence in render(advice_for(case, moment), catalog):
            assert sentence and "{" not in sentence


def test_an_unknown_moment_is_refused() -> None:
    with pytest.raises(ValueError):
        advice_for(build_case({}, None, "complaint", TODAY), "lunch")


def test_a_reporter_who_declines_to_give_a_name_is_recognised() -> None:
    assert wants_anonymity("不想留名")
    assert wants_anonymity("我想匿名")
    assert not wants_anonymity("王小明")


def test_a_malformed_cue_line_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "cues.tsv"
    broken.write_text("# comment\nname_without_pattern\n", encoding="utf-8")
    with pytest.raises(ValueError):
        cue_patterns(broken)


def test_advice_for_a_vanished_owner_replaces_talk_to_the_business_first(catalog: Catalog) -> None:
    case = build_case({"kind": "complaint", "narrative": "美容院关门了，老板跑了，卡里还有3000元"},
                      None, "complaint", TODAY)
    assert "note.contact_first" in superseded(advice_for(case, "account_read"))
    ordinary = build_case({"kind": "complaint", "narrative": "鞋子穿了两天就开胶了"}, None, "complaint", TODAY)
    assert superseded(advice_for(ordinary, "account_read")) == set()
    for rule in RULES:
        assert all(catalog.has(key) for key in rule.replaces), rule.id


def test_the_draft_section_is_titled_and_separate_from_the_complaint_text(catalog: Catalog) -> None:
    case = build_case({"kind": "complaint", "narrative": "外卖里吃出了虫子", "theme": "food_safety",
                       "amount": 56.0}, None, "complaint", TODAY)
    lines = draft_section(advice_for(case, "draft"), catalog)
    assert lines[0] == catalog.text("advice.section_title")
    assert any("1000" in line for line in lines[1:])
    empty = build_case({"kind": "complaint", "narrative": "鞋子开胶了"}, None, "complaint", TODAY)
    assert draft_section(advice_for(empty, "draft"), catalog) == []


def test_a_mixed_case_keeps_its_consumer_part() -> None:
    mixed = advice_keys({"narrative": "楼下饭店油烟很大，我上周在他家吃饭花了200元，菜里还有头发"},
                        "account_read", kind="report")
    assert {"advice.referral.city_12345", "advice.referral.keep_consumer_part"} <= set(mixed)
    city_only = advice_keys({"narrative": "楼下饭店的油烟每天都飘进我家"}, "account_read", kind="report")
    assert "advice.referral.city_12345" in city_only
    assert "advice.referral.keep_consumer_part" not in city_only


def test_a_rule_without_moments_or_words_is_refused() -> None:
    from flows.advice import Rule, Say
    from flows.advice.conditions import ALWAYS

    with pytest.raises(ValueError):
        Rule("broken", ("lunch",), ALWAYS, (Say("advice.line"),), priority=0, source="§11")
    with pytest.raises(ValueError):
        Rule("silent", ("draft",), ALWAYS, (), priority=0, source="§11")


def test_advice_already_shown_is_not_repeated_at_a_later_question_but_is_in_the_draft() -> None:
    case = build_case({"kind": "complaint", "narrative": "健身房跑路了，老板联系不上，年卡还剩半年"},
                      None, "complaint", TODAY)
    first = [item.key for item in advice_for(case, "account_read")]
    assert "advice.police.owner_vanished" in first
    later = [item.key for item in advice_for(case, "demand_question", already_shown=first)]
    assert "advice.police.owner_vanished" not in later
    assert "advice.police.owner_vanished" in [item.key for item in advice_for(case, "draft")]


@pytest.mark.parametrize(("narrative", "amount", "expected"), [
    ("去年办了健身房的两年会员，10月份突然关门了，才用了十个月", 4800.0, ("4800", "24", "14", "2800")),
    ("健身年卡，用了两个月健身房就倒闭了", 3600.0, ("3600", "12", "10", "3000")),
    ("瑜伽馆关门了，季卡还剩两个月", 900.0, ("900", "3", "2", "600")),
])
def test_a_time_based_card_is_refunded_by_the_unused_months(narrative, amount, expected) -> None:
    answers = {"narrative": narrative, **({"amount": amount} if amount else {})}
    shown = advice_keys(answers, "demand_question")
    params = shown["advice.prepaid.term_sum"]
    assert (params["price"], params["months"], params["left"], params["total"]) == expected
    assert not {"advice.prepaid.balance_sum", "advice.prepaid.balance_how",
                "advice.prepaid.balance_how_visits"} & set(shown)


@pytest.mark.parametrize(("narrative", "only"), [
    ("健身房跑路了，两年的会员卡才用了半年", "advice.prepaid.balance_how_time"),
    ("健身房跑路了，私教课还剩十节", "advice.prepaid.balance_how_visits"),
    ("健身房跑路了，会员卡里的钱没退", "advice.prepaid.balance_how"),
])
def test_the_refund_sum_explained_fits_the_kind_of_card(narrative, only, catalog: Catalog) -> None:
    hows = {"advice.prepaid.balance_how", "advice.prepaid.balance_how_time",
            "advice.prepaid.balance_how_visits"}
    shown = advice_keys({"narrative": narrative}, "demand_question")
    assert hows & set(shown) == {only}
    per_visit, per_month = "剩余次数", "没用的月数"
    text = catalog.text(only)
    assert (per_visit in text) is (only != "advice.prepaid.balance_how_time")
    assert (per_month in text) is (only != "advice.prepaid.balance_how_visits")


def test_a_video_sent_as_evidence_gets_the_size_advice() -> None:
    plain = build_case({"kind": "complaint", "narrative": "鞋子开胶了"}, None, "complaint", TODAY)
    with_video = build_case({"kind": "complaint", "narrative": "鞋子开胶了"}, None, "complaint",
                            TODAY, files=("photo", "video"))
    key = "advice.evidence.video_size"
    assert key not in {item.key for item in advice_for(plain, "evidence_question")}
    assert key in {item.key for item in advice_for(with_video, "evidence_question")}


def test_the_video_advice_states_the_upload_limits(catalog: Catalog) -> None:
    text = catalog.text("advice.evidence.video_size")
    assert "4 个文件" in text and "5MB" in text and "截图" in text and "压缩" in text


def test_a_reporter_who_bought_nothing_gets_no_purchase_advice_and_no_purchase_note() -> None:
    answers = {"narrative": "路过奶茶店，看到后厨在用过期的奶油", "violation": "food_safety"}
    keys = set(advice_keys(answers, "draft", kind="report"))
    assert "advice.report.evidence" in keys and "advice.food.keep_evidence" not in keys
    case = build_case({"kind": "report", **answers}, None, "report", TODAY)
    assert "note.no_evidence" in superseded(advice_for(case, "draft"))
