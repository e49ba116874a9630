"""Each advice rule, both ways: the inputs it must fire on and the look-alikes it must not.

A row is a case as the interview stores it (the answers dict, the kind, today) plus, where
the moment comes before the theme question, the analyzer's theme ranking. Every rule needs at
least one row that fires it and one that must not (checked below), so no rule goes untested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from flows.advice import RULES, AdviceCase, advice_for, build_case
from flows.insight import Insight, ThemeScore

TODAY = date(2026, 11, 28)


@dataclass(frozen=True)
class Row:
    rule: str
    moment: str
    fires: bool
    text: str
    kind: str = "complaint"
    answers: dict[str, Any] = field(default_factory=dict)
    guessed_theme: str | None = None  # the analyzer's first theme, before the user picks one

    def case(self) -> AdviceCase:
        insight = Insight(themes=(ThemeScore(self.guessed_theme, 0.9),)) if self.guessed_theme else None
        return build_case({"kind": self.kind, "narrative": self.text, **self.answers}, insight,
                          self.kind, TODAY)

    def label(self) -> str:
        return f"{self.rule}@{self.moment}:{'fires' if self.fires else 'silent'}:{self.text[:14]}"


PHONE_ONLINE = {"channel": "online", "platform": "京东", "product": "手机", "amount": 3899.0}

ROWS = [
    # ---- emergencies ----
    Row("police.deceit", "account_read", True, "有人冒充淘宝客服说要给我退款，让我共享屏幕，卡里的钱被转走了"),
    Row("police.deceit", "draft", True, "付款之后就被卖家拉黑了，2000元要不回来"),
    Row("police.deceit", "account_read", False, "商家虚假宣传，感觉被坑了，要求退款"),
    Row("police.deceit", "account_read", False, "这家店就是骗子，东西质量太差"),
    Row("police.owner_vanished", "account_read", True, "办的美容卡还有3000元没用，店突然关门了，老板跑了"),
    Row("police.owner_vanished", "demand_question", True, "健身房跑路了，卡里的钱没退"),
    Row("police.owner_vanished", "account_read", False, "健身房说装修要停业一个月，会顺延会员期"),
    Row("police.owner_vanished", "account_read", True, "健身房10月份突然关门了 人都找不着了 电话也不接"),
    Row("police.owner_vanished", "account_read", True, "美容院人去楼空，老板电话也打不通，卡里还有两千"),
    Row("police.owner_vanished", "account_read", False, "去售后才发现售后部已经人去楼空，厂家破产了"),
    Row("police.owner_vanished", "demand_question", True, "办的游泳卡，店关门了，找不到人"),
    Row("police.owner_vanished", "account_read", False, "店里周一关门了，我白跑一趟"),
    Row("police.owner_vanished", "account_read", False, "客服电话打不通，耳机一直没给换"),
    Row("health.see_doctor", "account_read", True, "外卖的炒饭吃完以后全家拉肚子，还去了医院"),
    Row("health.see_doctor", "demand_question", True, "充电宝充电时爆了，手被烫伤"),
    Row("health.see_doctor", "account_read", False, "外卖送晚了一个小时，饭都凉了"),
    Row("health.see_doctor", "account_read", False, "在医院旁边的眼镜店配的眼镜度数不对"),
    Row("cure_claims.false_ad", "account_read", True, "我爸在社区讲座上买了保健品，说能治糖尿病，花了6800元"),
    Row("cure_claims.false_ad", "draft", True, "卖给老人的磁疗床垫，说睡了可以降血压"),
    Row("cure_claims.false_ad", "account_read", False, "买的保健品快过期了，想退货"),
    # ---- where it goes ----
    Row("referral.city_12345", "account_read", True, "楼下饭馆的油烟每天飘进我家", kind="report"),
    Row("referral.city_12345", "draft", True, "超市门口长期占道经营，堆满了货"),
    Row("referral.city_12345", "account_read", False, "新买的油烟机噪音很大，吸力也不够"),
    Row("flight.carrier_refund", "account_read", True, "航班被航空公司取消了，退票还要收手续费"),
    Row("flight.carrier_refund", "demand_question", True, "东航的航班延误了五个小时，我只好退票"),
    Row("flight.carrier_refund", "account_read", False, "我自己行程有变，机票退票被收了30%手续费"),
    Row("flight.agency_fee", "account_read", True, "在携程买的机票，被搭售了一份保险，还收了服务费"),
    Row("flight.agency_fee", "account_read", False, "在携程订的酒店，到了发现房间很脏"),
    Row("report.anonymity", "identity_question", True, "这家店卖过期食品", kind="report"),
    Row("report.anonymity", "draft", True, "这家店卖过期食品", kind="report"),
    Row("report.anonymity", "identity_question", False, "这家店卖过期食品，我买了还吃坏了肚子"),
    Row("report.anonymity_asked", "account_read", True, "小区里有家黑作坊，我想匿名举报", kind="report"),
    Row("report.anonymity_asked", "account_read", False, "小区里有家黑作坊在卖熟食", kind="report"),
    Row("report.identity_worry", "identity_question", True, "奶茶店用过期奶油，会不会被店家知道是我举报的",
        kind="report"),
    Row("report.identity_worry", "account_read", True, "黑作坊在卖熟食，我怕老板报复", kind="report"),
    Row("report.identity_worry", "identity_question", False, "奶茶店用过期奶油", kind="report"),
    Row("report.identity_worry", "account_read", False, "会不会被店家知道是我投诉的，鞋子开胶了"),
    Row("report.anonymity", "identity_question", False, "奶茶店用过期奶油，会不会被店家知道是我举报的",
        kind="report"),
    Row("report.no_purchase_needed", "account_read", True, "路边有家店没有营业执照在卖药", kind="report"),
    Row("report.no_purchase_needed", "draft", True, "这家店一直在卖东西", kind="report",
        answers={"violation": "unlicensed"}),
    Row("report.no_purchase_needed", "account_read", False, "超市把过期面包改了日期继续卖", kind="report"),
    # ---- what the law allows ----
    Row("sanbao.within_7_days", "account_read", True, "手机买了三天就坏了，开不了机"),
    Row("sanbao.within_7_days", "demand_question", True, "开机就黑屏", answers={
        **PHONE_ONLINE, "purchase_date": "2026-11-24"}),
    Row("sanbao.within_7_days", "account_read", False, "理发店剪坏了我的头发，才三天就要重新剪"),
    Row("sanbao.within_7_days", "account_read", False, "手机壳用了两天就坏了"),
    Row("sanbao.within_7_days", "account_read", False, "手机买了三天屏幕就碎了，摔了一下"),
    Row("sanbao.within_7_days", "demand_question", False, "开机就黑屏", answers={
        **PHONE_ONLINE, "purchase_date": "2026-11-10"}),
    Row("sanbao.within_15_days", "account_read", True, "冰箱用了十天就不制冷了"),
    Row("sanbao.within_15_days", "demand_question", True, "冰箱用了三天就不制冷了",
        answers={"product": "冰箱", "purchase_date": "2026-11-18"}),
    Row("sanbao.within_7_days", "demand_question", False, "冰箱用了三天就不制冷了",
        answers={"product": "冰箱", "purchase_date": "2026-11-18"}),
    Row("sanbao.within_7_days", "demand_question", True, "冰箱买了三天就不制冷了，拖到今天才投诉",
        answers={"product": "冰箱", "purchase_date": "2026-11-18"}),
    Row("sanbao.within_15_days", "account_read", False, "冰箱用了三天就不制冷了"),
    Row("sanbao.within_15_days", "account_read", False, "冰箱用了两个月不制冷了", answers={
        "purchase_date": "2026-09-20"}),
    Row("online.no_reason_return", "demand_question", True, "衣服颜色和图片差别很大", answers={
        "channel": "online", "product": "羽绒服", "purchase_date": "2026-11-25"}),
    Row("online.no_reason_return", "demand_question", False, "衣服颜色和图片差别很大", answers={
        "channel": "store", "product": "羽绒服", "purchase_date": "2026-11-25"}),
    Row("online.no_reason_return", "demand_question", False, "衣服颜色和图片差别很大", answers={
        "channel": "online", "product": "羽绒服", "purchase_date": "2026-10-01"}),
    Row("online.no_reason_return", "demand_question", False, "水果烂了一半", answers={
        "channel": "online", "product": "生鲜水果", "purchase_date": "2026-11-26"}),
    Row("online.no_reason_return", "demand_question", False, "定做的窗帘尺寸不对", answers={
        "channel": "online", "product": "窗帘", "purchase_date": "2026-11-26"}),
    Row("prepaid.refund_balance", "demand_question", True, "健身房关门了，年卡才用了两个月"),
    Row("prepaid.refund_balance", "account_read", True, "办了2000元的洗车卡，洗车店倒闭了"),
    Row("prepaid.refund_balance", "demand_question", False, "健身房关门了，年卡才用了两个月",
        kind="report"),
    Row("prepaid.refund_balance", "demand_question", False, "办了会员卡，教练态度很差"),
    Row("prepaid.refund_on_refusal", "demand_question", True, "办了会员卡，教练经常换人，想退卡不给退",
        answers={"demands": ["refund"]}),
    Row("prepaid.refund_on_refusal", "demand_question", False, "教练经常换人，想退卡不给退",
        answers={"demands": ["repair"]}),
    Row("food.compensation", "demand_question", True, "吃出了虫子", answers={"theme": "food_safety"}),
    Row("food.compensation", "draft", True, "面包过期了还在卖", guessed_theme="food_safety"),
    Row("food.compensation", "demand_question", False, "苹果不够甜，个头也小", answers={"theme": "quality"}),
    Row("food.compensation", "demand_question", False, "面包过期了还在卖", kind="report",
        answers={"violation": "food_safety"}),
    Row("fraud.triple", "demand_question", True, "收到的是假货，跟专柜的完全不一样", answers={"amount": 399.0}),
    Row("fraud.triple", "draft", True, "店员说是全新的", answers={"theme": "false_ad"}),
    Row("fraud.triple", "demand_question", False, "鞋子穿了一周就开胶了", answers={"theme": "quality"}),
    Row("fraud.triple", "demand_question", False, "奶粉是假货", answers={"theme": "food_safety"}),
    Row("platform.seller_identity", "demand_question", True, "在直播间买的面霜，主播说能祛斑"),
    Row("platform.seller_identity", "draft", True, "下单以后卖家就联系不上了，店铺也关了",
        answers={"channel": "online"}),
    Row("platform.seller_identity", "demand_question", False, "卖家发错了颜色，同意换货",
        answers={"channel": "online"}),
    Row("quality.burden_of_proof", "evidence_question", True, "新车开了两个月发动机故障灯亮", answers={
        "product": "汽车", "purchase_date": "2026-09-01", "theme": "quality"}),
    Row("quality.burden_of_proof", "evidence_question", False, "新车开了两年发动机故障灯亮", answers={
        "product": "汽车", "purchase_date": "2024-09-01", "theme": "quality"}),
    Row("quality.burden_of_proof", "evidence_question", False, "鞋子开胶了", answers={
        "product": "运动鞋", "purchase_date": "2026-11-01", "theme": "quality"}),
    # ---- evidence ----
    Row("food.keep_evidence", "evidence_question", True, "外卖里吃出了头发", answers={"theme": "food_safety"}),
    Row("food.keep_evidence", "account_read", True, "蛋糕发霉了", guessed_theme="food_safety"),
    Row("food.keep_evidence", "evidence_question", False, "外卖送错了地址", answers={"theme": "after_sales"}),
    Row("food.keep_evidence", "evidence_question", False, "路过奶茶店，看到后厨用过期的奶油", kind="report",
        answers={"violation": "food_safety"}),
    Row("food.keep_evidence", "evidence_question", True, "在奶茶店买了一杯奶茶，发现用的是过期奶油",
        kind="report", answers={"violation": "food_safety"}),
    Row("report.evidence", "evidence_question", True, "路过奶茶店，看到后厨用过期的奶油", kind="report",
        answers={"violation": "food_safety"}),
    Row("report.evidence", "draft", True, "我没买东西，只是看到这家店没有营业执照", kind="report",
        answers={"violation": "unlicensed"}),
    Row("report.evidence", "evidence_question", False, "在奶茶店买了一杯奶茶，发现用的是过期奶油",
        kind="report", answers={"violation": "food_safety"}),
    Row("report.evidence", "evidence_question", False, "外卖里吃出了头发", answers={"theme": "food_safety"}),
    Row("livestream.evidence", "evidence_question", True, "主播在直播里说是纯羊毛，收到是化纤"),
    Row("livestream.evidence", "evidence_question", False, "在商场买的毛衣起球"),
    Row("livestream.evidence", "evidence_question", False, "刷到一个主播在直播里卖三无面霜", kind="report"),
    Row("prepaid.evidence", "evidence_question", False, "路过一家健身房，没有营业执照还在推销年卡",
        kind="report"),
    Row("evidence.video_size", "evidence_question", True, "主播说能祛斑，我有直播录屏"),
    Row("evidence.video_size", "draft", True, "后厨的情况我拍了视频", kind="report"),
    Row("evidence.video_size", "evidence_question", False, "鞋子开胶了，拍了照片"),
    Row("evidence.video_size", "evidence_question", False, "视频会员自动续费，没同意就扣了25元"),
    Row("evidence.combine_pdf", "draft", True, "鞋子开胶了",
        answers={"evidence": ["receipt", "photos", "messages"]}),
    Row("evidence.combine_pdf", "evidence_question", False, "鞋子开胶了",
        answers={"evidence": ["receipt", "photos"]}),
    Row("prepaid.evidence", "evidence_question", True, "办了瑜伽卡，店里说不能退"),
    Row("prepaid.evidence", "evidence_question", False, "瑜伽垫有味道"),
    Row("prepaid.evidence", "evidence_question", False, "充值的游戏点卡没到账"),
    Row("fraud.evidence", "evidence_question", True, "宣传说是进口的，结果是国产的", answers={"theme": "false_ad"}),
    Row("fraud.evidence", "evidence_question", False, "主播宣传说是进口的，结果是国产的",
        answers={"theme": "false_ad"}),
    Row("sanbao.test_report", "evidence_question", True, "洗衣机用了5天就不转了"),
    Row("sanbao.test_report", "evidence_question", False, "洗衣机用了5天就不转了", kind="report"),
    Row("sanbao.test_report", "evidence_question", False, "洗衣机送货时外壳磕了一块"),
]


@pytest.mark.parametrize("row", ROWS, ids=Row.label)
def test_rule_fires_exactly_where_it_applies(row: Row) -> None:
    fired = {item.rule_id for item in advice_for(row.case(), row.moment)}
    assert (row.rule in fired) is row.fires, fired


def test_every_rule_is_tested_both_ways() -> None:
    positive = {row.rule for row in ROWS if row.fires}
    negative = {row.rule for row in ROWS if not row.fires}
    ids = {rule.id for rule in RULES}
    assert ids - positive == set(), "rules without a case that fires them"
    assert ids - negative == set(), "rules without a case that must not fire them"
    assert positive | negative <= ids, "rows name a rule that does not exist"


def test_a_rule_is_silent_at_moments_it_was_not_declared_for() -> None:
    case = Row("", "", True, "外卖吃完拉肚子", answers={"theme": "food_safety"}).case()
    assert "advice.food.compensation" in {a.key for a in advice_for(case, "demand_question")}
    assert "advice.food.compensation" not in {a.key for a in advice_for(case, "account_read")}
    assert "advice.food.keep_evidence" not in {a.key for a in advice_for(case, "demand_question")}
