"""投诉内容 composed from the answers: each fact once, in written Chinese, in whole sentences.

The text reads: who bought what, where, when and for how much (the business's full name
once); what went wrong; when it was found; what the business said or did; the demand;
the evidence. The 400-character version keeps whole sentences in order of importance
(the facts and the demand first, since 12315 needs both; then the problem, harm and money
lost first; then the business's response; evidence last) and says which sentences it left
for the full version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flows.catalog import Catalog
from flows.composition import clauses as cl
from flows.composition.account import (
    PROBLEM,
    RESPONSE,
    Clause,
    names_a_problem,
    problem_from_account,
    purchase_date_text,
    quantity_pattern,
    read_clauses,
    response_from_account,
    stored_date_text,
)
from flows.composition.demands import demand_phrase
from flows.composition.resources import (
    contact_parties,
    demonstratives,
    description_starts,
    final_particles,
    harm_words,
    kind_endings,
    name_introductions,
    name_sayings,
    offer_refusals,
    offer_starts,
    place_prepositions,
    principal_pronouns,
    product_followers,
    product_name_continuations,
    product_references,
    purchase_words,
    relation_words,
    response_openers,
    service_words,
    shop_endings,
    speech_verbs,
    subjectless_acts,
    unreachable_words,
)
from flows.composition.written import written_clause
from flows.dates import is_month_value
from flows.formats import money
from flows.insight import AMOUNT_PARTS
from flows.readers import looks_registered
from flows.understanding.segmenter import segment

TEXT_BOX_LIMIT = 400  # the 12315 form's main text box
LONGEST_SENTENCE = 150  # a run-on sentence longer than this is split at its clauses

# Importance: lower is kept first in the short version.
RANK_INTRO, RANK_DEMAND, RANK_PROBLEM, RANK_RESPONSE, RANK_EVIDENCE = 0.0, 0.5, 1.0, 2.0, 4.0


@dataclass(frozen=True)
class Sentence:
    """One sentence of the complaint text: what part of the story it tells, how important
    it is (lower first) and, for the business's response, a shorter stand-in."""

    text: str
    part: str  # intro | problem | discovered | response | demand | evidence
    rank: float
    stand_in: str = ""


@dataclass(frozen=True)
class ComplaintText:
    """The composed text: `full` (all sentences), `short` (≤ the text box, whole sentences
    only) and `left_out` (sentences of the full version the short one does not carry)."""

    sentences: tuple[Sentence, ...]
    full: str
    short: str
    left_out: tuple[str, ...]

    def left_out_notice(self, catalog: Catalog) -> str | None:
        """What to tell the user under the short version; None when nothing was left out."""
        if not self.left_out:
            return None
        lines = "\n".join(catalog.text("compose.left_out_line", sentence=s)
                          for s in self.left_out)
        return catalog.text("compose.left_out_notice", count=len(self.left_out),
                            sentences=lines)


def compose(answers: Mapping[str, Any], *, account: str, account_date: date, today: date,
            catalog: Catalog, limit: int = TEXT_BOX_LIMIT) -> ComplaintText:
    """The complaint text for a draft's answers.

    `account` is the user's own account (the narrative) and `account_date` the day it was
    written: relative dates in the account and in the answers drawn from it are resolved
    against that day; the account fills `problem` and `contact_result` when they are
    missing. `today` is the day the later answers were typed (`contact_result`,
    `demand_other`): their relative dates are resolved against it."""
    sentences = [*_intro(answers, catalog)]
    problem = answers.get("problem") or problem_from_account(account, answers, account_date,
                                                            catalog=catalog)
    response: list[Clause] = []
    if answers.get("contacted", "yes") == "yes":
        typed = answers.get("contact_result")
        response = read_clauses(typed, answers, today, catalog) if typed else read_clauses(
            response_from_account(account, answers, account_date, catalog=catalog), answers,
            account_date, catalog)
    sentences += _problem(answers, read_clauses(problem, answers, account_date, catalog),
                          response, catalog)
    if answers.get("discovered_on"):
        who = _subject(answers, catalog)
        sentences.append(Sentence(catalog.text("compose.discovered", who=who, date=stored_date_text(
                                      answers["discovered_on"], catalog)),
                                  "discovered", RANK_PROBLEM + 0.05))
    if answers.get("kind") == "report":
        sentences.append(Sentence(catalog.text("compose.report_ask"), "demand", RANK_DEMAND))
    else:
        sentences += _response(answers, response, catalog)
        demand = demand_phrase(answers, catalog, today)
        if demand:
            sentences.append(Sentence(catalog.text("compose.demand", demand=demand), "demand",
                                      RANK_DEMAND))
    sentences += _evidence(answers, catalog)
    return _fit(sentences, limit)


