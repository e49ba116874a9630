"""The one reader of sums of money, shared by the answer readers and the analyzer.

In an account, a number is money when it carries a unit (元, 块, ¥, 人民币), when a payment word comes just
before it (花了, 价格, 交了, 定金), or when it stands alone as a clause right after a purchase
("买了块手表，三万八，…"). Approximate sums (五百多, 好几千, 1.5万左右) are not amounts: the
interview should ask for the exact figure. Among several sums the one tied to paying wins;
reference prices (原价, 降价了800元), per-unit prices and rebates count against a sum, and a sum
after 赔偿/补偿 is the compensation asked for instead.

In a short answer to "how much" (`read_amount`) a bare number is money too ("4200", "价格1037的",
"两千五"), 4.2k and 1.2w are read, and a reference price still counts when it is the only sum.
In both, a number that belongs to a product name (苹果15, iPhone 15, 小米14, mate60) or carries
another unit (2.2磅, 15寸) is never money.

The words that decide all this (units, paying and buying words, reference and approximate
words) are data, in `data/money_words.tsv`, read once when the module loads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows.numerals import BIG_UNITS, CHINESE_DIGITS, NUMBER, SMALL_UNITS, parse_number
from flows.tables import table_rows

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read_money_words() -> dict[str, tuple[str, ...]]:
    """List name -> its words as regular-expression alternatives, from data/money_words.tsv
    (a word marked "edge" ends a word: "t" in "2t", not in "2tb")."""
    lists: dict[str, list[str]] = {}
    for word, name, *flags in table_rows(DATA_DIR / "money_words.tsv"):
        lists.setdefault(name, []).append(re.escape(word) + ("\\b" if "edge" in flags else ""))
    return {name: tuple(words) for name, words in lists.items()}


_WORDS = _read_money_words()


def _any(name: str) -> str:
    """One of the words of a list, as a regular-expression group."""
    return "(?:" + "|".join(_WORDS[name]) + ")"


# A cue counts when at most a few characters of the same clause stand between it and the number.
_CUE_GAP = r"[^，。,.!?！？\d]"
_UNIT_AFTER = re.compile(rf"^\s*{_any('unit')}{_any('unit_suffix')}?")
_JIAO_AFTER = re.compile(
    rf"^\s*(?:块([一二三四五六七八九])(?![\d一二三四五六七八九十百千万{''.join(_WORDS['counted'])}])"
    r"|元([一二三四五六七八九1-9])(?:毛|角))"
)
_PREFIX_BEFORE = re.compile(rf"{_any('currency_before')}\s*$")
_NOT_MONEY_AFTER = re.compile(rf"^\s*{_any('other_unit')}")
_APPROXIMATE_BEFORE = re.compile(rf"{_any('approximate_before')}\s*$")
_APPROXIMATE_AFTER = re.compile(rf"^\s*(元|块)?\s*{_any('approximate_after')}")
# Cues that say plainly that this sum was paid for the purchase: only these make a sum sure
# enough to pre-tick ("误工费50000" has a 费 cue, but is a claim, not the price).
_PAID_CUE = re.compile(rf"{_any('paid')}{_CUE_GAP}{{0,3}}$")
_OFFER_BEFORE = re.compile(_any("offer"))  # a price on offer, not one paid
_CLAIM_BEFORE = re.compile(rf"{_any('claim')}[^。!?！？]{{0,20}}$")
_PAYMENT_CUE = re.compile(rf"{_any('payment')}{_CUE_GAP}{{0,3}}$")
_REFERENCE_CUE = re.compile(rf"{_any('reference')}{_CUE_GAP}{{0,3}}$")
_FEE_BEFORE = re.compile(rf"{_any('fee')}{_CUE_GAP}{{0,2}}$")
_UNPAID_CUE = re.compile(rf"{_any('unpaid')}{_CUE_GAP}{{0,3}}$")
_TOTAL_CUE = re.compile(rf"{_any('total')}{_CUE_GAP}{{0,3}}$")
_AGAIN_CUE = re.compile(rf"{_any('again')}{_CUE_GAP}{{0,2}}$")
# "还要再交200才给修": asked for, not paid (a 了 after the verb makes it paid: 再交了200)
_DEMANDED_CUE = re.compile(rf"{_any('demanded')}[^，。,.!?！？\d了]{{0,2}}$")
# "住院了 花了八千二": a loss the purchase caused, in the same sentence just before the sum
_LOSS_BEFORE = re.compile(rf"{_any('loss')}[^。!?！？\d]{{0,8}}$")
# "260是看病的钱", "260是医药费": a sum said to be a loss right after it
_LOSS_AFTER = re.compile(rf"^\s*(?:元|块钱?)?\s*(?:都|就|也)?(?:是|为)[^，。,.!?！？\d]{{0,2}}{_any('loss')}")
# "6万 分三次": 分 before a count of payments is not a minute
_INSTALMENTS_AFTER = re.compile(rf"^\s*分\s*(?:\d+|[一二两三四五六七八九十几])\s*{_any('instalment')}")
# "次卡20次9800": a count of sessions bought, then the package's price
_PACKAGE_BEFORE = re.compile(rf"(?:\d+|[一二两三四五六七八九十]+)\s*{_any('package_count')}\s*$")
_COMPENSATION_CUE = re.compile(rf"{_any('compensation')}{_CUE_GAP}{{0,8}}$")
_PER_UNIT_BEFORE = re.compile(rf"{_any('per_unit_before')}{_CUE_GAP}{{0,3}}$")
_PER_UNIT_AFTER = re.compile(
    rf"^\s*(元|块)?\s*(?:{_any('per_unit_after')}|[\d一二两三四五六七八九十]+个)")
MEASURE_WORD = re.compile(r"[一两几半]块")  # 一块巴掌大, 有一块发霉了: a piece, not a yuan
_CLAUSE_EDGE = re.compile(r"[，。,.!?！？；;：:\s]")
_NUMBER = re.compile(NUMBER)
# A number cannot start with a unit, except 十 (十五 = 15): "千" alone is not a sum.
_LEADING_UNITS = (frozenset(SMALL_UNITS) | frozenset(BIG_UNITS)) - {next(iter(SMALL_UNITS))}
_LATIN_BEFORE = re.compile(r"[a-z]\s?$")


@cache
def product_brands() -> tuple[str, ...]:
    """Brand and series words a model number follows (苹果15, 小米14), from data/brands.txt."""
    lines = (DATA_DIR / "brands.txt").read_text(encoding="utf-8").splitlines()
    words = {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}
    return tuple(sorted(words, key=len, reverse=True))


def is_model_number(text: str, start: int, end: int) -> bool:
    """True for a number that is part of a product's name: iPhone 15, mate60, 苹果15, 小米14."""
    if end < len(text) and text[end] in "元块¥":
        return False
    before = text[max(0, start - 8):start].lower()
    if _PREFIX_BEFORE.search(before):
        return False
    latin = _LATIN_BEFORE.search(before)
    if latin:
        # "mate60", "p40": glued, any number; "iPhone 15": spaced, a short number only
        return not latin.group(0).endswith(" ") or end - start <= 3
    stripped = before.rstrip()
    return any(stripped.endswith(brand) for brand in product_brands()) and (
        len(before) - len(stripped) <= 1)


