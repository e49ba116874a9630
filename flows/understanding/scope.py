"""Spots accounts that belong to another body than 12315 (DOMAIN.md §6).

Finance, telecom, airline and medical words also turn up in ordinary shopping complaints:
a pair of shoes paid with 花呗, a shop "next to the hospital", a phone that gets no signal,
a tour whose air tickets the agency keeps, a hospital visit after bad food. So a word only
counts fully when it is not describing how something was paid for, where a shop is or what
kind of product was sold, and a matter is referred only when the evidence is strong, is not
outweighed by the shop dispute, names the other body's own service (话费, 航班, 误诊, 征信 …)
unless the evidence is very strong and nothing was bought, and no guard says the body is
only part of another business's dealing (a loan a shop arranged, a ticket in a package tour,
a phone sold in an operator's shop, a pet's vet).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from flows.amounts import read_amount
from flows.insight import Referral
from flows.understanding import resources
from flows.understanding.segmenter import Token
from flows.understanding.text import CLAUSE_BREAKS

THRESHOLD = 1.5
# A body mentioned this strongly beside a shop dispute is worth a note (never a redirect).
NOTE_THRESHOLD = 1.0
THRESHOLD_WITHOUT_CORE = 2.5
SHARE_OF_SHOP_DISPUTE = 0.35
INSTRUMENT_WEIGHT = 0.2
ILLEGAL_LENDING_PRIORITY = 1.5
FORCED_SALE_FACTOR = 0.3
# A shop forcing insurance or a loan on the buyer is a forced sale, a 12315 matter.
_FORCED_SALE = re.compile(r"强制|捆绑|搭售|强迫|必须在店|要求必须")

_PAYMENT_INSTRUMENTS = frozenset(
    {"花呗", "借呗", "白条", "信用卡", "分期", "贷款", "银行卡", "招商银行", "工商银行",
     "建设银行", "农业银行", "中国银行", "交通银行", "邮储银行", "银行"}
)
_PAYING_VERBS = frozenset({"用", "使用", "通过", "刷", "拿", "用的是", "付款", "支付"})
# Paying verbs that begin a platform name rather than say how something was paid.
_PLATFORM_NAMES = ("支付宝", "支付平台")
_PAID_AFTER = ("付", "支付", "买", "办", "购", "分期", "结账", "刷卡")
# After a body word these only locate a shop or name a partner of it (医院旁边的眼镜店,
# 航空公司合作的酒店).
_NEARBY = frozenset({"旁边", "附近", "对面", "门口", "楼下", "隔壁", "边上", "合作", "旗下"})
# A body word right before one of these names a kind of product or shop (医疗器械, 航空箱,
# 医用口罩), not the body's own service.
_PRODUCT_KINDS = frozenset({"器械", "用品", "设备", "器材", "箱", "柜", "级", "插头", "口罩", "店",
                            "专卖店", "商店", "枕", "耳机", "杠"})
# Something was bought, or a seller is named: words that do not name the body's own service
# (住院, 医院 after a bad meal) then only tell what happened next.
_BOUGHT_SOMETHING = re.compile(r"买了|买的|购买|购入|入手|下单|下的单|点了|点的|外卖|订了|订的|卖给|卖的|推销|"
                               r"出售|店|商家|卖家")
# A seller or provider of goods and services in the account: its insurance, loan or finance
# package is its own dealing (DOMAIN.md: a 4S shop forcing its insurance is a 12315 matter; a
# course paid by a loan the school arranged is a course dispute), so finance is only a note.
_SELLER = re.compile(r"4s|经销商|销售|商家|汽贸|店|卖家|机构|培训|学校|课程|学费|健身|装修|家装|美容|"
                     r"美发|婚庆|旅行社|商场|超市|开发商|中介|公寓|房东|延保|延长保修|合作的?(银行|金融|贷款|分期)")
# Telecom is the operator's service; a phone that cannot send group texts is a product matter,
# and a SIM card or plan bought from a shop is the shop's sale unless an operator is named.
_OPERATOR = re.compile(r"移动|联通|电信|运营商|营业厅|广电|携号转网|(?<!\d)(10086|10010)(?!\d)")
_LINE_SERVICE = re.compile(r"宽带|漫游|话费账单|流量|手机号|手机卡|电话卡|增值业务|(?<![a-z])sp(?![a-z])|彩铃|停机")
_SELLER_OF_LINES = re.compile(r"卖家|商家|店|淘宝|京东|拼多多|网上买")
# Air tickets inside a package tour, a hotel bill, a meal at an airport restaurant or a power
# bank confiscated at security are the agency's, hotel's or shop's dealing, unless the account
# is about the flight itself.
_SELLS_AROUND_FLIGHTS = re.compile(r"旅行社|旅游|跟团|报团|自由行|团费|导游|的团|酒店|宾馆|民宿|店|餐厅|"
                                   r"餐馆|商店|商城|免税|超市|商场|卖家|商家|淘宝|京东|拼多多|网购")
_FLIGHT_SERVICE = re.compile(r"延误|登机|值机|超售|托运|行李(?!箱|包|架|牌)|空姐|空乘|机上|飞机上|备降")
# A vet is not medical care for people (12320 handles hospitals and clinics).
_ANIMAL = re.compile(r"宠物|猫咪|小猫|狗狗|小狗|幼犬|犬|兽医|猫粮|狗粮")
# An insurer paying for care: a claim about a hospital bill is the insurer's matter.
_INSURER = re.compile(r"保险公司|理赔|拒赔|赔付|保单|投保|医疗险|重疾险|意外险")
# "借五万要还八万", "借了2000，七天后要还3500": a sum owed far above the sum borrowed, with no
# span of years between them, is usury (courts protect at most 36 % a year).
_NUMBER = r"[\d一二三四五六七八九十两百千万.]+"
_BORROWED_THEN_OWED = re.compile(rf"(借了?|到手只有)(?P<lent>{_NUMBER})(块|元)?(?P<between>[^。]{{0,14}}?)"
                                 rf"(要|得|需要)?还(?P<owed>{_NUMBER})")
USURY_RATIO = 1.36
USURY_WEIGHT = 2.0


def _paid_with(text: str, tokens: Sequence[Token], index: int) -> bool:
    """True when a finance word only says how a purchase was paid ("用花呗分期买的鞋"), not
    when a paying verb is part of a platform's name ("支付宝借呗的利息")."""
    if tokens[index].word not in _PAYMENT_INSTRUMENTS:
        return False
    for token in reversed(tokens[max(0, index - 4):index]):
        if token.word in CLAUSE_BREAKS:
            break
        if token.word in _PAYING_VERBS and not text.startswith(_PLATFORM_NAMES, token.start):
            return True
    for token in tokens[index + 1:index + 4]:
        if token.word in CLAUSE_BREAKS:
            break
        if token.word.startswith(_PAID_AFTER):
            return True
    return False