# ---- who, what, when, how much ------------------------------------------------------------


# A quantity said after the name, as people type it ('健身卡 两年的', '课程，30节的').
_QUANTITY_AFTER = re.compile(r"(.+?)[\s，,]+([0-9一二两三四五六七八九十半百千几][^\s，,的]{0,4})的")


def product_name(answers: Mapping[str, Any], catalog: Catalog) -> str:
    """The product as the complaint writes it: without a trailing chat remark ('美容卡
    充值的'), and a quantity typed after it in brackets ('健身卡 两年的' → 健身卡（两年）)."""
    name, quantity = _product_parts(answers)
    said = _description(str(answers.get("product") or ""))[1]
    quantity = catalog.text("compose.detail_separator").join(q for q in (quantity, said) if q)
    return catalog.text("compose.product_quantity", product=name,
                        quantity=quantity) if quantity else name


def _product_parts(answers: Mapping[str, Any]) -> tuple[str, str]:
    """(the product's name, a quantity typed after it or "")."""
    product = " ".join(_without_particle(part) for part in
                       str(answers.get("product") or "").split())  # 英语课啊 少儿英语
    product = _name_said(_description(product)[0])
    while True:
        head, _, tail = product.rpartition(" ")
        tail = tail.strip("，, ")
        if head and len(tail) <= 5 and any(word in tail for word in purchase_words()):
            product = head.strip("，, ")
        else:
            break
    quantity = _QUANTITY_AFTER.fullmatch(product)
    return (quantity[1], quantity[2]) if quantity else (product, "")


def _description(product: str) -> tuple[str, str]:
    """("美容次卡 20次的", "面部护理补水") for "美容次卡 20次的 做的是面部护理补水那种": a
    description typed after the name, as the name's bracket writes it; else (product, "")."""
    head, _, tail = product.strip().rpartition(" ")
    ending = next((word for word in kind_endings() if tail.endswith(word)), "")
    if not head.strip() or not ending:
        return product, ""
    said = tail[:-len(ending)]
    start = next((word for word in description_starts() if said.startswith(word)), "")
    said = said[len(start):].strip("，, ")
    return (head.strip("，, "), said) if len(said) >= 2 else (product, "")


def _name_said(product: str) -> str:
    """"什么降糖胶囊 盒子上写的 康寿源牌 降糖通胶囊" → "康寿源牌降糖通胶囊": where the answer
    talks its way to the name (写的, 叫), the name is what follows the last such word."""
    cut = max((product.rfind(word) + len(word) for word in name_sayings()
               if product.rfind(word) > 0), default=0)
    name = product[cut:].strip("：:是 ，,")
    if not cut or len(name) < 2:
        return product
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", name)


def _without_particle(word: str) -> str:
    """"英语课啊" → "英语课": a chat particle typed after the name."""
    particle = next((p for p in final_particles() if word.endswith(p)), "")
    return word[:-len(particle)] if particle and len(word) > len(particle) + 1 else word


