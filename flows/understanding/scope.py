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
from functools import cache

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
# The guards' words and patterns are data (`data/scope_guards.tsv`); what each one means is
# written there beside it.


def _words(name: str) -> frozenset[str]:
    return resources.scope_guard_words()[name]


def _pattern(name: str) -> re.Pattern[str]:
    return resources.scope_guard_patterns()[name]


@cache
def _borrowed_then_owed() -> re.Pattern[str]:
    """"借五万要还八万", "借了2000，七天后要还3500": a sum owed far above the sum borrowed, with
    no span of years between them, is usury (courts protect at most 36 % a year)."""
    number = _pattern("number").pattern
    return re.compile(rf"(借了?|到手只有)(?P<lent>{number})(块|元)?(?P<between>[^。]{{0,14}}?)"
                      rf"(要|得|需要)?还(?P<owed>{number})")


USURY_RATIO = 1.36
USURY_WEIGHT = 2.0


def _paid_with(text: str, tokens: Sequence[Token], index: int) -> bool:
    """True when a finance word only says how a purchase was paid ("用花呗分期买的鞋"), not
    when a paying verb is part of a platform's name ("支付宝借呗的利息")."""
    if tokens[index].word not in _words("payment_instruments"):
        return False
    for token in reversed(tokens[max(0, index - 4):index]):
        if token.word in CLAUSE_BREAKS:
            break
        if token.word in _words("paying_verbs") and not text.startswith(tuple(_words("platform_names")), token.start):
            return True
    for token in tokens[index + 1:index + 4]:
        if token.word in CLAUSE_BREAKS:
            break
        if token.word.startswith(tuple(_words("paid_after"))):
            return True
    return False


def _is_landmark(tokens: Sequence[Token], index: int) -> bool:
    """True for "医院旁边的眼镜店" (the place only locates a shop or names its partner) and for
    "医疗器械店" or "航空箱" (the word only says what kind of product or shop it is)."""
    following = tokens[index + 1:index + 3]
    if any(token.word in _words("nearby") for token in following):
        return True
    return bool(following) and following[0].word in _words("product_kinds")


def _usurious_repayment(text: str) -> str | None:
    """The words of a loan whose repayment is far above the sum lent, if the account has one."""
    for match in _borrowed_then_owed().finditer(text):
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
    if _pattern("forced_sale").search(text) and "finance" in scores:
        scores["finance"] *= FORCED_SALE_FACTOR
    return scores, has_core, keywords


def _another_business_deals(topic: str, text: str) -> bool:
    """True when the body's words only describe part of another business's dealing: a loan
    or insurance a seller arranged, a phone or SIM card a shop sold with no operator named, air
    tickets in a package tour, a hotel bill or an airport shop, a pet's treatment."""
    if topic == "finance":
        return _pattern("seller").search(text) is not None
    if topic == "telecom":
        if _pattern("operator").search(text):
            return False
        return (_pattern("line_service").search(text) is None
                or _pattern("seller_of_lines").search(text) is not None)
    if topic == "airline":
        return (_pattern("sells_around_flights").search(text) is not None
                and _pattern("flight_service").search(text) is None)
    if topic == "medical":
        return _pattern("animal").search(text) is not None
    return False


def _care_after_harm(text: str, care_words: Sequence[str]) -> bool:
    """A hospital visit told after the harm that led to it ("吃了烧烤拉肚子，去医院看病"), not a
    harm that followed the care ("在诊所看病，医生开的中药吃了以后肝功能异常")."""
    harm = _pattern("care_after_harm").search(text)
    visits = [text.find(word) for word in care_words if word in text]
    return harm is not None and bool(visits) and harm.start() < min(visits)


def _main_topic(scores: dict[str, float], text: str) -> str:
    """The body the account points at most, except that usury, threats and loan fraud come
    first, and an insurer's claim takes the hospital stay it should pay for."""
    if scores.get("illegal_lending", 0.0) >= ILLEGAL_LENDING_PRIORITY:
        return "illegal_lending"
    topic = max(scores, key=lambda name: scores[name])
    if topic == "medical" and scores.get("finance", 0.0) >= NOTE_THRESHOLD and _pattern("insurer").search(text):
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
    if topic == "medical" and not has_core[topic] and _care_after_harm(text, found):
        return None, ()  # "吃了烧烤拉肚子，去医院看病": the care is not what is complained of
    if score < THRESHOLD:
        return None, (Referral(topic, found, note_only=True),) if score >= NOTE_THRESHOLD else ()
    outweighed = score < SHARE_OF_SHOP_DISPUTE * shop_evidence or _another_business_deals(topic, text)
    weak_without_core = not has_core[topic] and (score < THRESHOLD_WITHOUT_CORE
                                                 or _pattern("bought_something").search(text) is not None)
    if outweighed or weak_without_core:
        return None, (Referral(topic, found, note_only=True),)
    return Referral(topic, found), ()


def detect_referral(text: str, tokens: Sequence[Token], shop_evidence: float) -> Referral | None:
    """The other body's topic when the account is for it, else None."""
    return assess_scope(text, tokens, shop_evidence)[0]
