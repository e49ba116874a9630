"""From the user's own account, what went wrong and what the business did.

The account says everything at once: when and where they bought what for how much, what
went wrong, what the shop said, what they want, often their phone number. The form asks
the facts one by one, so the pre-filled "what went wrong" keeps only the clauses about the
problem and what followed, and the business's response goes to its own question. Each
clause is sorted by the words in it (data/*.txt and the analyzer's theme vocabulary);
nothing is paraphrased, so the user confirms or edits what is kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from flows.amounts import MEASURE_WORD, find_money, with_unit
from flows.catalog import Catalog
from flows.composition import clauses as cl
from flows.composition.personal import personal_values, scrub_sentences
from flows.composition.resources import (
    alternative_words,
    bare_sum_verbs,
    demand_cues,
    demand_words,
    further_payments,
    harm_words,
    measure_words,
    person_words,
    price_leads,
    problem_words,
    purchase_words,
    response_cues,
    shop_name_cues,
    speech_verbs,
)
from flows.composition.written import (
    date_text,
    off_the_case,
    questions_to_bot,
    resolve_relative_dates,
    with_losses_named,
    written_clause,
)
from flows.dates import is_month_value, stored_day
from flows.formats import money
from flows.numerals import parse_number
from flows.understanding.resources import refusals, theme_lexicon

FACT = "fact"  # restates what the form already holds
DEMAND = "demand"  # asks for something (the form's 诉求 holds it)
RESPONSE = "response"  # what the business said or did
PROBLEM = "problem"  # what went wrong, and everything else

LONGEST_RESTATEMENT = 40  # a clause longer than this says more than the form's facts
_ORDER_CUE = re.compile(r"(?:订单|单号|编号)[号码:：\s]*[A-Za-z0-9\-]{6,}"
                        r"|^(?:订单编号|订单号码|订单号|订单|单号|编号)$")
_NEGATION = re.compile(r"[不没未无]")
_REMEDY = r"[退赔换修补返]"  # the first character of a remedy asked for: 退款, 换个, 修好
_DEMAND_VERB = re.compile(_REMEDY + r"|商家|对方|店家|卖家|厂家|解决|处理|说法")
_ANY_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:元|块|万)")
_GAP = "|"
_HOW_OFTEN = re.compile(r"(?:好|很|这么|那么)?(?:几|多|\d+|[一两三四五六七八九十]+)次了?")
_NUMBER = r"(?:\d+|[一二两三四五六七八九十百千万]{2,}|[二两三四五六七八九十百千万])"


@dataclass(frozen=True)
class Clause:
    """One written clause of the account, its sentence and what it is about."""

    sentence: int
    text: str
    kind: str


_PROBLEM_THEMES = ("quality", "after_sales", "false_ad", "food_safety")
_FAULT_THEMES = ("quality", "after_sales", "food_safety")


@cache
def _problem_words() -> tuple[str, ...]:
    """Words that say something went wrong (not merely what was bought: 年卡, 健身)."""
    from_themes = tuple(word for word, scores in theme_lexicon().items()
                        if any(theme in _PROBLEM_THEMES for theme, _ in scores))
    return from_themes + problem_words() + harm_words()


@cache
def _fault_words() -> tuple[str, ...]:
    """Words that say the purchase went wrong or was taken up after it (坏了, 变质, 跑路, 住院,
    售后), without the words of what was claimed selling it (宣传, 承诺, 保健品)."""
    from_themes = tuple(word for word, scores in theme_lexicon().items()
                        if any(theme in _FAULT_THEMES for theme, _ in scores))
    return from_themes + problem_words() + harm_words()


def names_a_problem(text: str) -> bool:
    """Whether `text` says something went wrong (a problem word, a negation)."""
    return _mentions(text, _problem_words()) or bool(_NEGATION.search(text))


def _mentions(clause: str, words: tuple[str, ...]) -> bool:
    return any(word in clause for word in words)


def fact_strings(facts: Mapping[str, Any], catalog: Catalog) -> tuple[str, ...]:
    """The form's facts as they may be written in a clause."""
    found = []
    for name in ("product", "business_name", "store_name", "platform", "order_number"):
        if facts.get(name):
            found.append(str(facts[name]))
    product = str(facts.get("product") or "")
    counted = _quantity().search(product)
    name = (product[:counted.start()] + product[counted.end():]).strip() if counted else ""
    if counted and len(name) >= 2 and not re.search(r"\s", name):
        # "面部护理次卡20次" told as "办了20次面部护理次卡": the same purchase, reworded
        found += [counted.group() + name, name]
    if facts.get("district"):
        found.append(str(facts["district"])[-3:])
    if written := purchase_date_text(facts, catalog):
        found.append(written)
    return tuple(found)


