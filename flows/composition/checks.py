"""What a composed complaint text must satisfy, as named checks: used by the composition
test set (tests/data/compose_cases.jsonl) and by bench/compose.py.

Each check is True when the text passes. They read only the answers and the composed
text, so they apply to any composer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flows.catalog import Catalog
from flows.composition import clauses as cl
from flows.composition.account import purchase_date_text
from flows.composition.compose import (
    TEXT_BOX_LIMIT,
    ComplaintText,
    bought_again,
    is_service,
    product_name,
)
from flows.composition.demands import demand_phrase
from flows.composition.personal import NUMBER_PATTERN, personal_values
from flows.composition.written import relative_words_in
from flows.dates import is_month_value
from flows.formats import money

CHECKS = ("personal_data", "date_once", "amount_once", "product_once", "no_relative_dates",
          "whole_sentences", "within_limit", "demand_present")


def _count(text: str, value: str) -> int:
    return len(re.findall(rf"(?<![\d.]){re.escape(value)}", text))


def _named(text: str, product: str) -> int:
    """How often `text` names the product, a purchase told again with a quantity aside."""
    return sum(not bought_again(text, match.start())
               for match in re.finditer(re.escape(product), text))


def leaked_personal_data(text: str, answers: Mapping[str, Any],
                         extra: Iterable[str] = ()) -> list[str]:
    """Personal data found in `text`: number shapes (the order number excepted) and the
    user's own name, phone and address, plus `extra` values known to be personal."""
    order = str(answers.get("order_number") or "")
    found = [m.group() for m in NUMBER_PATTERN.finditer(text)
             if not order or m.group() not in order]
    found += [value for value in (*personal_values(answers), *extra) if value and value in text]
    return found


def _whole(text: str, allowed: set[str]) -> bool:
    sentences = cl.sentences_of(text)
    if "".join(sentences) != text or re.search(r"[。！？]{2}|…|\.\.\.", text):
        return False
    return all(s[-1] in cl.SENTENCE_ENDS and s in allowed for s in sentences)


def check(result: ComplaintText, answers: Mapping[str, Any], catalog: Catalog,
          personal: Iterable[str] = ()) -> dict[str, bool]:
    """Every check of CHECKS for one composed text."""
    full, short = result.full, result.short
    date_written = purchase_date_text(answers, catalog)
    amount = f"{money(float(answers['amount']))}元" if (
        answers.get("amount") is not None and answers.get("kind") != "report") else ""
    product = product_name(answers, catalog)
    allowed = {s.text for s in result.sentences} | {s.stand_in for s in result.sentences}
    demand = demand_phrase(answers, catalog) if answers.get("kind") != "report" else ""
    extra = tuple(personal)
    return {
        "personal_data": not leaked_personal_data(full, answers, extra),
        # a month is no day to refer back to (购买当天): the user's "9月份" may stay
        "date_once": not date_written or is_month_value(str(answers["purchase_date"])) or (
            full.count(date_written) == 1 and short.count(date_written) == 1),
        "amount_once": not amount or (_count(full, amount) == 1 and _count(short, amount) == 1),
        # a service keeps its name where it is named again (装修拖了2个月): no 该商品
        # and the purchase told again with a quantity keeps it (买了三盒保健品)
        "product_once": not product or (_named(full, product) == 1 and _named(short, product) == 1)
        or (is_service(product) and product in full and product in short),
        "no_relative_dates": not relative_words_in(full),
        "whole_sentences": _whole(full, allowed) and _whole(short, allowed),
        "within_limit": len(short) <= TEXT_BOX_LIMIT,
        "demand_present": not demand or demand in short,
    }
