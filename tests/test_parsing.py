"""Readers of dates, sums, phone numbers and credit codes."""

from __future__ import annotations

from datetime import date

import pytest

from flows.amounts import read_amount
from flows.credit_code import CodeCheck, check_code, normalize_code
from flows.dates import read_when, stored_day
from flows.parsing import amount_without_number, parse_phone

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("text", "expected"), [
    ("2025年10月1日", date(2025, 10, 1)),
    ("2025-10-01", date(2025, 10, 1)),
    ("2025.10.1", date(2025, 10, 1)),
    ("2025/10/1", date(2025, 10, 1)),
    ("１０月１日", date(2026, 10, 1)),
    ("10月1号", date(2026, 10, 1)),
    ("12月1日", date(2025, 12, 1)),  # not yet this year: the latest past one
    ("11月28日", date(2026, 11, 28)),
    ("二〇二五年十月一日", date(2025, 10, 1)),
    ("十月一日", date(2026, 10, 1)),
    ("昨天", date(2026, 11, 27)),
    ("前天", date(2026, 11, 26)),
    ("大前天", date(2026, 11, 25)),
    ("3天前", date(2026, 11, 25)),
])
def test_dates(text: str, expected: date) -> None:
    when = read_when(text, TODAY)
    assert when is not None and (when.day, when.precision) == (expected, "day")


@pytest.mark.parametrize("text", ["那天", "2025年2月30日", "13月1日", ""])
def test_unreadable_dates(text: str) -> None:
    assert read_when(text, TODAY) is None


def test_tomorrow_is_read_so_it_can_be_refused_as_future() -> None:
    when = read_when("明天", TODAY)
    assert when is not None and when.day == date(2026, 11, 29) and when.future


@pytest.mark.parametrize(("text", "expected"), [
    ("1299", 1299.0), ("1,299.00", 1299.0), ("1299元", 1299.0), ("¥1299", 1299.0),
    ("￥1,299.50", 1299.5), ("１２９９", 1299.0), ("1.2万", 12000.0), ("一千二百九十九元", 1299.0), ("一千二", 1200.0),
    ("两百块", 200.0), ("共计 88.8 元", 88.8),
])
def test_amounts(text: str, expected: float) -> None:
    assert read_amount(text) == expected


def test_unreadable_amount() -> None:
    assert read_amount("很多钱") is None


def test_what_a_compensation_is_for() -> None:
    assert amount_without_number("交通费200元") == "交通费"
    assert amount_without_number("200") == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"), ("010-12345678", "010-12345678"),
    ("(010)12345678", "010-12345678"), ("010 12345678", "010-12345678"), ("0755-88886666转123", "0755-88886666-123"),
])
def test_phones(text: str, expected: str) -> None:
    assert parse_phone(text) == expected


@pytest.mark.parametrize("text", ["12812345678", "1381234567", "12345678", "abc", "400-123-4567"])
def test_bad_phones(text: str) -> None:
    assert parse_phone(text) is None


@pytest.mark.parametrize(("code", "result"), [
    ("91350200776049653A", CodeCheck.VALID),
    ("91440101MA5CJQ4N59", CodeCheck.VALID),
    ("91350100M000100Y43", CodeCheck.VALID),
    ("91350200776049653B", CodeCheck.CHECKSUM_FAILED),
    ("110105012345678", CodeCheck.REGISTRATION_NUMBER),
    ("9135020077604965IA", CodeCheck.MALFORMED),  # I is not in the charset
    ("91350200776049", CodeCheck.MALFORMED),
])
def test_credit_codes(code: str, result: CodeCheck) -> None:
    assert check_code(code) is result


def test_credit_code_is_normalized() -> None:
    assert normalize_code(" ９１３５０２００-776049653a ") == "91350200776049653A"


@pytest.mark.parametrize(("text", "expected"), [
    ("上周三", date(2026, 11, 18)),
    ("星期五", date(2026, 11, 27)),
    ("这周一", date(2026, 11, 23)),
    ("上个月15号", date(2026, 10, 15)),
    ("25年10月1日", date(2025, 10, 1)),  # not 2026: a two-digit year is a year
    ("双十一", date(2026, 11, 11)),
    ("去年双十一", date(2025, 11, 11)),
    ("618", date(2026, 6, 18)),
    ("10.11中午", date(2026, 10, 11)),
    ("2020.10.10报的名", date(2020, 10, 10)),
    ("2024年12月月5号", date(2024, 12, 5)),
    ("15号", date(2026, 11, 15)),
])
def test_dates_as_people_say_them(text: str, expected: date) -> None:
    when = read_when(text, TODAY)
    assert when is not None and (when.day, when.precision) == (expected, "day")


@pytest.mark.parametrize(("text", "value", "label"), [
    ("2025年10月", "2025-10", "month"),
    ("去年十月份", "2025-10", "month"),
    ("24年5月", "2024-05", "month"),
    ("年货节", "2026-01", "month"),
    ("大概2025年10月", "2025-10", "month"),
    ("2025-10-01", "2025-10-01", "day"),
])
def test_a_month_stays_a_month(text: str, value: str, label: str) -> None:
    when = read_when(text, TODAY)
    assert when is not None and when.value == value and when.precision == label
    assert stored_day(value).isoformat().startswith(value)


def test_festivals_and_weekdays_never_resolve_into_the_future() -> None:
    for text in ("双十二", "圣诞节", "星期日", "这周六", "元旦"):
        when = read_when(text, TODAY)
        assert when is not None and when.day <= TODAY and not when.future, text


def test_an_explicit_future_date_is_marked_so_the_reader_can_say_so() -> None:
    when = read_when("2027年1月1日", TODAY)
    assert when is not None and when.future


@pytest.mark.parametrize(("text", "expected"), [
    ("八百九十九", 899.0), ("两千五", 2500.0), ("2万8", 28000.0), ("4200块", 4200.0),
    ("4.2k", 4200.0), ("价格1037的", 1037.0), ("价值288元（2.2磅）", 288.0), ("苹果15 4200", 4200.0),
    ("商品699 运费10块", 699.0), ("九块九", 9.9),
])
def test_amounts_as_people_type_them(text: str, expected: float) -> None:
    assert read_amount(text) == expected


@pytest.mark.parametrize("text", ["iPhone 15", "小米14", "2.2磅", "mate60"])
def test_a_number_in_a_product_name_is_not_an_amount(text: str) -> None:
    assert read_amount(text) is None


def test_a_phone_number_inside_a_sentence() -> None:
    assert parse_phone("我的手机号是 138 1234 5678 白天打") == "13812345678"


def test_a_count_of_weeks_or_the_one_of_another_word_is_no_weekday() -> None:
    """"穿了三周一直跑绒" holds 周一 but names no Monday; "这周一坏的" does."""
    from flows.dates import find_dates

    for text in ("穿了三周一直跑绒", "用了两个星期一直有异响", "每周一样的问题"):
        assert find_dates(text, TODAY) == [], text
    assert [when.day for when in find_dates("这周一坏的", TODAY)] == [date(2026, 11, 23)]
    assert [when.day for when in find_dates("上个星期三买的", TODAY)] == [date(2026, 11, 18)]