def purchase_day(facts: Mapping[str, Any]) -> date | None:
    """The purchase day; the first of the month when only the month is known ("2025-05")."""
    value = facts.get("purchase_date")
    if isinstance(value, date):
        return value
    return stored_day(value) if value else None


def purchase_date_text(facts: Mapping[str, Any], catalog: Catalog) -> str:
    """The purchase date as the complaint writes it: 2025年5月1日, or 2025年5月 when only the
    month is known; "" when there is none."""
    return stored_date_text(facts.get("purchase_date"), catalog)


def stored_date_text(value: Any, catalog: Catalog) -> str:
    """A stored date ("2025-05-01", or "2025-05" for a month) as the complaint writes it."""
    if isinstance(value, date):
        return date_text(value, catalog)
    if not value:
        return ""
    day = stored_day(str(value))
    if is_month_value(str(value)):
        return catalog.text("compose.period.month", y=day.year, m=day.month)
    return date_text(day, catalog)


def amount_pattern(facts: Mapping[str, Any]) -> re.Pattern[str] | None:
    """The purchase amount as written in figures: 1299, 1299元, 1299.00."""
    amount = facts.get("amount")
    if amount is None:
        return None
    whole = money(float(amount))
    return re.compile(rf"(?<![\d.]){re.escape(whole)}(?:\.0+)?(?![\d.])\s*(?:元|块钱|块)?")


def amount_spans(clause: str, facts: Mapping[str, Any]) -> list[tuple[int, int]]:
    """Where `clause` states the purchase amount: in figures, or in words (二百九十九块) when
    it is paid (花了, 付了 …) or the whole clause. A sum in words elsewhere (修一下要一万三,
    贵五千) may be another sum that happens to be the amount read, so it stays."""
    pattern = amount_pattern(facts)
    if pattern is None:
        return []
    spans = [match.span() for match in pattern.finditer(clause)]
    amount = float(facts["amount"])
    for found in find_money(clause):
        if found.value != amount or any(a <= found.start < b for a, b in spans):
            continue
        end = with_unit(clause, found)
        if MEASURE_WORD.fullmatch(clause, found.start, end):  # 买了一块电池: a piece, not a yuan
            continue
        if found.paid or not _without(clause, [(found.start, end)]).strip() or (
                _price_in_words_after_purchase(clause, found.start, end)):
            spans.append((found.start, end))
    return sorted(spans)


def _price_in_words_after_purchase(clause: str, start: int, end: int) -> bool:
    """"我买了三盒保健品四千九百八": the price in words, without a unit, ending a clause that
    tells the purchase, is the price said again (not "贵3千元", a difference)."""
    said = clause[start:end]
    return (end == len(clause.rstrip()) and not any(char.isdigit() for char in said)
            and _mentions(clause[:start], purchase_words()))


@cache
def _before_price() -> re.Pattern[str]:
    """What may stand before a price ending a purchase clause, up to the price."""
    leads = "|".join(re.escape(word) for word in price_leads())
    return re.compile(rf"(?:{leads})?\s*$")


def _without_closing_price(clause: str, amount: list[tuple[int, int]]) -> str:
    """"我买了三盒保健品四千九百八" → "我买了三盒保健品": a purchase clause kept for a fact of
    its own that ends with the price (the intro states it) loses that ending."""
    if not amount or amount[-1][1] < len(clause.rstrip()):
        return clause
    rest = _before_price().sub("", clause[:amount[-1][0]]).rstrip("，, 的")
    return rest if len(rest) >= 2 and _mentions(rest, purchase_words()) else clause