def _is_landmark(tokens: Sequence[Token], index: int) -> bool:
    """True for "医院旁边的眼镜店" (the place only locates a shop or names its partner) and for
    "医疗器械店" or "航空箱" (the word only says what kind of product or shop it is)."""
    following = tokens[index + 1:index + 3]
    if any(token.word in _NEARBY for token in following):
        return True
    return bool(following) and following[0].word in _PRODUCT_KINDS


def _usurious_repayment(text: str) -> str | None:
    """The words of a loan whose repayment is far above the sum lent, if the account has one."""
    for match in _BORROWED_THEN_OWED.finditer(text):
        if "年" in match.group("between"):
            continue
        lent, owed = read_amount(match.group("lent")), read_amount(match.group("owed"))
        if lent and owed and owed >= USURY_RATIO * lent:
            return match.group(0)
    return None


def _evidence(text: str, tokens: Sequence[Token]) -> tuple[dict[str, float], dict[str, bool],
                                                          dict[str, list[str]]]:
    """Per other body: how strongly the account points at it, whether it names that body's
    own service, and the words that say so."""
    lexicon = resources.scope_lexicon()
    scores: dict[str, float] = defaultdict(float)
    has_core: dict[str, bool] = defaultdict(bool)
    keywords: dict[str, list[str]] = defaultdict(list)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for index, token in enumerate(tokens):
        entries = lexicon.get(token.word)
        if not entries or _is_landmark(tokens, index):
            continue
        instrument = _paid_with(text, tokens, index)
        for entry in entries:
            repeat = seen[(token.word, entry.topic)]
            seen[(token.word, entry.topic)] += 1
            if repeat >= 2:
                continue
            weight = INSTRUMENT_WEIGHT if instrument else entry.weight
            scores[entry.topic] += weight * (1.0 if repeat == 0 else 0.5)
            has_core[entry.topic] |= entry.core and not instrument
            if token.word not in keywords[entry.topic]:
                keywords[entry.topic].append(token.word)
    for pattern, entry in resources.scope_phrases():
        match = pattern.search(text)
        if match:
            scores[entry.topic] += entry.weight
            has_core[entry.topic] |= entry.core
            keywords[entry.topic].append(match.group(0))
    usury = _usurious_repayment(text)
    if usury:
        scores["illegal_lending"] += USURY_WEIGHT
        has_core["illegal_lending"] = True
        keywords["illegal_lending"].append(usury)
    if _FORCED_SALE.search(text) and "finance" in scores:
        scores["finance"] *= FORCED_SALE_FACTOR
    return scores, has_core, keywords