@dataclass(frozen=True)
class Money:
    """One sum of money found in the text and how strongly it reads as the price paid."""

    value: float
    start: int
    end: int
    score: float
    compensation: bool
    paid: bool = False  # a plain paying cue right before it, and not inside a demand
    # said to be the total of what was paid (一共12800), or a further payment (又付了3000)
    total: bool = False
    again: bool = False
    # a price beside what was paid: a reference, a fee, a price per unit, or owed (尾款)
    aside: bool = False
    loss: bool = False  # a cost the purchase caused (住院了 花了8200): a compensation, not the price


def with_unit(text: str, found: Money) -> int:
    """Where `found` ends in `text` with the unit written after it (二百九十九块钱: after 钱)."""
    unit = _UNIT_AFTER.match(text[found.end:])
    return found.end + (unit.end() if unit else 0)


def _standalone(text: str, start: int, end: int) -> bool:
    """True for a number that is a whole clause by itself: "…手表，三万八，走时不准"."""
    before_ok = start == 0 or bool(_CLAUSE_EDGE.match(text[start - 1]))
    after_ok = end == len(text) or bool(_CLAUSE_EDGE.match(text[end]))
    return before_ok and after_ok


_PLACE_UNITS = frozenset(unit for unit, value in {**SMALL_UNITS, **BIG_UNITS}.items() if value >= 100)
_BOUGHT = re.compile(_any("bought"))


