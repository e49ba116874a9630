"""The demand (诉求): merged when two demands ask for the same money, questioned when they
contradict, kept as alternatives when the user accepts either, and compensation measured
the way the law measures it (DOMAIN.md §3).

Answers used: `demands` (codes, flows.vocabulary.DEMANDS), `compensation` {"amount",
"detail", and "items": [{"detail", "amount"}, …] when several sums were named; an item's
"amount" is None while its sum is not known (以实际发生为准), and a "basis" says how a sum was
worked out (每天100元×61天)},
`demand_other` (text), `amount` (the price), `theme`, `problem`, and
`demand_alternatives`: a list of groups of demand codes of which the user accepts any one,
e.g. [["repair", "compensation"]] for "维修或者赔钱" (`alternatives_from_text` reads it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from flows.catalog import Catalog
from flows.composition import clauses as cl
from flows.composition.personal import personal_values, scrub_personal_data
from flows.composition.resources import (
    alternative_words,
    as_incurred,
    compensation_measures,
    demand_askings,
    demand_words,
    fraud_words,
    loss_words,
    measure_stems,
    remaining_fee_words,
    repair_verbs,
)
from flows.composition.written import resolve_relative_dates, written_clause
from flows.formats import money

FOOD_TIMES, FOOD_MINIMUM = 10, 1000.0  # 《食品安全法》第一百四十八条
FRAUD_TIMES, FRAUD_MINIMUM = 3, 500.0  # 《消费者权益保护法》第五十五条
REFUNDS = ("return_refund", "refund")


@dataclass(frozen=True)
class Finding:
    """Something to tell the user about their demands.

    action: "merged" (the draft already writes it once), "question" (ask the user which
    they mean), "info" (a measure or how the text reads). `key` is a catalog key under
    compose.finding, filled with `params`."""

    code: str
    action: str
    key: str
    demands: tuple[str, ...] = ()
    params: dict[str, str] = field(default_factory=dict)

    def text(self, catalog: Catalog) -> str:
        if self.code != "alternatives":
            return catalog.text(self.key, **self.params)
        names = [catalog.text(f"demand.{code}") for code in self.demands]
        return catalog.text(self.key, first=names[0], second=names[-1],
                            both=catalog.text("compose.demand_or").join(names))


def alternatives_from_text(text: str) -> tuple[list[str], list[list[str]]]:
    """Demand codes named in `text`, in order, and the groups joined by 或/或者/还是:
    "维修或者赔钱" → (["repair", "compensation"], [["repair", "compensation"]])."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for word, code in demand_words():
        for match in re.finditer(re.escape(word), text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append((start, end, code))
    found.sort()
    codes = list(dict.fromkeys(code for _, _, code in found))
    groups: list[list[str]] = []
    for (_, end, first), (start, _, second) in pairwise(found):
        gap = text[end:start]
        if first != second and len(gap) <= 4 and any(w in gap for w in alternative_words()):
            if groups and groups[-1][-1] == first:
                groups[-1].append(second)
            else:
                groups.append([first, second])
    return codes, groups


def _groups(answers: Mapping[str, Any], codes: Sequence[str]) -> list[list[str]]:
    groups = []
    for group in answers.get("demand_alternatives") or []:
        kept = [code for code in group if code in codes]
        if len(kept) >= 2:
            groups.append(kept)
    return groups


def _together(groups: list[list[str]], first: str, second: str) -> bool:
    return any(first in group and second in group for group in groups)


def effective_demands(answers: Mapping[str, Any]) -> list[str]:
    """The demand codes as the text writes them: 退款 folded into 退货退款."""
    codes = list(dict.fromkeys(answers.get("demands") or []))
    if "return_refund" in codes and "refund" in codes:
        codes.remove("refund")
    return codes


def _other_text(answers: Mapping[str, Any], catalog: Catalog | None = None,
                today: date | None = None) -> str:
    """The typed demand, written, without personal data, relative dates resolved."""
    text = str(answers.get("demand_other") or "")
    if catalog is not None and today is not None:
        text = resolve_relative_dates(text, today, catalog)
    text = scrub_personal_data(text, personal_values(answers))
    clauses = [written_clause(c) for sentence in cl.split(text) for c in sentence]
    return cl.without_final_stop(cl.COMMA.join(c for c in clauses if c))


def _is_fraud(answers: Mapping[str, Any]) -> bool:
    said = " ".join(str(answers.get(name) or "") for name in ("problem", "demand_other"))
    value = answers.get("compensation") or {}
    said += " ".join(str(item.get("detail") or "")
                     for item in [value, *(value.get("items") or [])])
    return answers.get("theme") == "false_ad" or any(w in said for w in fraud_words())


def compensation_measure(answers: Mapping[str, Any]) -> tuple[str, float] | None:
    """("food" | "fraud", the least the law's measure gives) for this price, or None."""
    price = answers.get("amount")
    if price is None:
        return None
    if answers.get("theme") == "food_safety":
        return "food", max(FOOD_TIMES * float(price), FOOD_MINIMUM)
    if _is_fraud(answers):
        return "fraud", max(FRAUD_TIMES * float(price), FRAUD_MINIMUM)
    return None


def review_demands(answers: Mapping[str, Any]) -> list[Finding]:
    """Overlapping demands (merged), contradictory ones (questioned), alternatives, and the
    legal measure of any compensation asked for."""
    codes = list(dict.fromkeys(answers.get("demands") or []))
    groups = _groups(answers, codes)
    findings: list[Finding] = []
    if "return_refund" in codes and "refund" in codes:
        findings.append(Finding("refund_twice", "merged", "compose.finding.refund_twice",
                                ("return_refund", "refund")))
    other = _other_text(answers)
    value = answers.get("compensation") or {}
    detail = " ".join(str(item.get("detail") or "")
                      for item in [value, *(value.get("items") or [])]).strip()
    remaining = next((text for text in (other, detail)
                      if any(word in text for word in remaining_fee_words())), "")
    if remaining and any(code in codes for code in REFUNDS):
        findings.append(Finding("remaining_twice", "question", "compose.finding.remaining_twice",
                                tuple(c for c in codes if c in REFUNDS),
                                {"other": remaining}))
    refund = next((code for code in REFUNDS if code in codes), None)
    for code, key in (("exchange", "exchange_or_refund"), ("repair", "repair_or_refund")):
        if refund and code in codes and not _together(groups, code, refund):
            findings.append(Finding(key, "question", f"compose.finding.{key}", (code, refund)))
    for group in groups:
        findings.append(Finding("alternatives", "info", "compose.finding.alternatives",
                                tuple(group)))
    measure = compensation_measure(answers)
    if measure and "compensation" in codes:
        kind, least = measure
        price = money(float(answers["amount"]))
        findings.append(Finding(f"{kind}_measure", "info", f"compose.finding.{kind}_measure",
                                ("compensation",), {"price": price, "measure": money(least)}))
        claim = punitive_claim(answers)  # 住院费 is a loss, claimed besides the measure
        if claim is not None and claim > least:
            findings.append(Finding("above_measure", "info", "compose.finding.above_measure",
                                    ("compensation",),
                                    {"claim": money(float(claim)), "measure": money(least)}))
    return findings


def compensation_total(answers: Mapping[str, Any]) -> float | None:
    """The compensation asked for in all: the stored total, else the sum of its items."""
    value = answers.get("compensation") or {}
    if value.get("amount") is not None:
        return float(value["amount"])
    items = [item for item in value.get("items") or [] if item.get("amount") is not None]
    return sum(float(item["amount"]) for item in items) if items else None


def punitive_claim(answers: Mapping[str, Any]) -> float | None:
    """The part of the compensation asked for that the law's punitive measure bounds: every
    sum but those for an actual loss or a contract's penalty (住院费8200, 违约金6100), which are
    claimed besides it; None when there is no such part."""
    value = answers.get("compensation") or {}
    sums = [float(item["amount"]) for item in value.get("items") or [value]
            if item.get("amount") is not None and not is_loss(str(item.get("detail") or ""))]
    return sum(sums) if sums else None


def is_loss(detail: str) -> bool:
    """A compensation for an actual loss or a contract's penalty: "住院费", "邻居维修费"."""
    return any(word in detail for word in loss_words())


def _compensation_text(answers: Mapping[str, Any], catalog: Catalog) -> str:
    """赔偿交通费200元; 支付三倍赔偿384000元 (its detail is itself a compensation);
    赔偿医药费38元、惩罚性赔偿1000元，共计1038元 (several items)."""
    value = answers.get("compensation") or {}
    total = compensation_total(answers)
    pending = catalog.text("format.list_separator").join(  # "邻居维修费（以实际发生为准）"
        catalog.text("compose.demand_code.compensation_pending",
                     detail=_detail(str(item.get("detail") or "")))
        for item in value.get("items") or [] if item.get("amount") is None)
    if total is None:
        return catalog.text("compose.demand_code.compensation_unstated") + pending
    priced = _priced_compensation_text(value, total, catalog)
    return catalog.text("compose.demand_code.compensation_and_pending", priced=priced,
                        pending=pending) if pending else priced


def _priced_compensation_text(value: Mapping[str, Any], total: float, catalog: Catalog) -> str:
    items = [item for item in value.get("items") or [] if item.get("amount") is not None]
    if len(items) >= 2:
        named = [(item, _measure_written(_detail(str(item.get("detail") or "")), catalog))
                 for item in items]
        kinds = tuple(word for word, code in demand_words() if code == "compensation")
        # a loss first, a measure after: 赔偿检测费300元、三倍赔偿2697元 (not 赔偿三倍赔偿…)
        named.sort(key=lambda pair: pair[1].endswith(kinds))
        listed = catalog.text("format.list_separator").join(
            _with_basis(item, catalog.text("compose.demand_code.compensation_item",
                                           detail=detail, amount=money(float(item["amount"]))),
                        catalog)
            for item, detail in named)
        return catalog.text("compose.demand_code.compensation_items", items=listed,
                            total=money(total))
    raw = str((items[0] if items else value).get("detail") or "")
    detail = _with_measure_word(_detail(raw), catalog)
    if any(detail.endswith(word) for word, code in demand_words() if code == "compensation"):
        key = "compensation_kind"  # 三倍赔偿, 惩罚性赔偿: not 赔偿三倍赔偿
    elif any(word in detail for word, code in demand_words() if code == "compensation"):
        key = "compensation_rule"  # 退一赔三
    else:
        key = "compensation"
    return _with_basis(items[0] if items else value,
                       catalog.text(f"compose.demand_code.{key}", detail=detail,
                                    amount=money(total)), catalog)


def _measure_written(detail: str, catalog: Catalog) -> str:
    """"假一赔三" → "三倍赔偿", "食品安全惩罚性" → "食品安全惩罚性赔偿": a legal measure in a
    list of sums, named as the form names it."""
    for spoken, written in compensation_measures():
        if detail.endswith(spoken):
            return detail[:-len(spoken)] + written
    return _with_measure_word(detail, catalog)


def _with_measure_word(detail: str, catalog: Catalog) -> str:
    """"三倍" → "三倍赔偿": the 赔偿 a measure's name was said without."""
    if detail.endswith(measure_stems()):
        return catalog.text("compose.demand_code.compensation_measure", detail=detail)
    return detail


def _with_basis(item: Mapping[str, Any], written: str, catalog: Catalog) -> str:
    """A sum with how it was worked out, when it was: 赔偿违约金6100元（每天100元×61天）."""
    basis = item.get("basis")
    return catalog.text("compose.demand_code.compensation_basis", sum=written,
                        basis=basis) if basis else written


def _demand_text(code: str, answers: Mapping[str, Any], catalog: Catalog,
                 today: date | None = None) -> str:
    if code == "compensation":
        return _compensation_text(answers, catalog)
    if code == "other":
        return _other_text(answers, catalog, today)
    if code == "repair" and (repair := _repair(str(answers.get("repair_detail") or ""))):
        # "重新做防水": the repair as the user named it, free of charge
        free = catalog.text("compose.demand_code.free")
        return repair if repair.startswith(free) else free + repair
    refund = answers.get("refund_detail") or {}
    if code == "refund" and refund:  # "退还剩余费用2850元"
        kind = "refund_balance" if refund.get("balance") else "refund"
        if refund.get("amount") is None and refund.get("part"):  # "退还没上的34节课的费用"
            return catalog.text("compose.demand_code.refund_part", part=refund["part"])
        if refund.get("amount") is None:
            return catalog.text(f"compose.demand_code.{kind}")
        return catalog.text(f"compose.demand_code.{kind}_sum", amount=money(float(refund["amount"])))
    if code == "return_refund" and refund.get("amount") is not None:
        return catalog.text("compose.demand_code.return_refund_sum",
                            amount=money(float(refund["amount"])))
    return catalog.text(f"compose.demand_code.{code}")


_BA = "\u628a"  # 把: "把防水重做了", the thing repaired before the verb


def _repair(detail: str) -> str:
    """"我想让他们把防水重做了" → "重做防水": the repair as the user named it, without the words
    that ask for it (the template asks), a 把 before the thing turned around where its verb
    is known, a final 了 dropped."""
    text = written_clause(cl.without_final_stop(detail)) if detail else ""
    changed = True
    while changed:
        changed = False
        for word in demand_askings():
            if text.startswith(word) and len(text) > len(word) + 1:
                text, changed = text[len(word):].lstrip(), True
    text = text.removesuffix("了") if len(text) > 2 else text
    if text.startswith(_BA):
        thing = text[len(_BA):]
        for said, written in repair_verbs():
            if thing.endswith(said) and len(thing) > len(said):
                return written + thing[:-len(said)].strip()
    return text


def _detail(detail: str) -> str:
    """'交通费' stays; a bare '赔' or '赔偿' (already said by the template) goes."""
    detail = written_clause(cl.without_final_stop(detail)) if detail else ""
    for phrase in as_incurred():  # "维修费实际花多少算多少": the text says 以实际发生为准
        if detail.endswith(phrase) and len(detail) > len(phrase) + 1:
            detail = detail[:-len(phrase)].rstrip("，, （(")
    for word, code in demand_words():
        if code == "compensation" and detail.startswith(word):
            detail = detail[len(word):]
    return detail.strip()


def demand_phrase(answers: Mapping[str, Any], catalog: Catalog, today: date | None = None) -> str:
    """'退货退款，并赔偿交通费200元', '免费维修或赔偿1000元': the demands as one clause, each
    once, alternatives joined by 或; relative dates in a typed demand resolved against
    `today`."""
    codes = effective_demands(answers)
    groups = _groups(answers, codes)
    parts: list[str] = []
    done: set[str] = set()
    for code in codes:
        if code in done:
            continue
        group = next((g for g in groups if code in g), [code])
        names = [_demand_text(c, answers, catalog, today) for c in group]
        names = [name for name in names if name]
        done.update(group)
        if names:
            parts.append(catalog.text("compose.demand_or").join(names))
    return catalog.text("compose.demand_joiner").join(parts)