def _another_business_deals(topic: str, text: str) -> bool:
    """True when the body's words only describe part of another business's dealing: a loan
    or insurance a seller arranged, a phone or SIM card a shop sold with no operator named, air
    tickets in a package tour, a hotel bill or an airport shop, a pet's treatment."""
    if topic == "finance":
        return _SELLER.search(text) is not None
    if topic == "telecom":
        if _OPERATOR.search(text):
            return False
        return _LINE_SERVICE.search(text) is None or _SELLER_OF_LINES.search(text) is not None
    if topic == "airline":
        return _SELLS_AROUND_FLIGHTS.search(text) is not None and _FLIGHT_SERVICE.search(text) is None
    if topic == "medical":
        return _ANIMAL.search(text) is not None
    return False


def _main_topic(scores: dict[str, float], text: str) -> str:
    """The body the account points at most, except that usury, threats and loan fraud come
    first, and an insurer's claim takes the hospital stay it should pay for."""
    if scores.get("illegal_lending", 0.0) >= ILLEGAL_LENDING_PRIORITY:
        return "illegal_lending"
    topic = max(scores, key=lambda name: scores[name])
    if topic == "medical" and scores.get("finance", 0.0) >= NOTE_THRESHOLD and _INSURER.search(text):
        return "finance"
    return topic


def assess_scope(text: str, tokens: Sequence[Token],
                 shop_evidence: float) -> tuple[Referral | None, tuple[Referral, ...]]:
    """The other body to send the user to, if any, and the bodies only worth a note.

    A body is a redirect only when the account is mainly about its own service; when the
    shop dispute outweighs it (a loan taken to pay a gym that closed), the consumer dispute
    wins and the body becomes a note.
    """
    scores, has_core, keywords = _evidence(text, tokens)
    if not scores:
        return None, ()
    topic = _main_topic(scores, text)
    score = scores[topic]
    found = tuple(keywords[topic])
    if score < THRESHOLD:
        return None, (Referral(topic, found, note_only=True),) if score >= NOTE_THRESHOLD else ()
    outweighed = score < SHARE_OF_SHOP_DISPUTE * shop_evidence or _another_business_deals(topic, text)
    weak_without_core = not has_core[topic] and (score < THRESHOLD_WITHOUT_CORE
                                                 or _BOUGHT_SOMETHING.search(text) is not None)
    if outweighed or weak_without_core:
        return None, (Referral(topic, found, note_only=True),)
    return Referral(topic, found), ()


def detect_referral(text: str, tokens: Sequence[Token], shop_evidence: float) -> Referral | None:
    """The other body's topic when the account is for it, else None."""
    return assess_scope(text, tokens, shop_evidence)[0]
