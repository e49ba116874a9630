"""Answers to the legal questions users ask in the middle of the interview (side_answers)."""

from __future__ import annotations

from datetime import date

import pytest

from flows.advice import build_case, render, side_answers
from flows.catalog import Catalog

TODAY = date(2026, 11, 28)


def answer(text: str, kind: str = "complaint", **answers: object) -> list[str]:
    case = build_case({"narrative": "买的东西有问题", **answers}, None, kind, TODAY)
    return [item.key for item in side_answers(text, case)]


@pytest.mark.parametrize(("text", "key"), [
    ("我这种情况能要三倍吗", "advice.fraud.triple"),
    ("能赔十倍吗", "advice.food.compensation"),
    ("要先找律师吗", "advice.side.lawyer"),
    ("过了质保期还能投诉吗", "advice.side.warranty"),
    ("会不会被报复", "advice.side.retaliation_complaint"),
    ("多久有结果", "advice.side.timeline_complaint"),
    ("能赔多少", "advice.side.how_much"),
    ("这算诈骗吗", "advice.side.police"),
    ("要报警吗", "advice.side.police"),
    ("尾款26000我能不能先不给了", "advice.side.withhold"),
    ("退钱 你帮我算算应该退多少", "advice.side.how_much"),
    ("这个能要吗", "advice.side.how_much"),
    ("是填公司的区还是我家的区？装的是我家 在朝阳劲松", "advice.side.which_district"),
    ("对的 过了7天就不能退了吗？", "advice.side.seven_days"),
    ("7天包退15天包换不是吗？他们凭啥只给修", "advice.side.sanbao"),
    ("修了两次还不好能要求退吗", "advice.side.repaired_again"),
    ("美容院卡上写着概不退款 这合法吗", "advice.side.no_refund_clause"),
])
def test_each_question_gets_its_answer(text: str, key: str) -> None:
    assert answer(text) == [key]


def test_a_report_gets_the_reports_answers() -> None:
    assert answer("多久有结果？", "report") == ["advice.side.timeline_report"]
    assert answer("会不会被报复", "report") == ["advice.report.identity_worry"]


def test_with_a_price_the_sum_is_computed(catalog: Catalog) -> None:
    case = build_case({"narrative": "收到的是假货", "amount": 399.0}, None, "complaint", TODAY)
    items = side_answers("我这种情况能要三倍吗", case)
    assert [item.key for item in items] == ["advice.fraud.triple", "advice.fraud.triple_sum"]
    assert items[1].params == {"price": "399", "sum": "1197"}
    food = build_case({"narrative": "外卖吃出虫子", "amount": 56.0}, None, "complaint", TODAY)
    sentences = render(side_answers("能赔十倍吗", food), catalog)
    assert "1000 元" in sentences[-1] and "56 元" in sentences[-1]


def test_ordinary_answers_ask_nothing() -> None:
    for text in ("要求退货退款", "在京东买的手机", "我要求三倍赔偿", "去年买的，质保期一年", "律师费200元",
                 "商家说不能退", "我已经报警了", "退款", "尾款已经付清了", "要求退还剩余费用",
                 "卡上写了概不退款", "修了两次了还是不制冷"):
        assert answer(text) == [], text


def test_two_questions_in_one_reply_get_two_answers() -> None:
    assert answer("要找律师吗？多久有结果") == ["advice.side.lawyer", "advice.side.timeline_complaint"]


def test_the_answers_quote_the_domain_figures(catalog: Catalog) -> None:
    timeline = catalog.text("advice.side.timeline_complaint")
    assert "7 个工作日" in timeline and "60 天" in timeline
    assert "15 个工作日" in catalog.text("advice.side.timeline_report")
    lawyer = catalog.text("advice.side.lawyer")
    assert "调解" in lawyer and "起诉" in lawyer and "仲裁" in lawyer


def test_how_much_comes_back_from_a_closed_course_is_computed_from_the_lessons(
        catalog: Catalog) -> None:
    """"钱能要回来吗" after a course that closed: the unused lessons' share, and the police."""
    case = build_case({"narrative": "三月份给闺女报的英语课 一共四十八节课 上了十四节 十月份机构就关门了",
                       "amount": 12800.0}, None, "complaint", TODAY)
    items = side_answers("钱能要回来吗", case)
    assert [item.key for item in items] == [
        "advice.prepaid.refund_balance", "advice.prepaid.balance_sum", "advice.side.business_gone"]
    assert items[1].params == {"remaining": "34", "each": "266.67", "total": "9066.67"}
    assert "110" in render(items, catalog)[-1]
    # an owner who ran off gets the police advice of its own rule, not this line as well
    vanished = build_case({"narrative": "报的英语课 十月份老板就跑路了"}, None, "complaint", TODAY)
    assert "advice.side.business_gone" not in [
        item.key for item in side_answers("钱能要回来吗", vanished)]


def test_how_much_in_a_report_says_a_report_brings_no_refund() -> None:
    assert answer("能赔多少", "report") == ["advice.side.how_much_report"]


def test_deceit_short_of_a_crime_gets_the_triple_beside_the_police_answer() -> None:
    """"说是原装的其实是翻新的" and "这算诈骗不": the 三倍 of 第五十五条, the shop being there."""
    keys = answer("这算诈骗不 能报警不", narrative="换了个手机屏 说是原装的其实是翻新的 一周就黑屏了")
    assert keys == ["advice.side.police", "advice.fraud.triple"]
    assert answer("要报警吗", narrative="健身房关门了 老板跑路了") == ["advice.side.police"]