def _price_in_words(text: str, start: int, end: int, number_text: str) -> bool:
    """A sum written out in Chinese with its place units that ends its clause, in a clause
    about buying ("买的运动鞋二百九十九，") or as the whole clause ("…，二百九十九，").
    Written that way it is a price, not a count (二手), a name (三里屯) or a date (十一月),
    which carry no 百 or 千 or a unit of their own; a bare 两万七 after 行驶 or 一百六 for a
    spare part is in no clause about buying."""
    ends_clause = end == len(text) or bool(_CLAUSE_EDGE.match(text[end]))
    in_words = not any(char.isdigit() for char in number_text)
    if not (ends_clause and in_words and any(char in _PLACE_UNITS for char in number_text)):
        return False
    clause_start = max(text.rfind(edge, 0, start) for edge in "，。,.!?！？；;\n")
    return _standalone(text, start, end) or bool(_BOUGHT.search(text[clause_start + 1:start]))


_SAID_OF_A_SUM = re.compile(r"\d\s*(?:元|块钱?)?\s*(?:都|就|也)?(?:是|为)[^，。,.!?！？\d]{0,2}$")


def _loss_before(text: str, start: int) -> bool:
    """A loss named just before the sum ("住院了 花了八千二"), unless it was said of an earlier
    sum ("260是看病的钱 卡是9800": 看病 is the 260's)."""
    offset = max(0, start - 12)
    cue = _LOSS_BEFORE.search(text[offset:start])
    if cue is None:
        return False
    return not _SAID_OF_A_SUM.search(text[max(0, offset + cue.start() - 8):offset + cue.start()])


def _has_big_unit(number_text: str) -> bool:
    return any(unit in number_text for unit in BIG_UNITS) or "千" in number_text


def _read(text: str, match: re.Match[str], blocked: Iterable[tuple[int, int]],
          answer: bool = False) -> Money | None:
    start, end = match.span()
    number_text = match.group(0)
    if any(start < b_end and b_start < end for b_start, b_end in blocked):
        return None
    if is_model_number(text, start, end):
        return None
    if number_text[0] in _LEADING_UNITS:
        return None
    before = text[max(0, start - 12):start]
    after = text[end:end + 8]
    if _APPROXIMATE_BEFORE.search(before) and not answer:
        return None
    value = parse_number(number_text)
    if value is None or value <= 0:
        return None
    jiao = _JIAO_AFTER.match(after)
    has_unit = bool(_UNIT_AFTER.match(after) or _PREFIX_BEFORE.search(before))
    if jiao:
        tenth = jiao.group(1) or jiao.group(2)
        value += (int(tenth) if tenth.isdigit() else CHINESE_DIGITS[tenth]) / 10
        end += len(jiao.group(0))
    if not has_unit and _NOT_MONEY_AFTER.match(after) and not _INSTALMENTS_AFTER.match(after):
        return None
    if MEASURE_WORD.fullmatch(number_text + after[:1]) and not after.startswith("块钱") and (
            not _PAYMENT_CUE.search(before)):
        return None
    if has_unit and _APPROXIMATE_AFTER.match(after) and not answer:
        return None
    digits = sum(char.isdigit() for char in number_text)
    demanded = bool(_DEMANDED_CUE.search(before))
    loss = _loss_before(text, start) or bool(_LOSS_AFTER.match(text[end:end + 10]))
    # "又补了3000" is paid, not a rebate (补了200)
    again = bool(_AGAIN_CUE.search(before)) and not demanded
    reference = bool(_REFERENCE_CUE.search(before)) and not again
    unpaid = bool(_UNPAID_CUE.search(before))
    payment_cue = bool(_PAYMENT_CUE.search(before)) and not reference and not unpaid
    if not has_unit and value < 10 and not answer:
        return None
    if has_unit:
        score = 1.5
    elif (payment_cue and (digits >= 2 or _has_big_unit(number_text)) and digits <= 8) or (
            _standalone(text, start, end) and (3 <= digits <= 7 or _has_big_unit(number_text))
            ) or _price_in_words(text, start, end, number_text) or (
            _PACKAGE_BEFORE.search(before) and 3 <= digits <= 7
            and (end == len(text) or bool(_CLAUSE_EDGE.match(text[end])))):
        score = 1.0
    elif _has_big_unit(number_text) and text[end:end + 1] == "的" and digits <= 7:
        score = 0.5
    elif answer:
        score = 1.0
    else:
        return None
    if payment_cue:
        score += 2.0
    if reference:
        score -= 0.5 if answer else 3.0
    fee = answer and bool(_FEE_BEFORE.search(before))
    if fee:
        score -= 3.0  # "商品699 运费10块": the fee is not the price
    per_unit = bool(_PER_UNIT_BEFORE.search(before) or _PER_UNIT_AFTER.match(after))
    if per_unit:
        score -= 1.0
    if unpaid:
        score -= 1.0  # "合同总价86000", "尾款26000": agreed or owed, not paid
    if demanded or loss:
        score -= 4.0  # "还要再交200", "住院了 花了八千二": never the price paid
    total = bool(_TOTAL_CUE.search(before)) and not unpaid
    if total:
        score += 0.5  # "一共12800" outranks the first of its parts
    compensation = bool(_COMPENSATION_CUE.search(text[max(0, start - 10):start]))
    clause_start = max(text.rfind(edge, 0, start) for edge in "。！？!?;；\n")
    paid = (bool(_PAID_CUE.search(before)) and not reference and not demanded and not loss
            and not _OFFER_BEFORE.search(before)
            and not _CLAIM_BEFORE.search(text[clause_start + 1:start]))
    again = again and not total
    return Money(value, start, end, score, compensation, paid, total, again,
                 reference or fee or per_unit or unpaid or demanded or loss, loss)