def _is_fact(clause: str, facts: Mapping[str, Any], strings: tuple[str, ...],
             bought_on: str, amount: list[tuple[int, int]]) -> bool:
    if _ORDER_CUE.search(clause) or (facts.get("order_number")
                                     and str(facts["order_number"]) in clause):
        return True
    masked = _masked(clause, strings)  # 保健品 names the purchase, not what went wrong
    if _mentions(masked, _problem_words()) or _NEGATION.search(masked):
        return False
    if _mentions(clause, response_cues()["contact"]):
        return False
    if len(clause) > LONGEST_RESTATEMENT:  # long: a restatement only if it names the purchase
        bought_then = bool(bought_on) and bought_on in clause
        return _mentions(clause, purchase_words()) and (bought_then or bool(amount))
    names_a_fact = _mentions(clause, strings) or bool(amount)
    if _mentions(clause, purchase_words()):
        return names_a_fact or bool(_ANY_AMOUNT.search(clause)) or len(clause) <= 8
    if names_a_fact and _names_the_shop(clause, facts):
        return True
    stripped = _without(clause, amount)
    for value in sorted(strings, key=len, reverse=True):  # the shop's name before the product in it
        stripped = stripped.replace(value, "")
    return names_a_fact and len(re.sub(r"[\s的了在是那家个一]", "", stripped)) <= 2


def _masked(clause: str, strings: tuple[str, ...]) -> str:
    """`clause` with the form's facts (the product's name, the shop's) blanked out, each
    character kept in place: a word inside a name (保健品, 不粘锅) says nothing went wrong."""
    for value in sorted(strings, key=len, reverse=True):
        if len(value) >= 2:
            clause = clause.replace(value, _GAP * len(value))
    return clause


def _names_the_shop(clause: str, facts: Mapping[str, Any]) -> bool:
    """"店叫渔小鲜酸菜鱼望京店": only says what the shop is called, which the intro states
    (the name may be longer than the one the form holds)."""
    cue = next((c for c in shop_name_cues() if clause.startswith(c)), None)
    if cue is None:
        return False
    name = clause[len(cue):].strip()
    known = (str(facts.get(n) or "") for n in ("store_name", "business_name"))
    return bool(name) and not re.search(r"\s", name) and any(
        len(value) >= 2 and value in name for value in known)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    kept, last = [], 0
    for start, end in spans:
        kept.append(text[last:start])
        last = max(last, end)
    return "".join(kept) + text[last:]


def _tells_more(clause: str, facts: Mapping[str, Any], strings: tuple[str, ...],
                amount: list[tuple[int, int]]) -> bool:
    """Whether a clause that restates the purchase says something the form does not: another
    sum (又付了3000元, 现金3000元), a quantity (3盒, 48节, 分两次), or who it was for (我母亲).
    Dropping it would lose facts; so would cutting it."""
    rest, last = "", 0  # the known facts out, a gap where each stood (购买|2013改款)
    for start, end in amount:
        rest, last = rest + clause[last:start] + _GAP, max(last, end)
    rest += clause[last:]
    for value in sorted(strings, key=len, reverse=True):
        rest = rest.replace(value, _GAP)
    return (_quantity().search(rest) is not None or _mentions(rest, person_words())
            or any(_part_paid(found.group(), facts) for pattern in (_ANY_AMOUNT, _paid_sum())
                   for found in pattern.finditer(rest)))


def _part_paid(said: str, facts: Mapping[str, Any]) -> bool:
    """Whether a sum is part of the price paid (现金3000元 of 4980, 又补了3000 of 12800): a
    price before a discount or a list price (86元 for 79 paid) adds nothing the complaint
    needs."""
    price = facts.get("amount")
    values = [found.value for found in find_money(said)]
    if not values and (number := re.search(rf"{_NUMBER}$", said)):  # 又补了3000: no unit
        values = [value] if (value := parse_number(number.group())) else []
    return any(price is None or 0 < value < float(price) for value in values)


def quantity_pattern() -> re.Pattern[str]:
    """A quantity: 3盒, 48节, 两次."""
    return _quantity()


@cache
def _quantity() -> re.Pattern[str]:
    """A quantity: 3盒, 48节, 两次."""
    units = "|".join(re.escape(word) for word in measure_words())
    return re.compile(rf"{_NUMBER}\s*(?:{units})")


@cache
def _paid_sum() -> re.Pattern[str]:
    """A sum paid without its unit: 又付了3000, 交了九千八 (not 补了2次: a quantity)."""
    paid = "|".join(re.escape(word) for word in bare_sum_verbs())
    units = "|".join(re.escape(word) for word in measure_words())
    return re.compile(rf"(?:{paid})\s*{_NUMBER}(?!\s*(?:{units}|天|个|年|月|日|号))")


