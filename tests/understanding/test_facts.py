"""Business, shop, product, platform, channel, order number, district, demands, contact."""

from datetime import date

import pytest

from flows.understanding import analyze

TODAY = date(2025, 10, 20)


def fact(text: str, key: str):
    found = analyze(text, TODAY).facts.get(key)
    return found.value if found else None


def test_registered_business_name_is_cut_free_of_the_sentence():
    text = "我于2025年9月10日在北京鑫源达商贸有限公司购买了一台净水器"
    assert fact(text, "business_name") == "北京鑫源达商贸有限公司"
    assert fact("投诉中乒北众汽车销售服务有限公司拖延", "business_name") == "中乒北众汽车销售服务有限公司"


def test_a_service_shop_named_by_its_sign_is_suggested():
    """"在小蓝鲸英语给闺女报的课": a sign ending in a trade word, after 在, is the shop; a place
    with a trade, or a shop followed by what was done there, is not."""
    assert fact("三月份在小蓝鲸英语给闺女报的课 交了九千八", "store_name") == "小蓝鲸英语"
    assert fact("去年在数码城二楼的丽人美甲办的卡", "store_name") == "丽人美甲"
    assert fact("我在朝阳区健身，教练跑了", "store_name") is None
    assert fact("在4S店维修了三次还是漏油", "store_name") is None


def test_store_name_from_place_and_brand_or_a_stated_name():
    assert fact("10月1号在三里屯那家耐克买了双跑鞋", "store_name") == "耐克三里屯店"
    assert fact("外卖吃完拉肚子，商家叫王记麻辣烫。", "store_name") == "王记麻辣烫"


@pytest.mark.parametrize(
    ("text", "product"),
    [("在京东买的美的空调，价格3299元", "美的空调"), ("买了一台笔记本，老板说是全新的", "笔记本"),
     ("新买的冰箱噪音特别大", "冰箱"), ("买的床垫有很大的异味", "床垫"),
     ("在鞋店买了双运动鞋二百九十九 穿了两天鞋底就掉了", "运动鞋")],
)
def test_product_stops_before_complaint_words(text, product):
    assert fact(text, "product") == product


@pytest.mark.parametrize(
    ("text", "product"),
    [("在抖音直播间买了个保健品，一盒698，买了三盒", "保健品"),  # a complaint word that is a thing
     ("一起买了2瓶消毒液，洗了过敏", "消毒液"), ("买了三盒面膜，用了过敏", "面膜"),
     ("个人买的二手车实际公里数不对", "二手车"),
     ("新购买四个多月的车就漏油", None), ("汽车买了七个月就异响", None)],  # a time, not a thing
)
def test_a_count_or_a_time_after_buying_is_not_the_product(text, product):
    assert fact(text, "product") == product


@pytest.mark.parametrize(
    ("text", "platform"),
    [("在天猫超市买的洗衣液", "天猫"), ("京东白条买的手机", "京东"), ("拼多多上买的大米", "拼多多"),
     ("抖音直播间买的手镯", "抖音"), ("闲鱼上买的二手iPhone", "闲鱼"), ("美团点的外卖", "美团")],
)
def test_platform_display_name(text, platform):
    assert fact(text, "platform") == platform


def test_channel_online_or_store():
    assert fact("在淘宝买的羊毛大衣", "channel") == "online"
    assert fact("在专卖店买了件外套，拉链坏了", "channel") == "store"
    assert fact("朝阳区一家健身房跑路了", "channel") == "store"
    assert fact("东西坏了", "channel") is None


def test_order_number_keeps_its_letters_and_dashes():
    assert fact("订单编号250815-123456789012，要求退款", "order_number") == "250815-123456789012"
    assert fact("订单号：3456789012345678901", "order_number") == "3456789012345678901"


@pytest.mark.parametrize(
    ("text", "district"),
    [("在北京市海淀区五彩城买的", "海淀区"), ("在三里屯买的", "朝阳区"), ("西单大悦城买的", "西城区"),
     ("金融街购物中心的服装店", "西城区"), ("前门的老字号", "东城区"), ("在回龙观的小超市", "昌平区"),
     ("在门头沟一家饭店订了婚宴", "门头沟区"), ("亦庄的家电卖场", "大兴区")],
)
def test_district_from_names_and_well_known_places(text, district):
    assert fact(text, "district") == district


def test_place_names_are_not_trusted_in_another_city():
    assert fact("在杭州国贸附近的店里买的", "district") is None