def find_money(text: str, blocked: Iterable[tuple[int, int]] = (),
               answer: bool = False) -> list[Money]:
    """Every sum of money in the text, skipping spans already read as dates or order numbers.

    `answer` reads a short reply to "how much": bare numbers count there."""
    blocked = list(blocked)
    found = []
    for match in _NUMBER.finditer(text):
        if found and match.start() < found[-1].end:
            continue  # the 九 of 九块九, read already as its jiao
        money = _read(text, match, blocked, answer)
        if money:
            found.append(money)
    return found


# "49块9", "49元9角9": yuan, then jiao (and fen) spoken without a point
_JIAO = re.compile(r"(?<![\d.])(\d+)\s*[块元]\s*(\d)\s*(?:[毛角]\s*(\d)?\s*分?)?(?!\s*\d)")
_THOUSANDS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([kw])(?![a-z])")


def _fold_answer(text: str) -> str:
    """Half-width, lower-case, commas inside numbers kept, 4.2k → 4200 and 1.2w → 12000."""
    folded = unicodedata.normalize("NFKC", text).lower().replace("￥", "¥")

    def expand(match: re.Match[str]) -> str:
        value = float(match.group(1)) * (1000 if match.group(2) == "k" else 10_000)
        return f"{value:.0f}元" if value.is_integer() else f"{value:.2f}元"

    folded = _JIAO.sub(lambda m: f"{m.group(1)}.{m.group(2)}{m.group(3) or ''}元", folded)
    return _THOUSANDS.sub(expand, folded)


def _only_sums(folded: str, found: list[Money]) -> bool:
    """True when nothing but sums and what joins them is typed ("3万 2万 1万", "9800+3000")."""
    rest, end = "", 0
    for money in found:
        rest, end = rest + folded[end:money.start], with_unit(folded, money)
    return bool(_BETWEEN_PARTS.fullmatch(rest + folded[end:]))


def _total_of_the_others(folded: str, found: list[Money]) -> Money | None:
    """The sum that is the total of all the others ("是12800 分两次交的 9800和3000": 12800),
    when there are at least two others and words say what the sums are (a bare list, "3万 2万
    1万", is payments one after another); None otherwise."""
    if len(found) < 3 or _only_sums(folded, found):
        return None
    whole = sum(money.value for money in found)
    return next((money for money in found
                 if round(money.value * 2, 2) == round(whole, 2)), None)


