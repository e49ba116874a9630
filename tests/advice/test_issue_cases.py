"""The cases of the advice issue, read by the real analyzer: each gets its advice right after
the account is read, at the question where it helps, and again in the draft."""

from __future__ import annotations

from datetime import date

import pytest

from flows.advice import advice_for, build_case
from flows.understanding import analyze

TODAY = date(2026, 11, 28)

# (account, kind, answers given later in the interview, {moment: rules that must fire},
#  rules that must not fire at any moment)
ISSUE_CASES = [
    ("11月25号在京东上买的手机，3899元，用了3天就坏了，开不了机", "complaint",
     {"theme": "quality", "demands": ["return_refund"]},
     {"account_read": {"sanbao.within_7_days", "online.no_reason_return"},
      "evidence_question": {"sanbao.test_report"},
      "draft": {"sanbao.within_7_days", "online.no_reason_return", "sanbao.test_report"}},
     {"sanbao.within_15_days", "food.compensation", "fraud.triple"}),
    ("在美团外卖点的炒饭里有苍蝇，吃了以后拉肚子去了医院，花了56元", "complaint",
     {"theme": "food_safety", "amount": 56.0, "demands": ["compensation"]},
     {"account_read": {"health.see_doctor", "food.keep_evidence"},
      "evidence_question": {"food.keep_evidence"},
      "demand_question": {"food.compensation"},
      "draft": {"health.see_doctor", "food.keep_evidence", "food.compensation"}},
     {"fraud.triple", "sanbao.within_7_days", "online.no_reason_return"}),
    ("去年在朝阳区一家美容院办了5000元的美容卡，现在店关门了，老板跑了，电话也打不通", "complaint",
     {"theme": "contract", "demands": ["refund"]},
     {"account_read": {"police.owner_vanished", "prepaid.refund_balance"},
      "evidence_question": {"prepaid.evidence"},
      "demand_question": {"police.owner_vanished", "prepaid.refund_balance"},
      "draft": {"police.owner_vanished", "prepaid.refund_balance", "prepaid.evidence"}},
     {"sanbao.within_7_days", "online.no_reason_return"}),
    ("在抖音直播间看主播说这款面霜是进口的，能祛斑，花399元买了，收到发现是假货", "complaint",
     {"theme": "false_ad", "amount": 399.0, "channel": "online", "demands": ["compensation"]},
     {"account_read": {"livestream.evidence"},
      "evidence_question": {"livestream.evidence"},
      "demand_question": {"fraud.triple", "platform.seller_identity"},
      "draft": {"livestream.evidence", "fraud.triple", "platform.seller_identity"}},
     {"food.compensation", "sanbao.within_7_days"}),
    ("我妈在养生讲座上花8000元买了保健品，推销的人说能治糖尿病，不用再吃药了", "complaint",
     {"theme": "false_ad", "demands": ["refund"]},
     {"account_read": {"cure_claims.false_ad"},
      "demand_question": {"fraud.triple"},
      "draft": {"cure_claims.false_ad", "fraud.triple"}},
     {"sanbao.within_7_days"}),
    ("楼下烧烤店油烟太大，晚上还占道经营，桌子摆到了人行道上", "report",
     {"violation": "other"},
     {"account_read": {"referral.city_12345"}, "draft": {"referral.city_12345"}},
     {"fraud.triple", "food.compensation"}),
    ("在携程订的国航机票，航班被航空公司取消了，退票时携程还扣了200元服务费", "complaint",
     {"theme": "price", "demands": ["refund"]},
     {"account_read": {"flight.carrier_refund", "flight.agency_fee"},
      "demand_question": {"flight.carrier_refund"},
      "draft": {"flight.carrier_refund", "flight.agency_fee"}},
     {"referral.city_12345"}),
    ("小区门口有家无证经营的小作坊在卖熟食，我想举报，但是不想留名", "report",
     {"violation": "unlicensed"},
     {"account_read": {"report.anonymity_asked", "report.no_purchase_needed"},
      "identity_question": {"report.anonymity"},
      "draft": {"report.anonymity", "report.no_purchase_needed"}},
     {"fraud.triple", "prepaid.refund_balance"}),
]


@pytest.mark.parametrize(("account", "kind", "later", "expected", "never"), ISSUE_CASES,
                         ids=[case[0][:12] for case in ISSUE_CASES])
def test_each_issue_case_gets_its_advice_at_the_right_moment(account, kind, later, expected, never):
    insight = analyze(account, TODAY)
    early = build_case({"kind": kind, "narrative": account}, insight, kind, TODAY)
    full = build_case({"kind": kind, "narrative": account, **later}, insight, kind, TODAY)
    for moment, rules in expected.items():
        case = early if moment == "account_read" else full
        fired = {item.rule_id for item in advice_for(case, moment)}
        assert rules <= fired, (moment, rules - fired)
        assert not never & fired, (moment, never & fired)


def test_a_haircut_gets_no_goods_advice():
    account = "上周在三里屯的理发店剪头发，花了88元，剪坏了，店里不给重新剪"
    case = build_case({"kind": "complaint", "narrative": account, "theme": "quality"},
                      analyze(account, TODAY), "complaint", TODAY)
    goods_rules = {"sanbao.within_7_days", "sanbao.within_15_days", "sanbao.test_report",
                   "online.no_reason_return", "quality.burden_of_proof"}
    for moment in ("account_read", "evidence_question", "demand_question", "draft"):
        assert not goods_rules & {item.rule_id for item in advice_for(case, moment)}, moment


# The usability round: each account read by the real analyzer, as the user typed it.
USABILITY_CASES = [
    ("去年在健身房办了两年的会员卡，10月份突然关门了 人都找不着了 电话也不接", "complaint",
     {"account_read": {"police.owner_vanished", "prepaid.refund_balance"}}, set()),
    ("路过一家奶茶店，看到他们用过期的奶油做奶茶", "report",
     {"evidence_question": {"report.evidence"}, "draft": {"report.evidence"}},
     {"food.keep_evidence", "prepaid.evidence", "livestream.evidence"}),
    ("这家奶茶店用过期奶油，我想举报，会不会被店家知道是我举报的", "report",
     {"account_read": {"report.identity_worry"}, "identity_question": {"report.identity_worry"}},
     set()),
    ("在直播间买的面霜，主播说能祛斑，我有直播录屏", "complaint",
     {"evidence_question": {"evidence.video_size", "livestream.evidence"}}, set()),
]


@pytest.mark.parametrize(("account", "kind", "expected", "never"), USABILITY_CASES,
                         ids=[case[0][:12] for case in USABILITY_CASES])
def test_the_usability_cases_get_fitting_advice(account, kind, expected, never):
    case = build_case({"kind": kind, "narrative": account}, analyze(account, TODAY), kind, TODAY)
    for moment, rules in expected.items():
        fired = {item.rule_id for item in advice_for(case, moment)}
        assert rules <= fired, (moment, rules - fired)
        assert not never & fired, (moment, never & fired)