@cache
def _further_payment() -> re.Pattern[str]:
    """A further payment for the same purchase: 又补了3000, 后来又续了三千, 补交了2000元."""
    words = "|".join(re.escape(word) for word in further_payments())
    units = "|".join(re.escape(word) for word in measure_words())
    return re.compile(rf"(?:{words})\s*{_NUMBER}(?!\s*(?:{units}|天|个|年|月|日|号))")


def _after_purchase(clause: str, facts: Mapping[str, Any], strings: tuple[str, ...],
                    amount: list[tuple[int, int]]) -> str:
    """'2026年9月30日买的牛奶2026年10月1日打开就是臭的' → '牛奶2026年10月1日打开就是臭的': the
    clause from where the purchase (its word, date, place, price) has been said."""
    masked = _masked(clause, strings)  # "买了三合保健品": the name tells no problem
    problem_at = min((masked.find(w) for w in _problem_words() if w in masked), default=-1)
    if problem_at < 0:
        problem_at = _NEGATION.search(masked).start() if _NEGATION.search(masked) else -1
    if problem_at < 0:
        return clause
    said = [(clause.find(w), len(w)) for w in purchase_words() if 0 <= clause.find(w) < problem_at]
    if not said:
        return clause
    product = str(facts.get("product") or "")
    named = [(clause.find(v), len(v)) for v in strings if 0 <= clause.find(v) < problem_at]
    named += [(start, end - start) for start, end in amount if start < problem_at]
    if not named:  # "花了三千多元医药费": a sum spent, not the purchase
        return clause
    said += [(start, length) for start, length in named if clause[start:start + length] != product]
    cut = max(start + length for start, length in said)
    rest = clause[cut:].lstrip("，,的了 ")
    return rest if len(rest) >= 2 else clause


def _is_demand(clause: str) -> bool:
    for cue in demand_cues():
        position = clause.find(cue)
        if position < 0 or _mentions(clause[:position], response_cues()["actor"]):
            continue
        after = clause[position + len(cue):]
        if _DEMAND_VERB.search(after) or _mentions(after, tuple(w for w, _ in demand_words())):
            return True
    return False


def _is_response(clause: str) -> bool:
    cues = response_cues()
    if _in_touch(clause):
        return True
    for actor in cues["actor"]:
        position = clause.find(actor)
        if position >= 0 and _mentions(clause[position + len(actor):], cues["action"]):
            return True
    return False


def _in_touch(clause: str) -> bool:
    """Whether a clause says the user contacted the business or was refused."""
    return _mentions(clause, response_cues()["contact"]) or _mentions(clause, tuple(refusals()))


def _alternative_demand(clause: str) -> bool:
    """"或者换个真的原装屏": an alternative that asks for a remedy right after its joining
    word (not "还是没有解决")."""
    joined = "|".join(map(re.escape, alternative_words()))
    return re.match(rf"(?:{joined})(?:给我|把|再)?{_REMEDY}", clause) is not None


def _said(clause: str) -> bool:
    """Whether a clause starts with a verb of saying, its speaker left out ("说是人为损坏")."""
    verbs, look_alikes = speech_verbs()
    return clause.startswith(verbs) and not clause.startswith(look_alikes)


def _claim(clause: str) -> bool:
    """"他们说能治糖尿病": a seller's words that may have sold the purchase, not a response
    to a fault (no contact, no refusal, no fault named in it)."""
    cues = response_cues()
    if _in_touch(clause) or _mentions(clause, _fault_words()):
        return False
    for actor in cues["actor"]:
        position = clause.find(actor)
        if position >= 0 and clause[position + len(actor):].lstrip().startswith(cues["claim"]):
            return True
    return False


def _kind(clause: str, facts: Mapping[str, Any], strings: tuple[str, ...], bought_on: str,
          amount: list[tuple[int, int]]) -> str:
    if _is_fact(clause, facts, strings, bought_on, amount):
        return FACT
    if _is_demand(clause):
        return DEMAND
    if _is_response(clause):
        return RESPONSE
    return PROBLEM