def read_amount(text: str) -> float | None:
    """The sum a short answer gives: '4200', '4200块', '¥1,299.50', '两千五', '2万8', '4.2k',
    '价格1037的', '苹果15 4200' (4200); None when it names none. The sum tied to paying wins,
    then the first one."""
    folded = _fold_answer(text)
    found = [money for money in find_money(folded, answer=True) if not money.compensation]
    if (total := _total_of_the_others(folded, found)) is not None:
        return round(total.value, 2)  # "12800 分两次交的 9800和3000": the total
    if not found:
        found = find_money(folded, answer=True)
    best = max(found, key=lambda money: (money.score, -money.start), default=None)
    return round(best.value, 2) if best else None


def pick_amount(found: list[Money]) -> Money | None:
    """The sum most likely paid: highest score, earliest on ties; None if all read as references."""
    paid = [money for money in found if not money.compensation and money.score > 0]
    return max(paid, key=lambda money: (money.score, -money.start), default=None)


def paid_in_parts(found: list[Money]) -> list[Money]:
    """The payments that make up what was paid for one purchase: the sum most likely paid and
    the further payments said after it ("先付9800，后来加课又付了3000": both), or that sum alone;
    a sum said to be the total ("一共12800") stands alone. Empty when nothing reads as paid."""
    best = pick_amount(found)
    if best is None or best.total:
        return [best] if best else []
    further = [money for money in found if money.again and not money.compensation
               and not money.aside and money.score > 0]
    first = best if not best.again else next(
        (money for money in found if not money.again and not money.compensation
         and not money.aside and money.score > 0 and money.start < best.start), None)
    if first is None:
        return [best]
    return [first, *(money for money in further if money.start > first.start)]


_BETWEEN_PARTS = re.compile(r"[\s+＋、,，;；和加及]*")


def answer_in_parts(text: str) -> list[float]:
    """The payments a short answer to "how much" adds up: "3万 2万 1万", "9800+3000", "办卡交了6800
    后来又续了2000"; fewer than two when it names one sum (or a sum beside a reference price,
    a fee or what is still owed, which `read_amount` tells apart)."""
    folded = _fold_answer(text)
    found = [money for money in find_money(folded, answer=True) if not money.compensation]
    if (total := _total_of_the_others(folded, found)) is not None:
        return [money.value for money in found if money is not total]
    if len(found) < 2 or any(money.total for money in found):
        return []
    if not any(money.aside for money in found) and _only_sums(folded, found):
        return [money.value for money in found]  # nothing but sums: a list of payments
    parts = paid_in_parts(found)
    return [money.value for money in parts] if len(parts) >= 2 else []


_COUNT = r"(?:[2-9]|[1-9]\d|[两二三四五六七八九十]|十[一二三四五六七八九])"
_PER_PIECE_BEFORE = re.compile(rf"(?:一|每|1)\s*({_any('unit_count')})\s*(?:要|卖|是)?\s*$")


def _measure(word: str) -> str:
    """A measure word as a character class, 盒 and its slip 合 as one: "[盒合]"."""
    return "[盒合]" if word in "盒合" else re.escape(word)


def bought_count(text: str, found: Money) -> int | None:
    """How many were bought when `found` is the price of one ("买了三盒 … 一盒1660": 3);
    None when it is not a price per piece or no count of the same things is said."""
    per_piece = _PER_PIECE_BEFORE.search(text[max(0, found.start - 4):found.start])
    if not per_piece:
        return None
    counted = re.compile(rf"(?<![\d一二两三四五六七八九十百千万])({_COUNT})\s*{_measure(per_piece.group(1))}")
    for match in counted.finditer(text):
        if match.start() >= found.start - 4 and match.start() < found.end:
            continue
        count = parse_number(match.group(1))
        if count and count >= 2:
            return int(count)
    return None


def pick_compensation(found: list[Money]) -> Money | None:
    asked = [money for money in found if money.compensation]
    return asked[0] if asked else None
