"""`analyze`: one account in, one `Insight` out (the `flows.insight.Understand` hook)."""

from __future__ import annotations

from datetime import date

from flows import amounts
from flows.insight import AMOUNT_PARTS, AMOUNT_UNITS, Fact, Insight
from flows.understanding import dates, parties, places, requests
from flows.understanding.scope import assess_scope
from flows.understanding.segmenter import segment
from flows.understanding.text import half_width, normalise
from flows.understanding.themes import rank_themes


def analyze(text: str, today: date) -> Insight:
    """Themes ranked best first, a referral when 12315 is the wrong place, and the facts found."""
    if not text or not text.strip():
        return Insight()
    original = half_width(text)
    lowered = normalise(text)
    tokens = segment(lowered)
    ranking = rank_themes(lowered, tokens)
    referral, notes = assess_scope(lowered, tokens, ranking.in_scope_evidence)
    return Insight(themes=ranking.themes, out_of_scope=referral,
                   facts=_facts(original, lowered, tokens, today),
                   one_tap=ranking.one_tap and referral is None,
                   theme_shortlist=ranking.shortlist, notes=notes)


def _facts(original: str, lowered: str, tokens: list, today: date) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    purchase = dates.find_purchase_date(lowered, today)
    if purchase:
        mention, confidence = purchase
        if mention.approximate:  # "上礼拜买的": a week, not a day
            confidence = min(confidence, 0.6)
        facts["purchase_date"] = Fact(mention.day, confidence, (mention.start, mention.end))
    order = parties.find_order_number(original)
    blocked = [(mention.start, mention.end) for mention in dates.find_dates(lowered, today)]
    if order:
        facts["order_number"] = Fact(order[0], 0.9, order[1])
        blocked.append(order[1])
    money = amounts.find_money(lowered, blocked)
    parts = amounts.paid_in_parts(money)
    if len(parts) == 1:
        paid = parts[0]
        # Sure only with a plain paying cue ("花了599元"); a bare or unit-only sum is a
        # suggestion: accounts are full of fees, claims and prices of other things.
        confidence = 0.9 if paid.score >= 3 and paid.paid else 0.7 if paid.score >= 1.5 else 0.6
        facts["amount"] = Fact(paid.value, confidence, (paid.start, paid.end))
        count = amounts.bought_count(lowered, paid)
        if count:  # "买了三盒 … 一盒1660": 3×1660, offered to confirm
            facts["amount"] = Fact(round(count * paid.value, 2), 0.7, (paid.start, paid.end))
            facts[AMOUNT_UNITS] = Fact((count, paid.value), 0.7)
    elif parts:  # "先付9800，后来加课又付了3000": their total, offered as one to confirm
        facts["amount"] = Fact(round(sum(part.value for part in parts), 2), 0.7,
                               (parts[0].start, parts[-1].end))
        facts[AMOUNT_PARTS] = Fact(tuple(part.value for part in parts), 0.7)
    compensation = amounts.pick_compensation(money)
    if compensation:
        facts["compensation_amount"] = Fact(compensation.value, 0.8,
                                            (compensation.start, compensation.end))
    business = parties.find_business_name(original)
    if business:
        facts["business_name"] = Fact(business[0], 0.9, business[1])
    store = parties.find_store_name(lowered)
    if store:
        name = original[store[1][0]:store[1][1]] if store[0] in lowered else store[0]
        facts["store_name"] = Fact(name, store[2], store[1])
    product = parties.find_product(lowered, tokens)
    if product:
        # The words after 买了 are often not the thing bought ("买了半个月"): a suggestion.
        facts["product"] = Fact(original[product[1][0]:product[1][1]], 0.6, product[1])
    platform = parties.find_platform(tokens)
    if platform:
        facts["platform"] = Fact(platform[0], 0.9, platform[1])
    district = places.find_district(lowered, tokens)
    if district:
        facts["district"] = Fact(district[0], district[1], district[2])
    channel = parties.find_channel(tokens, platform is not None, district is not None)
    if channel:
        facts["channel"] = Fact(channel[0], channel[1])
    demands, demand_span = requests.find_demands(lowered)
    if demands:
        facts["demands"] = Fact(demands, 0.8, demand_span)
    contacted = requests.find_contacted(lowered)
    if contacted:
        facts["contacted"] = Fact(contacted[0], 0.75, contacted[1])
    return facts