def _place(answers: Mapping[str, Any], catalog: Catalog) -> str:
    """Where it was bought. A shop's name and its business's registered name, when they
    differ, are both written: the clerk looks the business up, the consumer knows the shop."""
    business = str(answers.get("business_name") or "").strip()
    if answers.get("channel") == "online":
        code = answers.get("platform")
        # Known platforms are stored by code and named in the user's language.
        platform = catalog.maybe(f"platform.{code}") or code if code else None
        # A registered name held as the shop's is a business (often a shop's name kept from
        # an earlier 实体店 answer): only a shop's sign is named beside the business.
        shop = str(answers.get("store_name") or "").strip()
        if shop and business and shop != business and not looks_registered(shop):
            return _online_shop(answers, platform, shop, business, catalog)
        if looks_registered(business) or (not business and looks_registered(shop)):
            # a company is no shop: 在美团上的商家（经营者：北京某某餐饮管理有限公司）
            return _online_shop(answers, platform, "", business or shop, catalog)
        business = business or shop
        text = (catalog.text("compose.place_online", platform=platform, business=business)
                if platform else catalog.text("compose.place_online_no_platform",
                                              business=business))
        order = answers.get("order_number")
        return text + (catalog.text("compose.order", order=order) if order else "")
    business = _written_name(business)
    store = _written_name(_without_preposition(str(answers.get("store_name") or business).strip()))
    # "力美健身望京店（力美健身）" says the sign twice: a business that is only part of the
    # shop's sign, or another way of saying it (国美电器通州万达店 for 国美通州万达店), adds
    # nothing; a registered name does
    if business and business != store and (looks_registered(business) or (
            business not in store and business[:_BRAND] != store[:_BRAND])):
        return catalog.text("compose.place_store_with_business", store=store, business=business)
    return catalog.text("compose.place_store", store=store)


_BRAND = 2  # the characters a shop's sign and its business's name share when one brand


def _written_name(name: str) -> str:
    """"国美电器 通州万达那个店" → "国美电器通州万达店": a name as typed in chat, without the
    word pointing at the shop and the spaces between Chinese words."""
    for word in demonstratives():
        name = re.sub(rf"(?<=[\u4e00-\u9fff]){re.escape(word)}(?=[\u4e00-\u9fff]?$)", "", name)
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", name)


def _without_preposition(store: str) -> str:
    """"在小区活动室" → "小区活动室": the intro already says 在."""
    word = next((w for w in place_prepositions() if store.startswith(w)), "")
    return store[len(word):] if len(store) - len(word) >= 2 else store


def _online_shop(answers: Mapping[str, Any], platform: str | None, shop: str, business: str,
                 catalog: Catalog) -> str:
    """抖音“暖暖服饰旗舰店”（经营者：杭州暖暖服饰有限公司，订单编号：…）, 美团“川味小厨”店铺
    （经营者：…）; without the shop's name, 美团上的商家（经营者：…）."""
    details = [catalog.text("compose.operator", business=business)]
    if order := answers.get("order_number"):
        details.append(catalog.text("compose.order_detail", order=order))
    key = "compose.place_online_shop" if platform else "compose.place_online_shop_no_platform"
    if not shop:
        key = ("compose.place_online_operator" if platform
               else "compose.place_online_operator_no_platform")
    elif not shop.endswith(shop_endings()):
        key += "_named"  # "川味小厨" is a name: 美团“川味小厨”店铺
    return catalog.text(key, platform=platform or "", store=shop,
                        details=catalog.text("compose.detail_separator").join(details))


def _principal(answers: Mapping[str, Any], catalog: Catalog) -> tuple[str, str]:
    """(how the complaint names the principal after 我代, the subject of their purchase)."""
    name = str(answers.get("principal_name") or "").strip()
    relation = str(answers.get("principal_relation") or "").strip()
    if name and relation:
        return catalog.text("compose.principal_with_relation", relation=relation, name=name), name
    if relation:
        said = catalog.text("compose.principal_relation_only", relation=relation)
        return said, said
    if name:
        return name, name
    return catalog.text("compose.principal_unnamed"), catalog.text("compose.someone")


def _subject(answers: Mapping[str, Any], catalog: Catalog) -> str:
    if answers.get("for_whom") == "other":
        return _principal(answers, catalog)[1]
    return catalog.text("compose.self")


def _intro(answers: Mapping[str, Any], catalog: Catalog) -> list[Sentence]:
    params = {"date": purchase_date_text(answers, catalog), "place": _place(answers, catalog),
              "product": product_name(answers, catalog)}
    if answers.get("kind") == "report":
        code = str(answers.get("violation") or "")
        violation = catalog.maybe(f"violation.{code}") or code
        when = catalog.text("compose.report_when", date=params["date"]) if params["date"] else ""
        product = (catalog.text("compose.report_product", product=params["product"])
                   if params["product"] else "")
        text = catalog.text("compose.report_intro", violation=violation, when=when,
                            place=params["place"], product=product)
    elif answers.get("for_whom") == "other":
        principal, name = _principal(answers, catalog)
        text = catalog.text("compose.intro_other", principal=principal, name=name,
                            paid=_paid(answers, catalog), **params)
    else:
        text = catalog.text("compose.intro", paid=_paid(answers, catalog), **params)
    return [Sentence(s, "intro", RANK_INTRO) for s in cl.sentences_of(text)]