@pytest.mark.parametrize(
    ("text", "demands"),
    [("要求退货退款", ["return_refund"]), ("要求退一赔三", ["return_refund", "compensation"]),
     ("想换个新的", ["exchange"]), ("保修期内要求免费维修", ["repair"]), ("想退钱", ["refund"]),
     ("我要求换车，并退还500元检测费", ["exchange", "refund"]),
     ("要求退款并赔偿", ["refund", "compensation"])],
)
def test_demands_need_a_request_cue(text, demands):
    assert fact(text, "demands") == demands


def test_a_refusal_is_not_a_demand():
    assert fact("培训机构不肯退费", "demands") is None
    assert fact("店家不给退货", "demands") is None


@pytest.mark.parametrize(
    ("text", "contacted"),
    [("客服说过了七天就不管了", True), ("找了商家好几次", True), ("多次联系商家未果", True),
     ("申请退款一个月了", True), ("还没联系商家，想先问问", False), ("还没找店家", False),
     ("鞋子开胶了", None)],
)
def test_contacted(text, contacted):
    assert fact(text, "contacted") is contacted


def test_fact_values_have_the_documented_types():
    insight = analyze("昨天在京东买的耳机，199元，坏了，订单号 1234567890，要求换货，客服说不行",
                      TODAY)
    assert isinstance(insight.facts["purchase_date"].value, date)
    assert isinstance(insight.facts["amount"].value, float)
    assert insight.facts["channel"].value in ("store", "online")
    assert isinstance(insight.facts["demands"].value, list)
    assert isinstance(insight.facts["contacted"].value, bool)
    for found in insight.facts.values():
        assert 0 <= found.confidence <= 1


def confident(text: str, key: str, today: date = TODAY):
    """The value only when it is sure enough to be pre-ticked."""
    from flows.insight import PRETICK_CONFIDENCE

    found = analyze(text, today).facts.get(key)
    return found.value if found and found.confidence >= PRETICK_CONFIDENCE else None


def test_a_model_number_is_part_of_the_product_never_the_amount():
    text = "我上周在京东买的苹果15 4200，收到屏幕有划痕"
    assert fact(text, "amount") == 4200
    assert fact(text, "product") == "苹果15"
    assert fact("买的小米14，花了3999元", "amount") == 3999
    assert fact("买了iPhone 15 屏幕碎了", "amount") is None


def test_the_users_home_is_never_the_business_district():
    text = "我叫李明，住大兴区，上周六在京东买的耳机，收到就坏了"
    assert fact(text, "district") is None
    assert confident("我家住海淀，在朝阳大悦城买的大衣", "district") is None


def test_a_sentence_fragment_is_not_a_store():
    assert fact("这个月初店里买的羽绒服，穿了一次就跑绒", "store_name") is None


def test_sums_that_are_claims_fees_or_offers_are_not_pre_ticked():
    assert confident("车买回来就漏油，要求退还车款，其余误工费50000。", "amount") is None
    assert confident("5月31日购车优惠价格不到3.5万，6月开始优惠价格5.3万", "amount") is None
    assert confident("10月1号在三里屯买了双鞋，花了1299元", "amount") == 1299


def test_a_store_cut_out_of_a_sentence_is_not_offered_as_sure():
    found = analyze("多次去4S店，要求4S店换发动机，4S店不同意", TODAY).facts.get("store_name")
    assert found is None or found.confidence < 0.5


@pytest.mark.parametrize(("text", "amount", "parts"), [
    ("先付9800，后来加课又付了3000", 12800.0, (9800.0, 3000.0)),
    ("交了九千八 后来又续了三千", 12800.0, (9800.0, 3000.0)),
    ("办卡交了6800 后来又续了2000", 8800.0, (6800.0, 2000.0)),
    ("先付9800，后来加课又付了3000，一共12800", 12800.0, None),  # the total said: taken
    ("换手机屏，380现金，说是原装的", 380.0, None),  # 现金 after a number makes it a sum
    ("买了手机3000，后来又花了200修", 3000.0, None),  # a repair is not a further payment
    # 手续费 holds 续费 but is no renewal: the deposit paid stands alone
    ("交付了1000元订金。车友裸车仅104900，分期手续费3000，上牌500", 1000.0, None),
])
def test_several_payments_for_one_purchase_are_offered_as_their_total(
        text: str, amount: float, parts: tuple[float, ...] | None) -> None:
    assert fact(text, "amount") == amount
    assert fact(text, "amount_parts") == parts
    found = analyze(text, TODAY).facts["amount"]
    assert parts is None or found.confidence < 0.85  # a sum worked out is offered, not ticked