def read_clauses(text: str, facts: Mapping[str, Any], written_on: date,
                 catalog: Catalog) -> list[Clause]:
    """Every clause of `text`, written, without personal data, with what it is about.
    A clause that only goes on from a response ("店长答应退款，但一直没退") stays one."""
    resolved = resolve_relative_dates(cl.narrow_alnum(text), written_on, catalog)
    strings = fact_strings(facts, catalog)
    bought_on = purchase_date_text(facts, catalog)
    found: list[Clause] = []
    told = False  # whether the account has said what went wrong, or a contact, yet
    for index, sentence in enumerate(scrub_sentences(resolved, personal_values(facts))):
        previous = ""
        written = with_losses_named([written_clause(raw) for raw in sentence])
        for clause, to_bot in zip(written, questions_to_bot(written), strict=True):
            if len(clause) < 2 or off_the_case(clause) or to_bot:
                continue
            amount = amount_spans(clause, facts)  # where it states the price, if it does
            kind = _kind(clause, facts, strings, bought_on, amount)
            if kind == FACT and _tells_more(clause, facts, strings, amount):
                kind = PROBLEM  # "我母亲买了3盒共4980元（现金3000元…）": kept whole
                clause = _without_closing_price(clause, amount)
            elif kind == PROBLEM:
                clause = _without_closing_price(clause, amount)
                amount = amount_spans(clause, facts)
                rest = _after_purchase(clause, facts, strings, amount)
                cut = clause[:clause.rfind(rest)]
                if not _tells_more(cut, facts, strings, amount_spans(cut, facts)):
                    clause = rest
            if kind == RESPONSE and not told and _claim(clause):
                kind = PROBLEM  # "他们说能治糖尿病": before anything went wrong, a sales claim
            if kind == PROBLEM and previous == RESPONSE and (
                    not _mentions(clause, _problem_words()) or _said(clause)):
                kind = RESPONSE  # "回去找他们，说是人为损坏": what they said
            if kind == PROBLEM and clause.startswith(alternative_words()) and (
                    previous == DEMAND or (not previous and _alternative_demand(clause))):
                kind = DEMAND  # "我们要退款，或者换个真的原装屏"; "或者换个真的原装屏。"
            told = told or _in_touch(clause) or (kind == PROBLEM and (
                _mentions(clause, _fault_words()) or bool(_NEGATION.search(clause))))
            if _HOW_OFTEN.fullmatch(clause) and found and found[-1].sentence == index:
                found[-1] = Clause(index, found[-1].text + clause, found[-1].kind)
                continue  # "找了，好几次了" → "找了好几次了": not a clause of its own
            found.append(Clause(index, clause, kind))
            previous = kind
    return _with_first_payment(found, facts)


def _with_first_payment(found: list[Clause], facts: Mapping[str, Any]) -> list[Clause]:
    """"交了九千八，后来又续了三千": where a sentence tells a further payment, the clause with
    the payment before it is kept even when it only restates the price, so the payments the
    text tells add up (and agree with the price once it is corrected to their total)."""
    further = {c.sentence for c in found if c.kind != FACT and _further_payment().search(c.text)}
    return [Clause(c.sentence, c.text, PROBLEM) if (
        c.kind == FACT and c.sentence in further and amount_spans(c.text, facts)) else c
        for c in found]


def _written(found: list[Clause], kinds: tuple[str, ...]) -> str:
    sentences: dict[int, list[str]] = {}
    for clause in found:
        if clause.kind in kinds:
            sentences.setdefault(clause.sentence, []).append(clause.text)
    return cl.join([sentences[index] for index in sorted(sentences)])


def problem_from_account(account: str, facts: Mapping[str, Any], account_date: date, *,
                         catalog: Catalog) -> str:
    """What went wrong and what followed, as written sentences: the account without what
    the form already states (date, place, product, price, order number, the demand, the
    user's name, phone and address), without the business's response and chat fillers.
    `facts` are answers or pre-fills in the answers' shapes (purchase_date ISO, amount float).
    Empty when the account holds nothing else."""
    return _written(read_clauses(account, facts, account_date, catalog), (PROBLEM,))


def response_from_account(account: str, facts: Mapping[str, Any], account_date: date, *,
                          catalog: Catalog) -> str:
    """What the business said or did, as written sentences; empty when the account does
    not say."""
    return _written(read_clauses(account, facts, account_date, catalog), (RESPONSE,))