def _paid(answers: Mapping[str, Any], catalog: Catalog) -> str:
    """支付12800元, or 分两次共支付12800元（9800元、3000元） when the price is the total of
    payments the user named: the account may tell only one of them."""
    amount = float(answers.get("amount") or 0)
    parts = [float(part) for part in answers.get(AMOUNT_PARTS) or []]
    counts = catalog.text("compose.paid_counts").split("|")
    if 2 <= len(parts) <= len(counts) and round(sum(parts), 2) == round(amount, 2):
        listed = catalog.text("compose.paid_part_separator").join(
            catalog.text("compose.paid_part", amount=money(part)) for part in parts)
        return catalog.text("compose.paid_in_parts", count=counts[len(parts) - 1],
                            amount=money(amount), parts=listed)
    return catalog.text("compose.paid", amount=money(amount))


# ---- the problem and the business's response ----------------------------------------------


def _refer_back(clause: str, answers: Mapping[str, Any], catalog: Catalog) -> str:
    """Names the intro already states, named again in a clause, become 该商品 / 该商家 /
    购买当天. Sums are left alone: one that equals the price may be a different sum. Only a
    whole word is a name named again: not part of a longer word (换屏 in 换屏幕) or of a longer
    name (酸菜鱼 in 渔小鲜酸菜鱼望京店), nor a name being introduced (叫降糖通胶囊,
    写的康寿源健康); a service without a reference of its own keeps its name (装修)."""
    product = _product_parts(answers)[0]  # as a clause names it: 健身卡, not 健身卡（两年）
    shops = [str(answers.get(n) or "") for n in ("business_name", "store_name")]
    names = sorted({n for n in (product, *shops) if len(n) >= 2}, key=len, reverse=True)
    taken = _name_spans(clause, names)
    bounds = _word_bounds(clause) if taken else frozenset()
    out, position = [], 0
    for start, end in taken:
        name = clause[start:end]
        if (_inside_longer_name(clause, start, end, taken, name == product)
                or not {start, end} <= bounds or _introduced(clause, start)):
            continue
        if name == product and bought_again(clause, start):
            continue  # "买了三盒保健品": the purchase told again with its quantity
        if name == product:
            reference, followed = _product_again(clause, end, product, catalog)
            if not reference:
                continue
            end += followed
        else:
            reference = catalog.text("compose.business_again")
            start = _pointed_from(clause, position, start)
        out += [clause[position:start], reference]
        position = end
    out.append(clause[position:])
    return _date_again("".join(out), answers, catalog)


# Where a place said before a shop's name may start: after these, or at the clause's start.
_PLACE_STARTS = re.compile(r"[^\u4e00-\u9fff]|[在去到了找的从]")
_LONGEST_PLACE = 6


def _pointed_from(clause: str, position: int, start: int) -> int:
    """Where "金融街那个" starts before a shop's name at `start`: a place and a word pointing
    at the shop (那个, 这家) are chat once the name is said again as 该商家."""
    before = clause[position:start]
    word = next((w for w in demonstratives() if before.endswith(w)), "")
    if not word:
        return start
    place_end = start - len(word)
    place_start = place_end
    while (place_start > position and place_end - place_start < _LONGEST_PLACE
           and not _PLACE_STARTS.fullmatch(clause[place_start - 1])):
        place_start -= 1
    if place_start > position and not _PLACE_STARTS.fullmatch(clause[place_start - 1]):
        return place_end  # a longer text before: only the pointing word goes
    return place_start


def bought_again(clause: str, start: int) -> bool:
    """Whether the product's name at `start` is what a purchase word before it says was
    bought with a quantity between them ("买了三合保健品", "购买了2盒保健品"): that clause tells
    the purchase again with facts of its own, and "买了三合该商品" would not read."""
    before = clause[:start].rstrip()
    quantity = re.search(rf"(?:{quantity_pattern().pattern})的?$", before)
    return quantity is not None and before[:quantity.start()].endswith(purchase_words())


