"""Numbers, purchase dates and sums of money as people write them."""

from datetime import date

import pytest

from flows import amounts
from flows.numerals import parse_number
from flows.understanding import dates
from flows.understanding.text import normalise

TODAY = date(2025, 10, 20)  # a Monday


@pytest.mark.parametrize(
    ("written", "value"),
    [("1299", 1299), ("1,299.00", 1299), ("一千二百九十九", 1299), ("贰仟叁佰", 2300),
     ("1.2万", 12000), ("2万8", 28000), ("三万八", 38000), ("一千二", 1200), ("一万五千", 15000),
     ("十", 10), ("十五", 15), ("二〇二五", 2025), ("两万", 20000)],
)
def test_parse_number_reads_arabic_chinese_and_mixed_forms(written, value):
    assert parse_number(written) == value


def purchase_day(text: str, today: date = TODAY) -> date | None:
    found = dates.find_purchase_date(normalise(text), today)
    return found[0].day if found else None


@pytest.mark.parametrize(
    ("text", "day"),
    [("2025年9月10日在商场买的", date(2025, 9, 10)),
     ("2025.8.15在拼多多下单的充电宝", date(2025, 8, 15)),
     ("2025/07/20在国贸买了块手表", date(2025, 7, 20)),
     ("25年9月1日在天猫超市买的洗衣液", date(2025, 9, 1)),
     ("16年4月7号买的车", date(2016, 4, 7)),
     ("十月十号在朝阳大悦城买了个包", date(2025, 10, 10)),
     ("１０月５日在石景山万达买了一双皮鞋", date(2025, 10, 5)),
     ("10.8号在双井买的手机", date(2025, 10, 8)),
     ("昨天买的电饭煲", date(2025, 10, 19)),
     ("前天在盒马买的牛排", date(2025, 10, 18)),
     ("大前天在超市买的鸡蛋", date(2025, 10, 17)),
     ("昨晚在美团点的外卖", date(2025, 10, 19)), ("前晚在楼下买的烧烤", date(2025, 10, 18)),
     ("今早买的包子", date(2025, 10, 20)),
     ("3天前在通州买的座椅", date(2025, 10, 17)),
     ("上周三在西单买的羽绒服", date(2025, 10, 15)),
     ("我是上个星期一下的单", date(2025, 10, 13)),
     ("上个月15号在望京买了条裤子", date(2025, 9, 15)),
     ("国庆节在王府井买的金项链", date(2025, 10, 1)),
     ("去年双十一买的羽绒服", date(2024, 11, 11)),
     ("本车购买于2014年5月8日", date(2014, 5, 8))],
)
def test_purchase_date_forms(text, day):
    assert purchase_day(text) == day


def test_a_date_without_year_is_the_latest_past_one():
    assert purchase_day("12月24号在前门买的点心") == date(2024, 12, 24)


def test_a_future_date_is_never_the_purchase_date():
    assert purchase_day("2025年10月25日买的东西") is None


def test_production_and_fault_dates_are_not_purchase_dates():
    text = "超市买的酸奶过期了，生产日期是9月1日，我是10月18号买的"
    assert purchase_day(text) == date(2025, 10, 18)
    assert purchase_day("于2018年5月14日在高速行驶过程中轮毂爆裂") is None


def amount_of(text: str) -> float | None:
    found = amounts.pick_amount(amounts.find_money(normalise(text)))
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "value"),
    [("买了双跑鞋，1299元，开胶了", 1299.0), ("羽绒服¥1,299.00，跑绒", 1299.0),
     ("电饭煲一千二百九十九元", 1299.0), ("花了2万8买的钢琴", 28000.0),
     ("买了块手表，三万八，走时不准", 38000.0), ("价格５９９元", 599.0),
     ("ＲＭＢ ８８８元买的音箱", 888.0), ("手机壳三十九块九", 39.9),
     ("支付人民币贰仟叁佰元", 2300.0), ("一次性交了两万", 20000.0),
     ("原价999元，特价399元", 399.0), ("月卡199元/月的健身房", 199.0)],
)
def test_amount_forms(text, value):
    assert amount_of(text) == value


@pytest.mark.parametrize(
    "text",
    ["花了五百多买的", "老人买了好几千块钱的保健品", "刚买的电视第二天就降价了800元",
     "行驶了29000公里", "1.4T高尔夫", "有一块已经发霉了", "订单号 289765432101"],
)
def test_no_amount_for_approximate_reference_or_non_money_numbers(text):
    assert amount_of(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("10月1号在三里屯买的运动鞋二百九十九，穿了两天就开胶了", 299.0),
     ("在店里买了件羽绒服，三百五，洗了一次就跑绒了", 350.0),
     ("十一月在国贸下单的耳机六百八", 680.0), ("买的苹果15，花了五千九", 5900.0)],
)
def test_a_price_written_out_in_chinese_numerals_is_read(text, value):
    assert amount_of(text) == value


@pytest.mark.parametrize(
    "text",
    ["十一月在三里屯买了二手苹果15，屏幕坏了", "买了三百多的东西，质量太差",
     "我买了一百二十个口罩，都是次品", "行驶两万七，差速器就坏了", "据说换一个要一百六"],
)
def test_words_that_are_names_counts_dates_or_other_sums_are_not_the_price(text):
    assert amount_of(text) is None


def test_compensation_is_kept_apart_from_the_price():
    found = amounts.find_money(normalise("金额为2680元，要求退货退款并赔偿损失500元"))
    assert amounts.pick_amount(found).value == 2680.0
    assert amounts.pick_compensation(found).value == 500.0


def test_a_month_is_not_a_purchase_date_read_from_an_account():
    assert purchase_day("去年十月份买的车") is None


def test_a_two_digit_year_is_this_century():
    assert purchase_day("25年10月1日买的", date(2026, 11, 28)) == date(2025, 10, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [("买的苹果15 4200", 4200), ("价格1037的蛋糕", 1037), ("一共花了两千五", 2500), ("花了2万8", 28000)],
)
def test_amounts_beside_model_numbers_and_in_chinese(text, value):
    picked = amounts.pick_amount(amounts.find_money(normalise(text)))
    assert picked is not None and picked.value == value