def _date_again(clause: str, answers: Mapping[str, Any], catalog: Catalog) -> str:
    """The purchase day said again: left out where the clause tells the purchase itself (the
    intro dates it), else 购买当天 (当天 in a report: its date is when it was seen). A month
    is no day: "2026年9月在西城…" stays as the user said it."""
    written = purchase_date_text(answers, catalog)
    if not written or written not in clause or is_month_value(str(answers["purchase_date"])):
        return clause
    if _tells_the_purchase(clause, answers):
        dropped = re.sub(rf"(?:{'|'.join(map(re.escape, place_prepositions()))})?"
                         rf"{re.escape(written)}", "", clause).strip()
        return dropped if len(dropped) >= 2 else clause
    key = "compose.report_day_again" if answers.get("kind") == "report" else (
        "compose.purchase_day_again")
    return clause.replace(written, catalog.text(key))


def _tells_the_purchase(clause: str, answers: Mapping[str, Any]) -> bool:
    """Whether a clause with the purchase day tells the purchase itself: with a purchase word,
    or naming the product, if only loosely ("…日在丰台数码城换手机屏幕" for 换屏: its
    characters in order, a few words between), and nothing going wrong; "…日晚上手机就黑了"
    and "…日在4S店做常规保养" tell something else that day."""
    product = _product_parts(answers)[0]
    if any(word in clause for word in purchase_words()):
        return True
    if len(product) < 2:
        return False
    named = re.search(".{0,3}".join(map(re.escape, product)), clause)
    return named is not None and not names_a_problem(clause[:named.start()]
                                                     + clause[named.end():])


def _word_bounds(clause: str) -> frozenset[int]:
    """Where the words of `clause` start and end."""
    return frozenset(edge for token in segment(clause) for edge in (token.start, token.end))


def _introduced(clause: str, start: int) -> bool:
    """Whether the name at `start` is being said rather than referred back to (叫…, 写的…)."""
    return clause[:start].rstrip(" “\"'「《").endswith(name_introductions())


def _name_spans(clause: str, names: list[str]) -> list[tuple[int, int]]:
    """Where the known names stand in `clause`, longest first, none inside another."""
    spans: list[tuple[int, int]] = []
    for name in names:
        for match in re.finditer(re.escape(name), clause):
            start, end = match.span()
            if not any(start < e and s < end for s, e in spans):
                spans.append((start, end))
    return sorted(spans)


def _inside_longer_name(clause: str, start: int, end: int, taken: list[tuple[int, int]],
                        is_product: bool) -> bool:
    """A name right next to another known name (渔小鲜 + 酸菜鱼), or a product's name followed
    by a word that continues a name (蒙牛乳业, 酸菜鱼店), is part of a longer name. (A shop's
    name before 客服 or 售后 is still the shop.)"""
    if any(e == start or s == end for s, e in taken):
        return True
    return is_product and any(clause.startswith(w, end) for w in product_name_continuations())


def _product_again(clause: str, end: int, product: str, catalog: Catalog) -> tuple[str, int]:
    """How the product is referred back to (该车 when 车 follows, 该卡 for a card, 该商品),
    and the length of the word after it that the reference takes in (车); "" for a service
    without a reference of its own (装修拖了2个月 stays: it is no 商品)."""
    for follower, reference in product_followers():
        if clause.startswith(follower, end):
            return reference, len(follower)
    own = next((ref for ending, ref in product_references() if product.endswith(ending)), "")
    if own:
        return own, 0
    return ("" if is_service(product) else catalog.text("compose.product_again")), 0


def is_service(product: str) -> bool:
    """Whether the product's name is a service (换屏, 手机维修, 装修, 英语课)."""
    anywhere, at_end, at_start = service_words()
    return (any(word in product for word in anywhere) or product.endswith(at_end)
            or product.startswith(at_start))


def _sentences(found: list[Clause], answers: Mapping[str, Any], catalog: Catalog) -> list[str]:
    """Clauses grouped back into their sentences; a run-on one split at its clauses."""
    grouped: dict[int, list[str]] = {}
    for clause in found:
        grouped.setdefault(clause.sentence, []).append(_refer_back(clause.text, answers, catalog))
    written: list[str] = []
    seen: set[str] = set()
    alone = catalog.text("compose.business_again")
    for index in sorted(grouped):
        grouped[index] = [c for c in grouped[index] if len(c) < 6 or c not in seen]
        for at in range(len(grouped[index]) - 1, -1, -1):  # "该商家，先说免费体验": a subject
            if grouped[index][at] == alone and at + 1 < len(grouped[index]):
                grouped[index][at:at + 2] = [alone + grouped[index][at + 1]]
        seen.update(grouped[index])
        chunk: list[str] = []
        for clause in grouped[index]:
            if chunk and len(cl.join_clauses([*chunk, clause])) > LONGEST_SENTENCE:
                written.append(cl.join_clauses(chunk))
                chunk = []
            chunk.append(clause)
        if chunk:
            written.append(cl.join_clauses(chunk))
    return [s for s in written if s]


def _problem(answers: Mapping[str, Any], found: list[Clause], response: list[Clause],
             catalog: Catalog) -> list[Sentence]:
    said_in_response = {c.text for c in response}
    told = _pairs("".join(said_in_response))
    kept = [c for c in found if c.kind in (PROBLEM, RESPONSE) and c.text not in said_in_response
            and not (c.kind == RESPONSE and told and (c.text in response_openers()
                                                      or _told_in(c.text, told)))]
    sentences = []
    for index, text in enumerate(_in_principal_voice(_sentences(kept, answers, catalog),
                                                     answers)):
        harm = any(word in text for word in harm_words()) or bool(re.search(r"\d\s*元", text))
        rank = RANK_PROBLEM if index == 0 else RANK_PROBLEM + (0.1 if harm else 0.2)
        sentences.append(Sentence(text, "problem", rank + index / 1000))
    return sentences


_SELF = re.compile(r"我(?!们)")


def _in_principal_voice(texts: list[str], answers: Mapping[str, Any]) -> list[str]:
    """Filed for someone else, an account told in that person's own voice ("我买了三盒…，我就把
    药停了") has their 我 written as 她/他 (or their name): after "我代我母亲吴桂兰投诉" the
    text's 我 is the one filing. An account that speaks of them ("我妈买了…", "她…", their
    name) is the filer's own and stays."""
    if answers.get("for_whom") != "other" or answers.get("kind") == "report":
        return texts
    told = "".join(texts)
    name = str(answers.get("principal_name") or "").strip()
    relation = str(answers.get("principal_relation") or "").strip()
    pronoun = principal_pronouns().get(relation, "")
    spoken_of = (re.search(rf"(?:我的?|俺)(?:{'|'.join(map(re.escape, relation_words()))})",
                           told) or (len(name) >= 2 and name in told)
                 or (pronoun and re.search(rf"(?:^|[，。；！？]){pronoun}(?!们)", told)))
    who = pronoun or name
    if not _SELF.search(told) or spoken_of or not who:
        return texts
    return [_SELF.sub(who, text) for text in texts]


SAME_EVENT = 0.5  # the share of a clause's character pairs the response holds to tell it again
SHORTEST_EVENT = 5  # character pairs: a shorter clause is compared whole


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _told_in(clause: str, told: set[str]) -> bool:
    """Whether the response sentence tells the business's response in the problem again
    ("说是人为损坏" beside the typed "说是我爸自己摔的，人为损坏"): most of its character
    pairs are in it."""
    pairs = _pairs(clause)
    if len(pairs) < SHORTEST_EVENT:
        return bool(pairs) and pairs <= told
    return len(pairs & told) >= SAME_EVENT * len(pairs)


def _response(answers: Mapping[str, Any], response: list[Clause],
              catalog: Catalog) -> list[Sentence]:
    if answers.get("contacted") != "yes" and not response:
        return []
    stand_in = catalog.text("compose.contacted_short")
    kept = [c for c in response if c.kind in (PROBLEM, RESPONSE)
            and c.text not in response_openers()]
    if kept:
        kept[0] = replace(kept[0], text=_speaker_first(kept[0].text, catalog))
    kept = _offer_refused(kept, catalog)
    if kept:
        kept[0] = replace(kept[0], text=_with_subject(kept[0].text, catalog))
    written = _sentences(kept, answers, catalog)
    if not written:
        return [Sentence(stand_in, "response", RANK_RESPONSE)]
    # "老板电话一直无法接通": they tried to reach the business; nothing was negotiated. Only
    # the first clause counts: "客服拒绝退款，电话无法接通" was an answer.
    opening = re.split(r"[，,；;。]", written[0], maxsplit=1)[0]
    anywhere, at_end = unreachable_words()
    tried = any(word in opening for word in anywhere) or opening.endswith(at_end)
    first = catalog.text("compose.contact_tried" if tried else "compose.contacted", result=written[0])
    return [Sentence(first, "response", RANK_RESPONSE, stand_in),
            *(Sentence(text, "response", RANK_RESPONSE + (i + 1) / 1000)
              for i, text in enumerate(written[1:]))]


def _offer_refused(clauses: list[Clause], catalog: Catalog) -> list[Clause]:
    """"给20元券，我没要" → "商家提出给20元券，我没有接受": the user's refusal of an offer is
    kept and written formally, and an offer said without who made it names the business."""
    split: list[Clause] = []
    for clause in clauses:  # "给20元券我没要": the refusal ends the clause
        refusal = next((r for r in offer_refusals() if clause.text.endswith(r)), "")
        offer = clause.text[:-len(refusal)].rstrip() if refusal else ""
        said_offer = offer.startswith(tuple(start for start, _ in offer_starts())) or any(
            party in offer for party in contact_parties())
        if not said_offer:  # "我也没要": the ending was only part of a longer refusal
            offer = ""
        if offer:
            split += [replace(clause, text=written_clause(offer)), replace(clause, text=refusal)]
        else:
            split.append(clause)
    out: list[Clause] = []
    for clause in split:
        if clause.text in offer_refusals() and out:
            start = next(((s, w) for s, w in offer_starts() if out[-1].text.startswith(s)), None)
            if start is not None:
                offer = start[1] + out[-1].text[len(start[0]):]
                out[-1] = replace(out[-1], text=catalog.text("compose.offer", offer=offer))
            clause = replace(clause, text=offer_refusals()[clause.text])
        out.append(clause)
    return out


def _with_subject(clause: str, catalog: Catalog) -> str:
    """"说防水没问题" → "商家称防水没问题", "不认" → "商家不认可": after 我已与商家协商, the
    business's words or acts typed without who would read as the user's."""
    starts, look_alikes = subjectless_acts()
    if clause.startswith(look_alikes):
        return clause
    for start, written in starts:
        if clause.startswith(start):
            return catalog.text("compose.business_subject") + written + clause[len(start):]
    return clause


def _speaker_first(clause: str, catalog: Catalog) -> str:
    """"联系了客服说要寄回检测" → "客服说要寄回检测": the template already says they were in
    touch, so an opener before what was said is dropped and its party kept as the speaker."""
    for opener in sorted(response_openers(), key=len, reverse=True):
        said = clause.removeprefix(opener).lstrip()
        verbs, look_alikes = speech_verbs()
        if said != clause and said.startswith(verbs) and not said.startswith(look_alikes):
            party = next((word for word in contact_parties() if opener.endswith(word)),
                         catalog.text("compose.other_side"))
            return party + said
    return clause


def _evidence(answers: Mapping[str, Any], catalog: Catalog) -> list[Sentence]:
    evidence = answers.get("evidence") or []
    if not evidence:
        return []
    # the pieces as the user named them ("会员卡、停业通知照片"), else the form's categories
    named = answers.get("evidence_items") or [catalog.text(f"evidence.{code}") for code in evidence]
    names = catalog.text("format.list_separator").join(named)
    return [Sentence(catalog.text("compose.evidence", evidence=names), "evidence", RANK_EVIDENCE)]


# ---- the 400-character version ------------------------------------------------------------


def _fit(sentences: list[Sentence], limit: int) -> ComplaintText:
    """Whole sentences, most important first, until the box is full; shown in story order."""
    full = "".join(s.text for s in sentences)
    chosen: dict[int, str] = {}
    used = 0
    for index in sorted(range(len(sentences)), key=lambda i: (sentences[i].rank, i)):
        sentence = sentences[index]
        for text in (sentence.text, sentence.stand_in):
            if text and used + len(text) <= limit:
                chosen[index] = text
                used += len(text)
                break
    short = "".join(chosen[i] for i in sorted(chosen))
    left_out = tuple(s.text for i, s in enumerate(sentences) if chosen.get(i) != s.text)
    return ComplaintText(tuple(sentences), full, short, left_out)
