"""Readers of the answers to the interview's questions, as people really type them.

Every reader is `(text, ctx, draft) -> Parsed`. It accepts synonyms and short forms of each
option, yes/no words, answers with words around them ("上面写了 数码优选专营店"), full-width
characters and multi-select answers written as free text; it refuses a reply that is not an
answer (a complaint about the question, a refusal, "I don't know") with a way forward. The
vocabulary lives in the catalog (`locale/<locale>/replies.toml`, keys `reply.*`), the places in
`flows/data/cities.tsv`, so no Chinese word is decided in code.

A `Parsed` says what the engine should do with the reply:

- `value` (and no `error`): take it; `note`/`warning` as before.
- `error`: say it and ask again; `reason` tells why the reply was not an answer ("dont_know",
  "refusal", "complaint", "no_licence", "no_address_online", "vague", "approximate",
  "model_number", "future", "ambiguous", "no_match", "pause" (等会 我问问), "protest" (这是店名啊),
  "chatter", "dropped" (不是维修, and nothing else wanted), ...).
- `skip`: mark the field skipped, store nothing. `reason` "none" (an optional field answered
  with 没有/不涉及/不知道), "not_a_buyer" (a reporter who bought nothing, at a purchase
  question: the BUYING_QUESTIONS are skipped too) or "no_shop" (没门店 上门装的, at the store
  question, which it leaves out).
- `drop`: options the reply says are not wanted ("不是维修"): unticked and no longer offered.
- `add`: a multi-select answer typed as text: add `value` to what is already picked.
- `story`: the reply is an account, not an answer: keep the text as the narrative, read it,
  and ask the open question again. `error` is set too (for an engine that does not know
  `story`), except at a choice question whose option the story names plainly: then `value`
  is that option and answers the question as well.
- `clarify`: ask `clarify.question` with `clarify.options` (values this field would store,
  shown as they are) plus `clarify.none_label` if set, before taking anything (`error` is set
  too, as above).
- `also`: values this reply gives for other fields (退一赔三 → the compensation sum).

A purchase date is stored as "2025-10-01", or "2025-10" when only the month is known; show it
with `date_label` and turn it into a day with `flows.dates.stored_day`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from flows import limitation
from flows.catalog import Catalog
from flows.context import Context
from flows.credit_code import CodeCheck, check_code, normalize_code
from flows.formats import money
from flows.insight import AMOUNT_PARTS
from flows.model import Draft
from flows.parsing import PHONE_RUN, amount_without_number, fold, parse_phone
from flows.regions import BEIJING, DISTRICT_NAMES, match_district
from flows.tables import table_rows
from flows.vocabulary import CHANNELS, DEMANDS, EVIDENCE, FOR_WHOM, PLATFORMS, THEMES

DATA_DIR = Path(__file__).resolve().parent / "data"
PLATFORMS_TABLE = Path(__file__).resolve().parent / "understanding" / "data" / "platforms.tsv"
PLACES_TABLE = Path(__file__).resolve().parent / "understanding" / "data" / "places.tsv"


class Clarify(msgspec.Struct, frozen=True):
    """A follow-up question to ask before taking the answer: its catalog key, its parameters,
    and the values the field would store, one per option (an option's label is the value as
    shown, or `reply.clarify.<...>_no` for "none of these")."""

    question: str
    options: tuple[str, ...]
    params: dict[str, Any] = msgspec.field(default_factory=dict)
    none_label: str | None = None  # catalog key of a "none of these" option, if any


class Parsed(msgspec.Struct, frozen=True):
    """The reading of one answer: a value, or an error to explain, maybe a warning or a note."""

    value: Any = None
    error: str | None = None  # catalog key; the question is asked again
    warning: str | None = None  # catalog key; the value waits for the user's confirmation
    note: str | None = None  # catalog key; said after the value is taken
    params: dict[str, Any] = msgspec.field(default_factory=dict)
    skip: bool = False  # an optional field answered with "none": mark it skipped
    add: bool = False  # typed multi-select: add `value` to what was already picked
    story: bool = False  # an account typed at a question: keep it as the narrative
    clarify: Clarify | None = None  # ask this first
    reason: str | None = None  # why it is not an answer: dont_know, refusal, complaint, ...
    also: dict[str, Any] = msgspec.field(default_factory=dict)  # other fields this reply answers
    # other questions' answers said in passing ("…，证据有照片"): kept for those questions as
    # things the user mentioned, not as implied by this answer
    aside: dict[str, Any] = msgspec.field(default_factory=dict)
    # options the reply says are not wanted ("不是维修"): no longer ticked nor suggested
    drop: tuple[str, ...] = ()


Parser = Callable[[str, Context, Draft], Parsed]

# The questions about buying, which a reporter who bought nothing can leave out.
PURCHASE_QUESTIONS = ("channel", "store_name", "platform", "order_number", "product",
                      "purchase_date", "report_amount")
# What a reporter who bought nothing is not asked: how and where it was bought. What was
# involved and when it happened (商品名称, 发生时间) still matter to a report.
BUYING_QUESTIONS = ("channel", "store_name", "platform", "order_number", "report_amount")


# ---- vocabulary ---------------------------------------------------------------------------


def words(catalog: Catalog, key: str) -> tuple[str, ...]:
    """The "|"-separated words under `key`, folded and lower-cased; () when the key is absent.
    Read once per catalog and key: the readers ask for the same lists at every answer."""
    return _words(catalog, key)


def word_pairs(catalog: Catalog, key: str) -> dict[str, str]:
    """"卡=会员卡|图=图片" under `key` → {"卡": "会员卡", "图": "图片"}: a word, as it is written."""
    return dict(pair.split("=", 1) for pair in words(catalog, key))


@cache
def _words(catalog: Catalog, key: str) -> tuple[str, ...]:
    raw = catalog.maybe(key)
    if not raw:
        return ()
    return tuple(w for w in (normal(part) if not part.startswith("=") else "=" + normal(part[1:])
                             for part in raw.split("|")) if w.strip("="))


def normal(text: str) -> str:
    """NFKC-folded, lower-case, single-spaced, without surrounding punctuation."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = re.sub(r"\s+", " ", folded).strip()
    return folded.strip(" ,.;:!?~…、，。；：！？\"'“”‘’()（）[]【】")


def _particles(catalog: Catalog) -> tuple[str, ...]:
    return tuple(sorted(words(catalog, "reply.strip.particles"), key=len, reverse=True))


def core(text: str, catalog: Catalog) -> str:
    """The reply without fillers and final particles: "投诉吧" → "投诉", "嗯 本人" → "本人"."""
    cleaned = normal(text)
    particles = _particles(catalog)
    changed = True
    while changed and cleaned:
        changed = False
        for particle in particles:
            if cleaned.endswith(particle) and len(cleaned) > len(particle):
                cleaned, changed = normal(cleaned[:-len(particle)]), True
            if cleaned.startswith(particle + " ") or (
                    cleaned.startswith(particle) and len(cleaned) > len(particle) + 1
                    and particle in ("嗯", "嗯嗯", "额", "呃", "哦", "噢", "恩", "哎", "诶")):
                cleaned, changed = normal(cleaned[len(particle):]), True
    return cleaned


def find_codes(text: str, vocabulary: dict[str, tuple[str, ...]]) -> list[str]:
    """Codes whose words occur in `text`, in order of appearance; longest word first, and a
    stretch of text read once ("没联系" is not also "联系"). "=word" matches the whole text."""
    whole = {w[1:]: code for code, ws in vocabulary.items() for w in ws if w.startswith("=")}
    if text in whole:
        return [whole[text]]
    pairs = sorted(((w, code) for code, ws in vocabulary.items() for w in ws
                    if not w.startswith("=")), key=lambda pair: -len(pair[0]))
    used = [False] * len(text)
    hits: list[tuple[int, str]] = []
    for word, code in pairs:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(used[start:end]):
                used[start:end] = [True] * (end - start)
                hits.append((start, code))
            start = text.find(word, end)
    ordered: list[str] = []
    for _, code in sorted(hits):
        if code not in ordered:
            ordered.append(code)
    return ordered


def option_vocabulary(catalog: Catalog, prefix: str, codes: Sequence[str],
                      label_prefix: str = "") -> dict[str, tuple[str, ...]]:
    """code -> its label, its code and its synonyms under `reply.<prefix>.<code>`."""
    table = {}
    for code in codes:
        found = list(words(catalog, f"reply.{prefix}.{code}"))
        if label_prefix and catalog.has(f"{label_prefix}.{code}"):
            found.append("=" + normal(catalog.text(f"{label_prefix}.{code}")))
            found.append(normal(catalog.text(f"{label_prefix}.{code}")))
        found.append("=" + code)
        table[code] = tuple(dict.fromkeys(found))
    return table


def has_any(text: str, catalog: Catalog, key: str) -> bool:
    return any(word in text for word in words(catalog, key) if not word.startswith("="))


def is_exactly(text: str, catalog: Catalog, key: str) -> bool:
    return text in {w.lstrip("=") for w in words(catalog, key)}


# ---- replies that are not answers ---------------------------------------------------------


def non_answer(text: str, catalog: Catalog) -> str | None:
    """Why the reply is not an answer ("complaint", "refusal", "dont_know", "no_licence",
    "no_address_online", "assent": a bare 对 with nothing to agree to), or None when it may
    be one."""
    whole = normal(text)
    cleaned = core(text, catalog)
    if not cleaned:
        return "empty"
    if has_any(whole, catalog, "reply.words.no_address") and has_any(
            whole, catalog, "reply.words.online"):
        return "no_address_online"
    if has_any(whole, catalog, "reply.words.no_licence"):
        return "no_licence"
    if has_any(whole, catalog, "reply.words.protest"):
        return "protest"  # "这是店名啊，不是诉求": about how the last reply was read
    if is_exactly(cleaned, catalog, "reply.words.impatient") or has_any(
            whole, catalog, "reply.words.impatient"):
        return "impatient"  # "快点", "你到底要问几个啊": hurried, not an answer
    if has_any(whole, catalog, "reply.words.complaint"):
        return "complaint"
    if has_any(whole, catalog, "reply.words.refusal"):
        return "refusal"
    if has_any(whole, catalog, "reply.words.pause"):
        return "pause"  # "等会 我先问下我爸": the answer comes later
    if has_any(whole, catalog, "reply.words.chatter"):
        return "chatter"  # "我也是后来才知道的": said beside the answer, not one
    remainder = cleaned
    for word in sorted(words(catalog, "reply.words.dont_know"), key=len, reverse=True):
        remainder = remainder.replace(word, "")
    if remainder != cleaned:
        for filler in sorted(words(catalog, "reply.words.filler"), key=len, reverse=True):
            remainder = remainder.replace(filler, "")
        if len(strip_lead_in(remainder, catalog)) < 2:
            return "dont_know"
    if has_any(whole, catalog, "reply.words.asking") or whole.endswith(
            words(catalog, "reply.words.question_endings")):
        return "question"  # "这个要填吗？", "啥是信用代码", "抖音里在哪看资质啊"
    if is_exactly(cleaned, catalog, "reply.words.skip"):
        return "none"
    if is_exactly(cleaned, catalog, "reply.words.assent"):
        return "assent"
    return None


def says_none(text: str, catalog: Catalog) -> bool:
    """For an optional field: "找不到订单号", "营业执照上没看到", "没有" say there is none to give
    (a reply holding digits is read for its number instead)."""
    cleaned = normal(text)
    if re.search(r"\d", unicodedata.normalize("NFKC", text)):
        return False
    return non_answer(text, catalog) in ("none", "dont_know", "no_licence") or has_any(
        cleaned, catalog, "reply.words.skip") or has_any(cleaned, catalog, "reply.words.dont_know")


def strip_lead_in(text: str, catalog: Catalog, *, nouns: bool = True) -> str:
    """The answer inside a sentence: "上面写了 数码优选专营店" → "数码优选专营店". With
    `nouns` false, a lead-in that is only a noun ("手机", "电话") is left in place."""
    cleaned = _after_hedge(core(text, catalog), catalog)
    # A lead-in ending in a word that introduces what follows ("名字叫", "买的是"); one that is
    # only a noun ("手机", "地址") may begin the answer itself ("手机贴膜" is a product).
    introducing = words(catalog, "reply.strip.introducing")
    lead_ins = sorted((lead for lead in words(catalog, "reply.strip.lead_ins")
                       if nouns or lead.endswith(introducing)), key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for lead in lead_ins:
            if cleaned.startswith(lead) and len(cleaned) - len(lead) >= 2:
                cleaned, changed = core(cleaned[len(lead):].lstrip(" :：,，"), catalog), True
                if lead.endswith(introducing):  # "店名是手机维修": 手机 now begins the answer
                    lead_ins = [lead for lead in lead_ins if lead.endswith(introducing)]
                break
    # "淘宝店 叫小美家居", "店名好像是老王家", "是个小店叫老王烟酒": a lead-in later on, after
    # a space or long enough not to be part of a name; what follows the last one is the answer.
    best = -1
    for lead in lead_ins:
        for match in re.finditer(re.escape(lead), cleaned):
            spaced = match.start() > 0 and cleaned[match.start() - 1] in " ,，:："
            strong = len(lead) >= 3 or (len(lead) == 2 and lead[-1] in "是叫为")
            if match.start() > 0 and (spaced or strong) and len(cleaned) - match.end() >= 2:
                best = max(best, match.end())
    return core(cleaned[best:].lstrip(" :：,，"), catalog) if best > 0 else cleaned


# Parsed.reason of "没门店 上门装的" at the store question: the question is left out.
NO_SHOP = "no_shop"
# Parsed.reason of "不是 名字是急速手机维修" at the address question: the business's name,
# corrected in passing; the interview takes it (in `also`) and asks for the address again.
CORRECTION = "correction"

# Names of a business or a shop: registered names and shop signs do not end in 的.
SHOP_NAMES = ("business_name", "store_name")


def _after_hedge(text: str, catalog: Catalog) -> str:
    """"不知道，京东自营的" → "京东自营的": a "don't know" set off by a comma before the answer
    (without the comma, "不清楚商家名字" says what is not known, and is left whole)."""
    match = _hedge(catalog).match(text)
    if match is None or len(text) - match.end() < 2:
        return text
    return core(text[match.end():], catalog)


@cache
def _hedge(catalog: Catalog) -> re.Pattern[str]:
    """A "don't know" of the catalog, longest first, and the comma or stop after it."""
    hedges = "|".join(map(re.escape, sorted(words(catalog, "reply.words.dont_know"),
                                             key=len, reverse=True)))
    return re.compile(rf"(?:{hedges})[了啊呀哦耶诶]*[,，.。;；!！ ]+")


def _original_tail(text: str, answer: str) -> str:
    """`answer` as the user typed it (case kept): the tail of the folded reply it came from."""
    folded = re.sub(r"\s+", " ", fold(text)).strip(" ,.;:!?~…、，。；：！？")
    index = folded.lower().rfind(answer)
    return folded[index:index + len(answer)] if index >= 0 else answer


def account_says_not_a_buyer(account: str, catalog: Catalog) -> bool:
    """A report's account saying plainly that the reporter bought nothing there ("我没在那买过")."""
    return has_any(normal(account), catalog, "reply.words.not_a_buyer_in_account")


def not_a_buyer(text: str, ctx: Context, draft: Draft) -> Parsed | None:
    """In a 举报, "没买 只是看到" at a purchase question: a skip with reason "not_a_buyer",
    so the engine can leave out the other purchase questions too."""
    if draft.answer("kind") != "report" or re.search(r"\d", fold(text)):
        return None
    if has_any(normal(text), ctx.catalog, "reply.words.not_a_buyer"):
        return Parsed(skip=True, reason="not_a_buyer", note="reply.note.not_a_buyer")
    return None


# ---- stories ------------------------------------------------------------------------------


def looks_like_story(text: str, today: date, catalog: Catalog, sums_asked: bool = False) -> bool:
    """True for an account typed where a short answer was asked: long, and several facts
    (a date, a sum, a purchase, a trouble) in it. Where sums are what is asked (the
    compensation), a sum is no sign of an account."""
    folded = normal(text)
    if len(folded) < 20:
        return False
    from flows import amounts  # flows.dates and flows.amounts load with the first long answer
    from flows.dates import find_dates

    signs = sum((
        bool(find_dates(folded, today)),
        not sums_asked and bool([m for m in amounts.find_money(folded) if m.score > 0]),
        has_any(folded, catalog, "reply.story.purchase"),
        has_any(folded, catalog, "reply.story.trouble"),
    ))
    return signs >= 3 or (signs >= 2 and len(folded) >= 24)


def story_told(text: str, ctx: Context, sums_asked: bool = False) -> bool:
    """An account typed where a short answer was asked; never at a question the user picked
    to change (``ctx.chosen``: "18 延期违约金6100元…" is the compensation, however long)."""
    return not ctx.chosen and looks_like_story(text, ctx.today, ctx.catalog, sums_asked)


def _story(ctx: Context, spec_prompt_key: str) -> Parsed:
    prompt = ctx.catalog.maybe(spec_prompt_key) or ""
    return Parsed(error="reply.error.story", story=True, reason="story",
                  params={"prompt": prompt})


# ---- free text ----------------------------------------------------------------------------


# A reply this short to a question that takes a long text is read for "I don't know" too.
SHORT_REPLY = 12


# A name, place or thing does not end a sentence: "北京安心家政服务有限公司。" ends at 司.
SENTENCE_ENDS = "。.，,；;！!～~ "


def without_asides(text: str, catalog: Catalog) -> str:
    """A reply without a first or last clause that asks, complains or does not know."""
    return _without_closing_aside(normal(text), catalog)


def looks_like_a_question(text: str, catalog: Catalog) -> bool:
    """A reply that asks rather than answers ("我这种情况能要三倍吗？")."""
    whole = normal(text)
    return has_any(whole, catalog, "reply.words.asking") or whole.endswith(
        words(catalog, "reply.words.question_endings")) or text.rstrip().endswith(("?", "？"))


def _without_closing_aside(text: str, catalog: Catalog) -> str:
    """"美丽人生美容美发 全称不知道" → "美丽人生美容美发", "写我家的地址吗 朝阳区…" → "朝阳区…":
    the first or last clauses that ask, complain, pause or say what is not known are not the
    answer ("海淀黄庄那边 具体门牌号不记得了 现在人都搬走了 还写原来的地址吗" → "海淀黄庄那边")."""
    asides = ("dont_know", "none", "no_licence", "question", "complaint", "pause", "chatter",
              "impatient")
    while True:
        split = re.fullmatch(r"(?P<answer>.+?)[ ,，;；。.？?！!]+(?P<aside>[^ ,，;；。.？?！!]+)[？?！!。]*",
                             text)
        if split and non_answer(split.group("aside"), catalog) in asides:
            text = split.group("answer")
            continue
        split = re.fullmatch(r"(?P<aside>[^ ,，;；。.？?！!]+)[ ,，;；。.？?！!]+(?P<answer>.+)", text)
        if split and non_answer(split.group("aside"), catalog) in asides and len(
                split.group("answer")) >= 2:
            text = split.group("answer")
            continue
        return text


def is_a_pause(text: str, catalog: Catalog) -> bool:
    """"等会 我先问下我爸数码城叫啥", "我查一下": the user goes to find the answer; "丰台区那个
    数码城 具体地址我问问我爸" gives an answer beside the pause, and is not one."""
    rest = _without_closing_aside(normal(text), catalog)
    clauses = [c for c in re.split(r"[ ,，;；。.？?！!]+", rest) if c]
    return len(rest) <= 40 and bool(clauses) and all(
        non_answer(clause, catalog) == "pause" for clause in clauses)


# The words that make a reply a name or an address ("店", "路"): beside an aside
# ("不知道全称", "刚说了"), such a reply is still the answer.
_OWN_MARKS = {"business_name": "reply.words.name_marks", "store_name": "reply.words.name_marks",
              "business_address": "reply.words.address_marks",
              "complainant_address": "reply.words.address_marks"}


def _beside_an_aside(raw: str, name: str, catalog: Catalog) -> str | None:
    """The answer of a reply that also says what is not known or complains, when the rest is
    plainly a name or an address; None otherwise ("就一个小店" names nothing)."""
    answer = _without_closing_aside(raw, catalog)
    if answer == raw:
        return None
    named = strip_lead_in(answer, catalog)
    if has_any(normal(named), catalog, "reply.words.pause") or non_answer(named, catalog) in (
            "pause", "dont_know", "no_licence", "question", "complaint", "refusal", "impatient"):
        return None  # "等会 我问下我闺女门牌号": what is left is the pause itself
    if name in SHOP_NAMES and not has_any(named, catalog, "reply.words.generic_shops") and (
            _named_by_lead_in(answer, catalog) or _only_set_aside(raw, answer, catalog)):
        # "不知道全称 传单上就写康寿源健康", "急速手机维修 就个摊 没执照那种", "居安美家装饰
        # 全称我得回家翻合同": a name said as one, or beside only a pause or "no licence"
        return answer
    if name not in _OWN_MARKS:  # "酸菜鱼啊 刚说了": a thing or a person's name needs no mark
        return answer if len(core(named, catalog)) >= 2 and non_answer(named, catalog) is None \
            else None
    if has_any(named, catalog, "reply.words.generic_shops") or not any(
            mark in named for mark in words(catalog, _OWN_MARKS[name])):
        return None
    return answer


def said_before(name: str, reason: str | None, draft: Draft) -> Parsed | None:
    """"上面说了啊" where the answer was said in an earlier reply ("周建国 139 1234 5678 朝阳区…"
    at the name): that answer, kept for this question; None otherwise."""
    value = draft.suggestions.get(name)
    if reason != "complaint" or name not in draft.sure or not isinstance(value, str) or not value:
        return None
    return Parsed(value, note="reply.note.said_before", params={"value": value})


def _only_set_aside(raw: str, answer: str, catalog: Catalog) -> bool:
    """The clauses of `raw` beside `answer` put the answer off or say there is no licence
    ("全称我得回家翻合同", "没执照那种", "就个摊"); not "不知道" or a question."""
    rest = normal(raw).replace(normal(answer), " ", 1)
    clauses = [c for c in re.split(r"[ ,，;；。.？?！!]+", rest) if c]
    return bool(clauses) and all(non_answer(c, catalog) in ("pause", "no_licence", "chatter")
                                 for c in clauses)


def text_reader(min_chars: int, max_chars: int, name: str = "", *,
                optional: bool = False, story_check: bool = True) -> Parser:
    """Free text between `min_chars` and `max_chars`, with the answer taken out of a sentence
    around it, non-answers refused (with `reply.error.<name>_...` advice when there is some)
    and, for short answers, a story typed instead recognised."""

    def read(text: str, ctx: Context, draft: Draft) -> Parsed:
        catalog = ctx.catalog
        if name in PURCHASE_QUESTIONS and (skip := not_a_buyer(text, ctx, draft)):
            return skip
        raw = typed = re.sub(r"\s+", " ", fold(text))
        if story_check and max_chars <= 200 and story_told(raw, ctx):
            return _story(ctx, f"field.{name}.prompt")
        paused = has_any(normal(raw), catalog, "reply.words.pause")
        set_aside = max_chars <= 200 and (answer := _beside_an_aside(raw, name, catalog)) is not None
        if set_aside:
            text = raw = answer  # "不知道全称 店名叫暖暖服饰旗舰店": the name beside the aside
        reason = non_answer(raw, catalog) if max_chars <= 200 or len(raw) <= SHORT_REPLY else None
        if max_chars > 200 and reason not in ("dont_know", "assent", "question"):
            reason = None  # only "不知道" or a bare "就是这样" where a longer text is asked
        if max_chars > 200 and len(raw) <= 2 * SHORT_REPLY and non_answer(
                re.split(r"[ ,，;；。.？?！!]+", raw.strip())[0], catalog) == "impatient":
            reason = "impatient"  # "你到底要问几个啊 我就想退钱": hurried, then a wish
        if reason in ("none", "dont_know") and optional:
            return Parsed(skip=True, reason=reason, note="reply.note.skipped")
        if reason is None and not re.search(r"[^\W_]", raw):
            reason = "empty"  # only emoji or punctuation: "😡😡😡" names nothing
        if reason is None and re.fullmatch(r"\d{1,2}", raw.strip()):
            # "1": an option's number from an earlier menu, not a name or a thing
            return Parsed(error="reply.error.lone_number", reason="number",
                          params={"how": catalog.maybe(f"field.{name}.hint") or ""})
        if name == "product" and has_any(normal(raw), catalog, "reply.words.not_a_product"):
            return _story(ctx, "field.product.prompt")  # "…老师挺好的 就是机构跑了": an account
        if reason is None and _option_picked(raw, catalog):
            # "2 为他人投诉": an option of another menu, by its number and label
            return Parsed(error="reply.error.lone_number", reason="number",
                          params={"how": catalog.maybe(f"field.{name}.hint") or ""})
        if name == "store_name" and (reason == "none" or has_any(
                normal(raw), catalog, "reply.words.no_shop")):
            # "无", "没有": no shop, as the store question is only asked of a purchase in person
            # "没门店 他们公司来我家装": a service at home has no shop to name
            return Parsed(skip=True, reason=NO_SHOP, note="reply.note.no_shop")
        if reason is not None and (before := said_before(name, reason, draft)) is not None:
            return before
        if reason is not None:
            return _refuse(name, reason, ctx, draft, raw)
        cleaned = re.sub(r"\s+", " ", text.strip())
        if max_chars <= 200:
            answer = strip_lead_in(raw, catalog, nouns=name != "product")
            if answer != normal(raw):
                cleaned = _original_tail(raw, answer)
            cleaned = _without_closing_aside(cleaned, catalog).rstrip(SENTENCE_ENDS)
        if name == "product":  # "麻辣香锅 没有68块": a remark on the price is no part of it
            cleaned = _without_price_remark(cleaned, catalog)
        if name in SHOP_NAMES and len(cleaned) > 3:  # "京东自营的": the shop, said as a phrase
            cleaned = cleaned.removesuffix("的")
        if name == "business_address" and _names_the_business(raw, cleaned, catalog):
            # "不是 名字是急速手机维修": the business's name corrected, not its address
            return Parsed(error="reply.error.name_corrected", reason=CORRECTION,
                          also={"business_name": cleaned}, params={"value": cleaned})
        if name in MISPLACED_AT and (elsewhere := answers_elsewhere(
                cleaned, name, ctx, draft, introduced=_named_by_lead_in(raw, catalog))):
            return elsewhere
        if len(cleaned) < min_chars:
            return Parsed(error="error.too_short", params={"min": min_chars})
        if len(cleaned) > max_chars:
            return Parsed(error="error.too_long", params={"max": max_chars, "got": len(cleaned)})
        if paused and max_chars <= 200 and has_any(normal(cleaned), catalog, "reply.words.pause"):
            return _refuse(name, "pause", ctx, draft, raw)  # a pause is never stored
        unsure = has_any(normal(typed), catalog, "reply.words.dont_know") or has_any(
            normal(typed), catalog, "reply.words.hedges")
        if name == "business_name" and (set_aside or unsure) and not looks_registered(cleaned):
            # "急速手机维修 就个摊 没执照那种", "不知道 好像叫什么康寿": the shop's name (or what
            # the user remembers of it), until the full one is found
            return Parsed(cleaned, note=_kept_shop_note(typed, cleaned, ctx, draft),
                          params={"value": cleaned})
        if paused:
            # "…数码城 具体地址我问问我爸": what was said is kept, the rest may come later
            return Parsed(cleaned, note="reply.note.pause_kept")
        return Parsed(cleaned)

    return read


def _without_price_remark(answer: str, catalog: Catalog) -> str:
    """"麻辣香锅 没有68块" → "麻辣香锅": a last clause that only says a price (or that it was not
    that price) is dropped from a product's name; "5斤装大米" and "iPhone 15" keep their numbers."""
    leads = "|".join(map(re.escape, words(catalog, "reply.words.price_remark_leads")))
    tails = "|".join(map(re.escape, words(catalog, "reply.words.price_remark_tails")))
    remark = re.search(rf"[\s，,]+(?:{leads})?\s*\d+(?:\.\d+)?\s*(?:块钱|块|元)(?:{tails})?$", answer)
    return answer[:remark.start()] if remark and remark.start() > 0 else answer


def _kept_shop_note(typed: str, shop: str, ctx: Context, draft: Draft) -> str:
    """The note for a shop's name kept as the business's: "全称不知道 店叫暖冬旗舰店 这上哪查去"
    asks where the full name is, and is told (a web shop's licence page, or the shop's
    licence and receipts)."""
    if not looks_like_a_question(typed, ctx.catalog):
        return "reply.note.kept_shop_name"
    online = "online" in (draft.answers.get("channel"), draft.suggestions.get("channel")) or any(
        has_any(normal(said), ctx.catalog, key) for said in (typed, shop)
        for key in ("reply.words.online", "reply.words.online_shop_names"))
    return "reply.note.kept_shop_name_online" if online else "reply.note.kept_shop_name_offline"


def _option_picked(raw: str, catalog: Catalog) -> bool:
    """"2 为他人投诉": a number and the label of one of the interview's options."""
    from flows.fields import FIELDS  # the field table is built from these readers

    said = re.fullmatch(r"\s*\d{1,2}\s*[.、．:：)）]?\s*(?P<label>\S.*)", raw)
    if said is None:
        return False
    label = normal(said.group("label"))
    return any(normal(catalog.maybe(f"{spec.label_prefix or spec.name}.{code}") or "") == label
               for spec in FIELDS.values() for code in spec.choices or ())


def _names_the_business(raw: str, answer: str, catalog: Catalog) -> bool:
    """"不是 名字是急速手机维修" at the address: words before the answer say it is the name."""
    whole = core(raw, catalog)
    index = whole.rfind(normal(answer))
    lead = whole[:index] if index > 0 else ""
    return has_any(lead, catalog, "reply.words.business_name_leads") and not looks_like_address(
        answer, catalog)


def _named_by_lead_in(raw: str, catalog: Catalog) -> bool:
    """"就叫极速手机维修", "牌子上写极速手机维修": the answer follows words that say a name."""
    whole = core(raw, catalog)
    answer = strip_lead_in(raw, catalog)
    lead = whole[:whole.rfind(answer)] if answer and answer != whole and answer in whole else ""
    return has_any(lead, catalog, "reply.words.naming_leads")


# Questions whose answer is a name, a place or a thing: a reply there that reads as a demand,
# a piece of evidence or "I have contacted them" ("换个新的或者退钱都行", "有订单截图和聊天记录")
# answers a later question instead, and is kept for it rather than taken as a name.
class Misplaced(msgspec.Struct, frozen=True):
    """How a question tells its own answers from another question's.

    `marks`: catalog words that make a reply this question's answer (路 or 号 in an address,
    店 in a name); without marks, a reply is another answer only when those words are most of
    it or, with `wanting`, it says what the user wants ("想让他们退款"). `others`: the
    questions a reply here may answer instead. `own_words`: catalog words that make it this
    question's answer after all ("拒绝退款" is what the business said)."""

    marks: str = ""
    others: tuple[str, ...] = ("contacted", "demands", "evidence")
    wanting: bool = True
    own_words: str = ""


MISPLACED_AT = {
    "business_name": Misplaced("reply.words.name_marks"),
    "store_name": Misplaced("reply.words.name_marks"),
    "business_address": Misplaced("reply.words.address_marks"),
    "product": Misplaced(),
    "contact_result": Misplaced(others=("demands", "evidence"), wanting=False,
                                own_words="reply.words.business_refused"),
}
# The options that such a reply names; the vague ones ("其他", a bare "图") say too little.
_ANSWERED_ELSEWHERE = (("contacted", ("yes",), 3), ("demands", tuple(d for d in DEMANDS
                       if d != "other"), 2), ("evidence", ("receipt", "messages"), 2))


@cache
def _registered_marks() -> tuple[str, ...]:
    lines = (DATA_DIR / "registered_name_marks.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def looks_registered(name: str) -> bool:
    """A registered business name usually holds one of these; a shop's sign usually does not."""
    return any(mark in name for mark in _registered_marks())


def looks_like_address(text: str, catalog: Catalog) -> bool:
    """"朝阳区望京西路48号", "三里屯路19号院", "朝阳大悦城5层": ends in a number with a
    house-number word, or is a place ending in a street word. "望京西路48号的力美健身" ends
    in a name, and is one."""
    folded = normal(text).rstrip(" 的")
    numbers = "|".join(map(re.escape, words(catalog, "reply.words.house_numbers")))
    if numbers and re.search(rf"\d\s*(?:{numbers})+$", folded):
        return True
    return bool(find_places(folded)) and folded.endswith(words(catalog, "reply.words.street_marks"))


def _says_wanting(cleaned: str, catalog: Catalog) -> bool:
    """"想让他们退款", "我要求维修", "退钱都行": the wish opens or closes the reply (a name may
    hold such a character: "梦想手机维修")."""
    opened = cleaned.removeprefix("我").removeprefix("们")
    wanting = words(catalog, "reply.words.wanting")
    return opened.startswith(wanting) or cleaned.endswith(wanting)


def answers_elsewhere(answer: str, name: str, ctx: Context, draft: Draft, *,
                      introduced: bool = False) -> Parsed | None:
    """The refusal of a reply that answers another question, with its values in `also` so the
    interview keeps them for that question; None when the reply may answer this one. A date
    or a sum alone goes to the purchase date or the amount; an address typed as the
    business's name to the address, a registered name typed as the address to the name; a
    demand, evidence or "I contacted them" to those questions, unless the reply has a mark
    of this question's answers (路 or 号 in an address, 店 in a name)."""
    catalog = ctx.catalog
    report = draft.answer("kind") == "report"
    cleaned = core(answer, catalog)
    if only := _date_or_sum_only(cleaned, ctx, draft):
        return _elsewhere(only, catalog, report)
    if name in (*SHOP_NAMES, "product") and looks_like_address(cleaned, catalog) and not (
            looks_registered(cleaned) or has_any(cleaned, catalog, "reply.words.name_marks")):
        # "朝阳区望京西路48号" as the business's name or as the thing bought
        return _elsewhere({"business_address": answer}, catalog, report)
    if name == "business_address" and (
            (looks_registered(cleaned) and not has_any(cleaned, catalog, "reply.words.address_marks"))
            or _only_a_shop_name(cleaned, catalog)):
        # "北京某某商贸有限公司", "美厨电器旗舰店": the business's name, not where it is
        return _elsewhere({"business_name": answer}, catalog, report)
    misplaced = MISPLACED_AT[name]
    if misplaced.marks and has_any(cleaned, catalog, misplaced.marks):
        return None
    if name in SHOP_NAMES and not _says_wanting(cleaned, catalog) and (
            introduced or cleaned.endswith(words(catalog, "reply.words.name_endings"))):
        return None  # "牌子上写极速手机维修", "急速手机维修部": a name, whatever words it holds
    found: dict[str, Any] = {}
    covered = 0
    for field, vocabulary in _elsewhere_vocabularies(catalog):
        if field not in misplaced.others:
            continue
        hits = [code for code in find_codes(cleaned, vocabulary)
                if not (name == "product" and field == "demands" and code == "repair")]
        if hits:  # a product may be a repair ("手机维修"): never read as that demand there
            hits = list(dict.fromkeys(hits))
            found[field] = hits[0] if field == "contacted" else hits
            covered += sum(max(len(w) for w in vocabulary[code] if w in cleaned) for code in hits)
    if not found:
        return None
    if misplaced.own_words and has_any(cleaned, catalog, misplaced.own_words):
        return None  # "拒绝退款": what the business said, about the demand
    # A product that only holds such a word ("退货运费险"), or what the business said about
    # a demand ("客服说可以退款一半"), stays; "退剩下的钱" alone is the demand.
    wanting = misplaced.wanting and has_any(cleaned, catalog, "reply.words.wanting")
    if name in SHOP_NAMES:  # "极速手机维修": words before the trade word make it a name
        wanting = wanting and _says_wanting(cleaned, catalog)
    if (not misplaced.marks or name in SHOP_NAMES) and 2 * covered < len(cleaned) and not wanting:
        return None
    if "demands" in found and (groups := alternative_groups(cleaned, found["demands"])):
        # "换个新的或者退钱都行": either, as the demand question would read it
        return _elsewhere(found, catalog, report, {DEMAND_ALTERNATIVES: groups})
    return _elsewhere(found, catalog, report)


@cache
def _relations() -> dict[str, str]:
    return {row[0]: row[1] for row in table_rows(DATA_DIR / "relations.tsv")}


def filed_for(account: str, catalog: Catalog) -> str | None:
    """"我帮我爸投诉 …": the relation (as the complaint writes it, 父亲) the account says it is
    filed for, or None."""
    relations = "|".join(map(re.escape, sorted(_relations(), key=len, reverse=True)))
    found = re.search(rf"(?:{'|'.join(words(catalog, 'reply.words.on_behalf'))})"
                      rf"(?:{'|'.join(words(catalog, 'reply.words.relation_prefixes'))})?"
                      rf"(?P<relation>{relations}).{{0,4}}?"
                      rf"(?:{'|'.join(words(catalog, 'reply.words.filing'))})", normal(account))
    return _relations()[found.group("relation")] if found else None


def written_relation(text: str, catalog: Catalog) -> str | None:
    """"妈", "我妈", "我老婆" → 母亲, 妻子: a relation as the complaint writes it (我代我母亲…),
    or None when the reply is not one of the relations listed."""
    cleaned = core(text, catalog)
    for prefix in words(catalog, "reply.words.relation_prefixes"):
        if cleaned.startswith(prefix) and cleaned[len(prefix):] in _relations():
            cleaned = cleaned[len(prefix):]
            break
    return _relations().get(cleaned)


def read_principal_relation(text: str, ctx: Context, draft: Draft) -> Parsed:
    """How the principal is related to the user, written as a complaint writes it."""
    parsed = text_reader(1, 10, "principal_relation")(text, ctx, draft)
    if parsed.error or parsed.value is None:
        return parsed
    value = str(parsed.value)
    if (written := written_relation(value, ctx.catalog)) is not None:
        return Parsed(written)
    for prefix in words(ctx.catalog, "reply.words.relation_prefixes"):  # "我干妈" → 干妈
        if value.startswith(prefix) and len(value) > len(prefix):
            return Parsed(value[len(prefix):])
    return Parsed(value)


def read_contacted(text: str, ctx: Context, draft: Draft) -> Parsed:
    """Whether the business was contacted; what it said, typed with the yes ("找了 商家给20的
    券 没要", "对，打不通"), is kept for the next question instead of asked again."""
    parsed = choice_reader("contacted", ("yes", "no"), "contacted")(text, ctx, draft)
    if parsed.value != "yes" or parsed.error or parsed.story:
        return parsed
    whole = core(text, ctx.catalog)
    said = whole
    yes = [w.lstrip("=") for w in (*words(ctx.catalog, "reply.contacted.yes"),
                                   *words(ctx.catalog, "confirm.yes_openers"))]
    for word in sorted(yes, key=len, reverse=True):
        if said.startswith(word):
            said = said[len(word):]
            break
    said = _without_tries(said.strip(SENTENCE_ENDS), ctx.catalog)
    if len(said) >= 2 and non_answer(said, ctx.catalog) is None:
        return Parsed("yes", aside={"contact_result": said})
    if has_any(whole, ctx.catalog, "reply.words.unreachable"):
        # "打不通", "联系不上": the yes is itself what came of it
        return Parsed("yes", aside={"contact_result": whole.strip(SENTENCE_ENDS)})
    return parsed


def _without_tries(said: str, catalog: Catalog) -> str:
    """"好几次了 他们不理" → "他们不理", "好几次了" → "": how often the business was tried
    is no answer of the business's."""
    def alternatives(key: str) -> str:
        return "|".join(re.escape(w) for w in sorted(words(catalog, key), key=len, reverse=True))

    fillers = alternatives("reply.contacted.tries_fillers")
    tries = re.compile(rf"(?:{fillers})*(?:\d+|(?:{alternatives('reply.contacted.tries_counts')})+)"
                       rf"(?:{alternatives('reply.contacted.tries_units')})(?:{fillers})*")
    clauses = re.split(r"[\s,，;；。.!！]+", said)
    while clauses and tries.fullmatch(clauses[0]):
        clauses.pop(0)
    return " ".join(clause for clause in clauses if clause)


def read_for_whom(text: str, ctx: Context, draft: Draft) -> Parsed:
    """For oneself or someone else; "帮我妈投诉" also says who (母亲), kept for that question.
    A child who only uses what the user paid for ("我自己吧 是给我孩子报的课", "孩子算本人吗")
    makes it the user's own complaint."""
    catalog = ctx.catalog
    cleaned = core(text, catalog)
    if has_any(cleaned, catalog, "reply.words.beneficiary_children") and not has_any(
            cleaned, catalog, "reply.words.on_behalf"):
        asked = looks_like_a_question(text, catalog)
        if has_any(cleaned, catalog, "reply.words.myself"):
            return Parsed("self", note="reply.note.for_whom_child" if asked else None)
        if asked:
            return Parsed(error="reply.error.for_whom_child", reason="question")
    parsed = choice_reader("for_whom", FOR_WHOM, "for_whom")(text, ctx, draft)
    named = [spoken for spoken in sorted(_relations(), key=len, reverse=True) if spoken in cleaned]
    if parsed.error and parsed.reason == "no_match" and named:  # "帮我表哥投诉"
        parsed = Parsed("other")
    if parsed.value != "other" or parsed.error or not named:
        return parsed
    # "我帮我爸投诉 上个月…": the account told here stays the account (story), too
    return Parsed(parsed.value, note=parsed.note, params=parsed.params, story=parsed.story,
                  reason=parsed.reason,
                  also={**parsed.also, "principal_relation": _relations()[named[0]]})


def read_principal_name(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The principal's name; "我妈" is how they are related, kept for that question."""
    relation = written_relation(text, ctx.catalog)
    if relation is not None:
        return Parsed(error="reply.error.relation_not_name", reason="elsewhere",
                      also={"principal_relation": relation}, params={"relation": relation})
    catalog = ctx.catalog
    relations = "|".join(map(re.escape, sorted(_relations(), key=len, reverse=True)))
    if (writer := _self_introduction(text, catalog)) is not None:
        # "马建国 我是他女儿马丽": the principal, and the writer's own name for its question
        rest, own, relation = writer
        if not rest:  # "我是他女儿马丽": only the writer, kept for the questions about them
            found = {**({"complainant_name": own} if own else {}),
                     **({"principal_relation": relation} if relation else {})}
            return Parsed(error="reply.error.principal_is_writer", reason="elsewhere",
                          also=found)
        parsed = read_principal_name(rest, ctx, draft)
        if parsed.error or parsed.value is None:
            return parsed
        also = {**parsed.also, **({"complainant_name": own} if own else {}),
                **({"principal_relation": relation} if relation and "principal_relation"
                   not in parsed.also else {})}
        return Parsed(parsed.value, also=also)
    parts = re.split(r"[\s,，、]+", core(text, catalog))
    if len(parts) == 2 and (relation := written_relation(parts[1], catalog)) is not None:
        parsed = text_reader(2, 30, "principal_name")(parts[0], ctx, draft)  # "赵建国，我爸"
        return parsed if parsed.error else Parsed(parsed.value,
                                                  also={"principal_relation": relation})
    named = re.match(rf"(?:{'|'.join(words(catalog, 'reply.words.relation_prefixes'))})?"
                     rf"(?P<relation>{relations})(?:{'|'.join(words(catalog, 'reply.strip.introducing'))})*"
                     r"(?P<name>.+)$", core(text, catalog))
    if named:  # "我表哥叫李明": the name, and the relation kept for its question
        parsed = text_reader(2, 30, "principal_name")(named.group("name"), ctx, draft)
        if parsed.error:
            return parsed
        return Parsed(parsed.value, also={"principal_relation": _relations()[named.group("relation")]})
    return text_reader(2, 30, "principal_name")(text, ctx, draft)


def _self_introduction(text: str, catalog: Catalog) -> tuple[str, str, str] | None:
    """"马建国 我是他女儿马丽" → ("马建国", "马丽", "父亲"): the reply without the clause in which
    the writer says who they are, their own name ("" if not said) and how the principal is
    related to them, when the clause says it ("他女儿": 父亲); None when there is no such clause."""
    clauses = [c for c in re.split(r"[\s,，、;；。]+", core(text, catalog)) if c]
    leads = "|".join(map(re.escape, words(catalog, "reply.words.self_leads")))
    relations = "|".join(map(re.escape, sorted(_relations(), key=len, reverse=True)))
    for index, clause in enumerate(clauses):
        said = re.fullmatch(rf"(?:{leads})(?P<who>[他她])?的?(?P<relation>{relations})(?:叫)?"
                            r"(?P<own>[\u4e00-\u9fff]{2,4})?", clause)
        if said is None:
            continue
        rest = " ".join(clauses[:index] + clauses[index + 1:])
        parent = word_pairs(catalog, "reply.words.parent_of").get(said.group("who") or "")
        child = _relations().get(said.group("relation")) in words(catalog, "reply.words.children")
        return rest, said.group("own") or "", parent if parent and child else ""
    return None


def _only_a_shop_name(cleaned: str, catalog: Catalog) -> bool:
    """"美厨电器旗舰店": an online shop's name with nothing of a place before it ("朝阳大悦城耐克
    专卖店" names a mall, "三里屯路19号耐克专卖店" a street)."""
    for suffix in words(catalog, "reply.words.online_shop_names"):
        if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
            stem = cleaned[:-len(suffix)]
            return not re.search(r"\d", stem) and not has_any(stem, catalog, "reply.words.address_marks")
    return False


def _date_or_sum_only(cleaned: str, ctx: Context, draft: Draft) -> dict[str, Any] | None:
    """{"amount": 3980.0} for "3980元", {"purchase_date": "2025-05"} for "去年五月份" (words
    such as 买的 or 那天 around the date allowed); None for anything more ("五一礼盒")."""
    if _only_a_sum(cleaned, ctx.catalog):
        price = read_amount(cleaned, ctx, draft)
        field = "report_amount" if draft.answer("kind") == "report" else "amount"
        return {field: price.value} if price.value is not None and not price.error else None
    day = _date_only(cleaned, ctx)
    return {"purchase_date": day} if day else None


def _date_only(cleaned: str, ctx: Context) -> str | None:
    """The stored date a reply gives and nothing else ("上周三买的", "去年五月份"), else None."""
    when = ctx.language.read_when(cleaned, ctx.today)
    if when is None or when.future or when.end <= when.start:
        return None
    rest = cleaned[:when.start] + cleaned[when.end:]
    for tail in sorted(words(ctx.catalog, "reply.words.date_tails"), key=len, reverse=True):
        rest = rest.replace(tail, "")
    return None if rest.strip() else when.value


def _elsewhere(found: dict[str, Any], catalog: Catalog, report: bool,
               details: dict[str, Any] | None = None) -> Parsed:
    """The refusal of a reply that answers the questions in `found`, with their values (and
    `details` of those answers, such as which demands are alternatives) kept in `also`."""
    labels = catalog.text("format.list_separator").join(
        (report and catalog.maybe(f"field.{field}.label_report")) or catalog.text(f"field.{field}.label")
        for field in found)
    return Parsed(error="reply.error.answers_elsewhere", reason="elsewhere",
                  also={**found, **(details or {})}, params={"labels": labels})


@cache
def _elsewhere_vocabularies(catalog: Catalog) -> tuple[tuple[str, dict[str, tuple[str, ...]]], ...]:
    return tuple((field, {code: tuple(w for w in words(catalog, f"reply.{field}.{code}")
                                      if not w.startswith("=") and len(w) >= shortest)
                          for code in codes})
                 for field, codes, shortest in _ANSWERED_ELSEWHERE)


def problem_reader() -> Parser:
    """What went wrong, as free text; a reply that is only a sum ("二百九十九", "1299元") is
    the price typed at the wrong question, and says nothing of the problem."""
    plain = text_reader(4, 1500, "problem")

    def read(text: str, ctx: Context, draft: Draft) -> Parsed:
        if _only_a_sum(text, ctx.catalog):
            return Parsed(error="reply.error.problem_is_sum", reason="sum")
        return plain(text, ctx, draft)

    return read


def _only_a_sum(text: str, catalog: Catalog) -> bool:
    from flows import amounts

    cleaned = core(text, catalog)
    if cleaned.isdigit() and int(cleaned) < 10:  # "1": an option's number, not a price
        return False
    return any(found.start == 0 and amounts.with_unit(cleaned, found) == len(cleaned)
               for found in amounts.find_money(cleaned, answer=True))


def _refuse(name: str, reason: str, ctx: Context, draft: Draft, text: str = "") -> Parsed:
    """The error for a reply that is not an answer, with the advice this field has."""
    catalog = ctx.catalog
    if reason == "question" and (other := _question_about(text, name, catalog)):
        # "啥是信用代码" asked at the address: that question's hint, then this one again
        return Parsed(error="reply.error.question_other", reason=reason, params={
            "other": catalog.text(f"field.{other}.label"),
            "how": catalog.maybe(f"field.{other}.hint") or ""})
    if reason == "protest" and name in SHOP_NAMES:  # "这是店名啊，不是诉求": not stored
        return Parsed(error="reply.error.protest_name", reason=reason)
    if reason == "impatient":  # "快点": how many questions are left, and this one again
        return _hurried(name, ctx, draft, text)
    report = draft.answer("kind") == "report"
    if name == "business_name":
        shop = draft.answers.get("store_name") or draft.suggestions.get("store_name")
        if reason in ("dont_know", "none", "no_licence") and shop:
            return Parsed(str(shop), note="reply.note.kept_shop_name", params={"value": shop},
                          reason=reason)
        if reason in ("complaint", "question") and text and not has_any(
                normal(text), catalog, "reply.words.business_name_leads"):
            # "7天包退15天包换不是吗？他们凭啥只给修": about the case, not the name
            return Parsed(error="reply.error.business_name_aside", reason=reason)
        key = ("reply.error.business_name_no_licence" if reason == "no_licence"
               else "reply.error.business_name_unknown")
        return Parsed(error=key, reason=reason)
    if name == "business_address":
        online = reason == "no_address_online" or "online" in (
            draft.answers.get("channel"), draft.suggestions.get("channel")) or has_any(
            normal(text), catalog, "reply.words.online")  # "抖音里在哪看资质啊"
        key = ("reply.error.address_vague" if reason not in (
            "no_address_online", "dont_know", "none", "question")
               else "reply.error.address_online" if online else "reply.error.address_unknown")
        if reason == "no_address_online":  # "网上买的哪知道它在哪": where to look, or wait
            return Parsed(error="reply.error.address_online_later", reason=reason, params={
                "online": catalog.text(key), "later": catalog.text("reply.note.can_put_off")})
        return Parsed(error=key, reason=reason)
    if name == "complainant_name" and reason == "refusal":
        return Parsed(error="reply.error.name_refused_report" if report
                      else "reply.error.name_refused", reason=reason)
    if name == "complainant_address" and reason == "refusal":
        return Parsed(error="reply.error.address_refused", reason=reason)
    how = catalog.maybe(f"field.{name}.hint") or ""
    key = {"dont_know": "reply.error.dont_know", "assent": "reply.error.assent",
           "question": "reply.error.question", "pause": "reply.error.pause",
           "protest": "reply.error.protest"}.get(reason, "reply.error.not_answer")
    return Parsed(error=key, reason=reason, params={"how": how})


def _hurried(name: str, ctx: Context, draft: Draft, text: str) -> Parsed:
    """"你到底要问几个啊 我就想退钱": roughly how many questions are left, the question again;
    a wish said with it ("我就想退钱") is kept for the question it answers."""
    from flows.fields import needed_fields  # the field table is built from these readers

    left = sum(1 for spec in needed_fields(draft)
               if spec.name not in draft.answers and spec.name not in draft.skipped)
    rest = _without_closing_aside(normal(text), ctx.catalog)
    wish: dict[str, Any] = {}
    if rest and rest != normal(text) and name != "demands" and draft.answer("kind") != "report":
        demands = read_demands(rest, ctx, draft)
        if not demands.error and demands.value:
            wish = {"demands": demands.value}
    return Parsed(error="reply.error.impatient", reason="impatient", also=wish,
                  params={"left": max(left, 1)})


def _question_about(text: str, name: str, catalog: Catalog) -> str | None:
    """The other question a question of the user's names ("啥是信用代码" → credit_code)."""
    from flows.fields import FIELDS  # the field table is built from these readers

    folded = normal(text)
    for other in FIELDS:
        names = (catalog.maybe(f"field.{other}.label") or "", catalog.maybe(f"field.{other}.aliases") or "")
        if other != name and any(word and normal(word) in folded
                                 for group in names for word in group.split("|")):
            return other
    return None


def _registered_name_beside(text: str, address: str, catalog: Catalog) -> str | None:
    """The registered business name typed with an address, if any ("公司叫北京…有限公司")."""
    for part in re.split(r"[\s,，;；。]+", fold(text)):
        name = strip_lead_in(part, catalog)
        if name and name not in address and looks_registered(name) and len(name) >= 6:
            return name
    return None


def read_business_address(text: str, ctx: Context, draft: Draft) -> Parsed:
    """An address precise enough to find the business; "杭州的好像" and "网上买的没地址" are not."""
    typed = text
    if looks_like_a_question(text, ctx.catalog) and has_any(
            normal(text), ctx.catalog, "reply.words.moved_away"):
        # "…现在人都搬走了 还写原来的地址吗": answered, and nothing stored
        return Parsed(error="reply.error.address_old", reason="question")
    if (mistyped := _name_mistyped(text, ctx.catalog)) is not None:
        return mistyped  # "等下 商家名字我刚才打错了": the name to change, no address
    street = (*words(ctx.catalog, "reply.words.street_marks"),
              *words(ctx.catalog, "reply.words.house_numbers"))
    parts = [part for part in re.split(r"[\s,，]+", fold(text).strip()) if part]
    marks = words(ctx.catalog, "reply.words.address_marks")
    if len(parts) > 1 and any(non_answer(part, ctx.catalog) == "dont_know" for part in parts):
        # "金融街那边 好像是丰盛胡同还是哪 记不清 在一个写字楼二层": every place it names
        places = [_place_words(part, ctx.catalog) for part in parts
                  if non_answer(part, ctx.catalog) != "dont_know"]
        places = [place for place in places if any(mark in place for mark in (*street, *marks))]
        if len(places) > 1:
            text = " ".join(places)
    located = [part for part in parts if any(mark in part for mark in (*street, *marks))]
    if any(mark in part for part in located for mark in street) and len(located) < len(
            parts) and re.search(r"\d|x{1,4}|×|\*", " ".join(located), re.IGNORECASE) and not any(
            non_answer(part, ctx.catalog) for part in located):
        text = " ".join(located)  # "…科创十三街18号院 就是亦庄那边": the address without the aside
    parsed = text_reader(4, 100, "business_address")(text, ctx, draft)
    # "海淀黄庄那边 具体门牌号不记得了": vague, and said not to be known; the question may wait
    vague_reason = "dont_know" if has_any(normal(typed), ctx.catalog, "reply.words.dont_know") else "vague"
    if parsed.error == "error.too_short":  # "在朝阳区": a place, not yet an address
        return Parsed(error="reply.error.address_vague", reason=vague_reason)
    if parsed.error or parsed.value is None:
        return parsed
    value = str(parsed.value)
    if parse_phone(value) and not re.search(r"[^\W\d_]", fold(value)):
        return Parsed(error="reply.error.address_is_phone", reason="phone")
    content = core(value, ctx.catalog)
    for vague in (*words(ctx.catalog, "reply.words.hedges"),
                  *words(ctx.catalog, "reply.words.relative_place")):
        content = content.replace(vague, "")
    content = content.strip(" 的")
    if len(value) >= 6 and has_any(content, ctx.catalog, "reply.words.not_an_address") and not any(
            mark in content for mark in street):
        return _story(ctx, "field.business_address.prompt")  # "在他们店买的鞋子两天就开胶了"
    marked = any(mark in content for mark in words(ctx.catalog, "reply.words.address_marks"))
    if len(content) < 4 or (not marked and len(content) < 8):
        return Parsed(error="reply.error.address_vague", reason=vague_reason)
    registered = _registered_name_beside(typed, value, ctx.catalog)
    if registered and registered != draft.answer("business_name"):
        # "公司叫北京渔小鲜餐饮管理有限公司 地址北京市朝阳区望京街10号院": the name found too
        parsed = Parsed(parsed.value, note=parsed.note, params=parsed.params,
                        also={"business_name": registered})
    # "他家店在三里屯太古里南区": the address is what follows 在
    lead = re.match(r"(.{0,5}?)在(.{4,})$", value)
    if lead and not any(mark in lead.group(1) for mark in street):
        parsed = Parsed(lead.group(2), note=parsed.note, params=parsed.params, also=parsed.also)
    return _without_number_noted(parsed, typed, ctx.catalog)


def _place_words(part: str, catalog: Catalog) -> str:
    """"好像是丰盛胡同还是哪" → "丰盛胡同", "在一个写字楼二层" → "写字楼二层", "金融街那边" →
    "金融街": a clause of an address without the words that say the user is unsure."""
    place = strip_lead_in(part, catalog)
    for measure in sorted(words(catalog, "reply.words.measure_words"), key=len, reverse=True):
        if place.startswith(measure) and len(place) - len(measure) >= 2:
            place = place[len(measure):]
            break
    tails = (*words(catalog, "reply.words.unsure_tails"),
             *words(catalog, "reply.words.relative_place"))
    changed = True
    while changed:
        changed = False
        for tail in sorted(tails, key=len, reverse=True):
            if place.endswith(tail) and len(place) - len(tail) >= 2:
                place, changed = place[:-len(tail)], True
    return place


def _name_mistyped(text: str, catalog: Catalog) -> Parsed | None:
    """"等下 商家名字我刚才打错了" at the address: the user wants to correct the name. Nothing
    is stored; they are told how to give the new name (the engine asks for the address again)."""
    clauses = [c for c in re.split(r"[\s,，;；。.？?！!]+", normal(text)) if c]
    wrong = [c for c in clauses if has_any(c, catalog, "reply.words.mistyped")
             and has_any(c, catalog, "reply.words.business_name_leads")]
    if not wrong or any(c not in wrong and non_answer(c, catalog) not in ("pause", "chatter")
                        for c in clauses):
        return None
    return Parsed(error="reply.error.name_mistyped", reason=CORRECTION)


def _without_number_noted(parsed: Parsed, typed: str, catalog: Catalog) -> Parsed:
    """An address kept without its house or stall number ("丰台那个数码城", "海淀区中关村大街xx号"
    without the xx): kept as far as it goes, with a note that the number is still to come."""
    value = str(parsed.value)
    for filler in words(catalog, "reply.words.address_tail_fillers"):
        if value.endswith(filler) and len(value) > len(filler) + 4:
            value = value[:-len(filler)].rstrip()
    numbers = "|".join(map(re.escape, sorted(words(catalog, "reply.words.house_numbers_exact"),
                                             key=len, reverse=True)))
    placeholder = re.search(rf"(?:x{{1,4}}|×+|\*+|某+)\s*(?:{numbers})", value, re.IGNORECASE)
    if placeholder:  # "中关村大街xx号": the street is known, not the number
        value = value[:placeholder.start()].rstrip(" ,，")
    numbered = re.search(rf"[\d{''.join(words(catalog, 'reply.words.numerals'))}]\s*(?:{numbers})",
                         value)
    if placeholder or not numbered:
        return Parsed(value, params={**parsed.params, "value": value}, also=parsed.also,
                      note="reply.note.address_number_missing")
    return Parsed(value, note=parsed.note, params=parsed.params, also=parsed.also) \
        if value != parsed.value else parsed


# ---- options ------------------------------------------------------------------------------


def choice_reader(name: str, choices: Sequence[str], label_prefix: str = "") -> Parser:
    """One option from typed text: its label, code or any synonym in `reply.<name>.*`."""

    def read(text: str, ctx: Context, draft: Draft) -> Parsed:
        catalog = ctx.catalog
        vocabulary = option_vocabulary(catalog, name, choices, label_prefix or name)
        if name in PURCHASE_QUESTIONS and (skip := not_a_buyer(text, ctx, draft)):
            return skip
        cleaned = core(text, catalog)
        found = find_codes(cleaned, vocabulary)
        if story_told(text, ctx):
            # the account first; an option the story names plainly answers this question too
            story = _story(ctx, f"field.{name}.prompt")
            return Parsed(found[0], story=True, reason="story") if len(found) == 1 else story
        if len(found) == 1:
            return Parsed(found[0])
        if len(found) > 1:
            labels = catalog.text("format.list_separator").join(
                catalog.text(f"{label_prefix or name}.{c}") for c in found)
            return Parsed(error="reply.error.ambiguous", params={"found": labels},
                          reason="ambiguous")
        example = catalog.maybe(f"{label_prefix or name}.{choices[0]}") or choices[0]
        return Parsed(error="error.choose_from_options", params={"example": example},
                      reason=non_answer(text, catalog) or "no_match")

    return read


def read_store_name(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The shop. "不是说了吗 就是金融街那家 他们就一家店", with the business known (悦颜美容),
    points at its one shop at a place: "悦颜美容金融街店", kept with a note."""
    parsed = text_reader(2, 60, "store_name")(text, ctx, draft)
    if parsed.skip or parsed.story or (parsed.error and parsed.reason not in (
            "complaint", "chatter", None)):
        return parsed
    named = _store_at_place(text, ctx.catalog, draft)
    if named is None or (parsed.value is not None and not has_any(
            normal(str(parsed.value)), ctx.catalog, "reply.words.that_shop")):
        return parsed
    return Parsed(named, note="reply.note.store_from_place", params={"value": named})


def _store_at_place(text: str, catalog: Catalog, draft: Draft) -> str | None:
    """"就是金融街那家" → "悦颜美容金融街店" when the business's name is a shop's name; None when
    the reply names no place before 那家/那边."""
    brand = str(draft.answers.get("business_name") or "")
    if not brand or looks_registered(brand):
        brand = ""
    shops = "|".join(map(re.escape, sorted(words(catalog, "reply.words.that_shop"),
                                           key=len, reverse=True)))
    for clause in re.split(r"[\s,，;；。.？?！!]+", normal(text)):
        said = re.fullmatch(rf"(?P<place>.+?)(?:{shops})", core(strip_lead_in(clause, catalog),
                                                                catalog)) if shops else None
        if said is None:  # "楼下那家超市" names its shop itself
            continue
        place = core(said.group("place"), catalog)
        if len(place) >= 2 and non_answer(place, catalog) is None and place not in brand and not (
                has_any(place, catalog, "reply.words.relative_place")):
            return catalog.text("reply.format.store_at", brand=brand, place=place)
    return None


def read_product(text: str, ctx: Context, draft: Draft) -> Parsed:
    """What was bought. "是 黑色长款的 女式" to the suggestion 「羽绒服」 agrees and describes it:
    "黑色长款女式羽绒服"; "麻辣香锅 68块" names the price too, kept for the amount question."""
    catalog = ctx.catalog
    parsed = text_reader(1, 50, "product")(text, ctx, draft)
    if parsed.error or parsed.value is None:
        return parsed
    value = str(parsed.value)
    suggested = draft.suggestions.get("product")
    said = re.fullmatch(r"\s*(?P<yes>[^\s,，]+)[\s,，]+(?P<rest>.+)", fold(text))
    if isinstance(suggested, str) and suggested and said and is_exactly(
            core(said.group("yes"), catalog), catalog, "reply.words.assent") and normal(
            suggested) not in normal(value):
        clauses = [c for c in re.split(r"[\s,，、]+", core(said.group("rest"), catalog)) if c]
        if clauses and all(c.endswith(words(catalog, "reply.words.attribute_endings"))
                           for c in clauses):
            described = "".join(c.removesuffix("的") for c in clauses) + suggested
            return Parsed(described) if len(described) <= 50 else parsed
    units = "|".join(map(re.escape, sorted(words(catalog, "reply.words.price_units"),
                                           key=len, reverse=True)))
    # the price is read from the reply as typed: the product's reader has already cut it off
    # ("麻辣香锅 68块" → 麻辣香锅), and one said not to be it ("没有68块") is no price
    typed = fold(text).strip().rstrip(SENTENCE_ENDS)
    priced = re.fullmatch(rf"(?P<thing>.+?)[\s,，]*[¥￥]?(?P<sum>\d+(?:\.\d+)?)\s*(?:{units})",
                          typed, re.IGNORECASE) if units else None
    denied = priced is not None and has_any(priced.group("thing")[-3:], catalog,
                                            "reply.words.price_denials")
    if priced and not denied and len(core(priced.group("thing"), catalog)) >= 2:
        price = float(priced.group("sum"))
        field = "report_amount" if draft.answer("kind") == "report" else "amount"
        thing = value if value != typed else priced.group("thing")
        return Parsed(thing.rstrip(SENTENCE_ENDS),
                      aside={field: int(price) if price.is_integer() else price})
    return parsed


def read_channel(text: str, ctx: Context, draft: Draft) -> Parsed:
    """In a shop or online; a service done in person ("上门装修", "修手机 不是买的", "在小区
    活动室买的 不是店") was bought face to face: the shop's option, with a word why."""
    parsed = choice_reader("channel", CHANNELS, "channel")(text, ctx, draft)
    if parsed.reason == "ambiguous":
        # "实体店 双十一那天去店里买的 用的京东白条分期": how it was paid is not where
        clauses = [c for c in re.split(r"[\s,，;；。]+", text) if c]
        bought = [c for c in clauses
                  if not has_any(normal(c), ctx.catalog, "reply.words.payment_methods")]
        if bought and len(bought) < len(clauses):
            again = choice_reader("channel", CHANNELS, "channel")(" ".join(bought), ctx, draft)
            if not again.error:
                return again
    if parsed.error and parsed.reason in ("no_match", "none") and has_any(
            core(text, ctx.catalog), ctx.catalog, "reply.words.in_person"):
        return Parsed("store", note="reply.note.in_person")
    return parsed


def match_labels(text: str, catalog: Catalog, name: str, choices: Sequence[str],
                 label_prefix: str = "") -> list[str]:
    """Codes the typed text names, in order (labels, codes and synonyms)."""
    vocabulary = option_vocabulary(catalog, name, choices, label_prefix or name)
    return find_codes(core(text, catalog), vocabulary)


def multi_reader(name: str, choices: Sequence[str], label_prefix: str) -> Parser:
    """Several options typed as text ("付款截图和聊天记录"): returned with `add` set, so the
    engine adds them to what was already picked."""

    def read(text: str, ctx: Context, draft: Draft) -> Parsed:
        found = match_labels(text, ctx.catalog, name, choices, label_prefix)
        if found:
            return Parsed(found, add=True)
        if story_told(text, ctx):
            return _story(ctx, f"field.{name}.prompt")
        example = ctx.catalog.maybe(f"{label_prefix}.{choices[0]}") or choices[0]
        return Parsed(error="error.choose_from_options", params={"example": example},
                      reason=non_answer(text, ctx.catalog) or "no_match")

    return read


def read_evidence(text: str, ctx: Context, draft: Draft) -> Parsed:
    """Evidence typed as text ("直播录屏 吊牌照片 订单截图"); "没有" is an empty list."""
    cleaned = core(text, ctx.catalog)
    nothing = {w.lstrip("=") for w in words(ctx.catalog, "reply.evidence.none")}
    nothing |= set(ctx.t("evidence.none_words").split("|"))
    if cleaned in nothing:
        return Parsed([], note="note.no_evidence")
    if (asked := _evidence_asked_about(cleaned, ctx)) is not None:
        return asked  # "传单算哪个": answered, and ticked
    cleaned = _without_evidence_asides(cleaned, ctx.catalog)
    parsed = multi_reader("evidence", EVIDENCE, "evidence")(cleaned, ctx, draft)
    if parsed.error or not parsed.value:
        return parsed
    # "发票丢了，但有付款截图", "没合同 只有会员卡": a piece said to be lost is not evidence in hand
    kept: list[str] = []
    lost: list[str] = []
    items: list[str] = []  # the pieces as the user named them, for the complaint text
    for part in re.split(r"[，,、;；。\s]+|但是|但|不过|还有|以及|和|跟", cleaned):
        codes = match_labels(part, ctx.catalog, "evidence", EVIDENCE, "evidence")
        if has_any(part, ctx.catalog, "reply.words.evidence_lost") or part.startswith(
                words(ctx.catalog, "reply.words.evidence_lost_openers")):
            lost.extend(codes)
        elif codes:
            if "photos" in codes and "messages" in codes and not has_any(
                    part, ctx.catalog, "reply.words.photo_words"):
                codes = [code for code in codes if code != "photos"]  # 聊天记录我截图了
            kept.extend(codes)
            items.append(_evidence_item(part, codes, ctx.catalog))
    # "照片" alone says no more than its category; "传单" says more than 其他证明材料
    other = normal(ctx.t("evidence.other"))
    bare = {w for code, ws in option_vocabulary(ctx.catalog, "evidence", EVIDENCE,
                                                "evidence").items()
            for w in ws if code != "other" or w in other}
    bare -= {normal(name) for name in word_pairs(ctx.catalog, "reply.words.recorded_names").values()}
    named = {EVIDENCE_ITEMS: list(dict.fromkeys(items))} if len(items) > 1 or (
        items and normal(items[0]) not in bare) else {}
    if "photos" in parsed.value and "photos" not in kept and "photos" not in lost:
        # "群里的聊天记录我截图了": a screenshot of messages is the message record, not a photo
        parsed = Parsed([code for code in parsed.value if code != "photos"], add=True)
    if not lost:
        return Parsed(parsed.value, add=True, also=named)
    kept = [code for code in parsed.value if code in kept]
    if kept:
        return Parsed(kept, add=True, also=named)
    return Parsed(error="reply.error.evidence_lost", reason="lost", params={
        "lost": ctx.t("format.list_separator").join(ctx.t(f"evidence.{code}") for code in
                                                     dict.fromkeys(lost))})


def _evidence_asked_about(text: str, ctx: Context) -> Parsed | None:
    """"传单算哪个", "住院的单子算不算": which option a piece of evidence is, asked. The
    options it is are ticked, and the user told so; None when the reply does not ask."""
    catalog = ctx.catalog
    asking = sorted(words(catalog, "reply.words.evidence_which"), key=len, reverse=True)
    found = next((word for word in asking if text.endswith(word)), None)
    if found is None:
        return None
    piece = core(text[:-len(found)], catalog)
    codes = match_labels(piece, catalog, "evidence", EVIDENCE, "evidence")
    if not codes or len(piece) < 2:
        return None
    item = _evidence_item(piece, codes, catalog)
    labels = ctx.t("format.list_separator").join(
        ctx.t("reply.format.quoted", value=ctx.t(f"evidence.{code}")) for code in codes)
    return Parsed(codes, add=True, note="reply.note.evidence_counts_as",
                  params={"item": item, "labels": labels}, also={EVIDENCE_ITEMS: [item]})


def _without_evidence_asides(text: str, catalog: Catalog) -> str:
    """Evidence without the remarks about it ("微信群截图 不过群解散了截图不全"): a clause
    after 不过/但是 names a piece only when it says the piece is at hand ("但有付款截图",
    "不过截图还在") or lost ("但发票丢了")."""
    contrast = "|".join(map(re.escape, words(catalog, "reply.words.contrast")))
    if not contrast:
        return text
    pieces = re.split(rf"({contrast})", text)
    kept = pieces[:1]
    for word, clause in zip(pieces[1::2], pieces[2::2], strict=True):
        said, after = (*re.split(r"[，,。;；]", clause, maxsplit=1), "")[:2]
        at_hand = said.strip().startswith(words(catalog, "reply.words.having_openers")) or any(
            ending in said for ending in words(catalog, "reply.words.having_endings")) or has_any(
            said, catalog, "reply.words.evidence_lost")
        kept.append(word + clause if at_hand else " " + after)
    return "".join(kept)


# The answer detail that names the evidence as the user did ("会员卡", "直播录屏"), so the
# complaint offers what they have rather than the form's categories.
EVIDENCE_ITEMS = "evidence_items"


def _evidence_item(part: str, codes: list[str], catalog: Catalog) -> str:
    """"只有会员卡" → "会员卡"; a piece too short to name itself ("有卡") takes its category."""
    item = part
    for having in sorted(words(catalog, "reply.words.having_openers"), key=len, reverse=True):
        item = item.removeprefix(having)
    for measure in sorted(words(catalog, "reply.words.measure_words"), key=len, reverse=True):
        if item.startswith(measure) and len(item) - len(measure) >= 2:
            item = item[len(measure):]
            break
    for ending in sorted(words(catalog, "reply.words.screenshot_endings"), key=len, reverse=True):
        if item.endswith(ending) and len(item) > len(ending) + 1:  # "聊天记录我截图了"
            item = item[:-len(ending)] + catalog.text("reply.format.screenshot")
            break
    findable = re.search("|".join(map(re.escape, sorted(
        words(catalog, "reply.words.evidence_findable"), key=len, reverse=True))) or "$^", item)
    if findable and findable.start() >= 2 and len(item) - findable.end() >= 2:
        # "支付宝也能查到转账" → "支付宝转账记录"
        item = item[:findable.start()] + item[findable.end():] + catalog.text(
            "reply.format.record")
    for ending in sorted(words(catalog, "reply.words.having_endings"), key=len, reverse=True):
        item = item.removesuffix(ending)
    item = _evidence_named_plainly(item, catalog)
    if len(item) >= 2:
        return item
    return (word_pairs(catalog, "reply.words.evidence_short_names").get(item)
            or catalog.text(f"evidence.{codes[0]}"))


def _evidence_named_plainly(item: str, catalog: Catalog) -> str:
    """"闺女今天录了一段他们直播" → "直播录屏", "坏菜拍了照片" → "坏菜照片", "两次的维修单" →
    "两次维修单": a piece named as the complaint can list it."""
    verbs = "|".join(map(re.escape, sorted(words(catalog, "reply.words.recording_marks"),
                                           key=len, reverse=True)))
    recorded = re.search(rf"(?:{verbs})(?P<what>.*)$", item) if verbs else None
    if recorded:  # "录了一段他们直播" → "直播录屏", "录了现场视频" → "现场视频"
        what = recorded.group("what")
        for filler in sorted(words(catalog, "reply.words.recording_fillers"), key=len,
                             reverse=True):
            what = what.removeprefix(filler)
        for thing, name in word_pairs(catalog, "reply.words.recorded_names").items():
            if thing in what:
                return name
        if len(what) >= 2:
            return what
    for taken in sorted(words(catalog, "reply.words.photo_taken"), key=len, reverse=True):
        if item.endswith(taken):  # "我拍了照片": the photos, of nothing named
            thing = item[:-len(taken)]
            if thing in words(catalog, "reply.words.pronouns"):
                thing = ""
            return thing + catalog.text("reply.format.photo")
    units = "".join(words(catalog, "reply.words.counted_units"))
    numerals = "".join(words(catalog, "reply.words.numerals"))
    if units:
        item = re.sub(rf"^([\d{numerals}几]+[{units}])的(?=..)", r"\1", item)
    return item


def leaves_it_to_us(text: str, catalog: Catalog) -> bool:
    """"你帮我选", "随便", "都行", "不知道": the user leaves the choice to the bot."""
    return non_answer(text, catalog) == "dont_know" or has_any(
        core(text, catalog), catalog, "reply.words.leave_it_to_you")


def likely_themes(draft: Draft) -> list[dict[str, Any]]:
    """The analyzer's likeliest themes (its shortlist, else its first three), in its ranking's
    order: the ones the theme question names first."""
    shortlist = draft.theme_shortlist or [item["theme"] for item in draft.theme_ranking[:3]]
    return [item for item in draft.theme_ranking if item["theme"] in shortlist]


def read_theme(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The theme; "不知道" or "你帮我选" takes the likeliest one the account was read as (the
    user is told, and can change it), or says how to choose when there is no reading."""
    parsed = choice_reader("theme", THEMES, "theme")(text, ctx, draft)
    if not parsed.error or parsed.story:
        return parsed
    contrast = "|".join(map(re.escape, words(ctx.catalog, "reply.words.contrast")))
    main = re.split(contrast, normal(text), maxsplit=1)[0] if contrast else ""
    if parsed.reason == "ambiguous" and len(core(main, ctx.catalog)) >= 2:
        # "质量问题吧 不过他们售后也不行": the first answer; what follows 不过 is an aside
        first = choice_reader("theme", THEMES, "theme")(main, ctx, draft)
        if not first.error and first.value:
            return Parsed(first.value, note="reply.note.theme_main",
                          params={"theme": ctx.t(f"theme.{first.value}")})
    shortlist = [item["theme"] for item in likely_themes(draft) if item["theme"] in THEMES]
    if shortlist and non_answer(text, ctx.catalog) == "assent":
        # "对" to "可能是：商品质量、售后服务": which of them?
        if len(shortlist) == 1:
            return Parsed(shortlist[0])
        return Parsed(error="reply.error.theme_which", reason="assent", params={
            "themes": ctx.t("reply.format.or").join(
                ctx.t("reply.format.quoted", value=ctx.t(f"theme.{code}")) for code in shortlist)})
    if not leaves_it_to_us(text, ctx.catalog):
        return parsed
    ranked = [item["theme"] for item in draft.theme_ranking if item.get("theme") in THEMES]
    if ranked:
        return Parsed(ranked[0], note="reply.note.theme_closest",
                      params={"theme": ctx.t(f"theme.{ranked[0]}")})
    return Parsed(error="reply.error.theme_unsure", reason="dont_know")


def _punitive(text: str, catalog: Catalog) -> tuple[str, str, int] | None:
    """(phrase, implied demand code or "", multiple) for 退一赔三 and the like."""
    raw = catalog.maybe("reply.demands.punitive") or ""
    entries = [entry.split(":") for entry in raw.split("|") if entry]
    for phrase, implied, multiple in sorted(entries, key=lambda e: -len(e[0])):
        if normal(phrase) in text:
            return phrase, implied, int(multiple)
    return None


def read_demands(text: str, ctx: Context, draft: Draft) -> Parsed:
    """Demands typed as text: "维修或者赔钱" → repair + compensation; "退一赔三" → return_refund
    + compensation, with the multiple in `params` and the sum in `also` when the price is known."""
    cleaned = core(text, ctx.catalog)
    cleaned, dropped = _without_negated(cleaned, ctx.catalog)  # "不是维修！退380"
    punitive = _punitive(cleaned, ctx.catalog)
    cleaned = _refund_with_sum(cleaned, ctx.catalog)  # "退380" asks for 380 back
    if cleaned != core(text, ctx.catalog):
        text = cleaned
    if dropped and not match_labels(cleaned, ctx.catalog, "demands", DEMANDS, "demand") and (
            punitive is None):
        # "不是维修": what is not wanted is taken off; what is, is asked again
        return Parsed(error="reply.error.demands_dropped", reason="dropped", drop=dropped,
                      params={"dropped": ctx.t("format.list_separator").join(
                          ctx.t(f"demand.{code}") for code in dropped)})
    rest = cleaned.replace(normal(punitive[0]), " ") if punitive else cleaned
    found = match_labels(rest, ctx.catalog, "demands", DEMANDS, "demand") if rest.strip() else []
    if punitive is None:
        parsed = multi_reader("demands", DEMANDS, "demand")(text, ctx, draft)
        if parsed.error and not parsed.story and leaves_it_to_us(text, ctx.catalog):
            return Parsed(error="reply.error.demands_undecided",
                          reason=non_answer(text, ctx.catalog) or "undecided")
        evidence = _evidence_named(cleaned, ctx.catalog)
        if parsed.error and not parsed.story and evidence:
            # "有付款截图和照片": the evidence, typed a question early
            return _elsewhere({"evidence": evidence}, ctx.catalog, draft.answer("kind") == "report")
        if parsed.error or not parsed.value:
            return parsed
        codes = list(parsed.value)
        if "return_refund" in codes and "refund" in codes:  # "把钱退了 东西我给他寄回去"
            codes.remove("refund")
        # "换货或者退款都行": either is accepted, and the complaint says so (换货或退款)
        aside = ({"evidence": evidence}  # "退货退款，证据有照片和聊天记录": for its question
                 if evidence and has_any(cleaned, ctx.catalog, "reply.words.having") else {})
        also: dict[str, Any] = {DEMAND_ALTERNATIVES: alternative_groups(cleaned, codes)}
        loss, refund_text = _losses_named(cleaned, ctx, draft)
        if loss is not None:  # "退钱 住院费8200": the 8200 is a compensation item
            also["compensation"] = loss
            codes = [code for code in DEMANDS if code in {*codes, "compensation"}]
        worked_out: dict[str, Any] = {}
        refund, over = _refund_asked(refund_text, ctx, draft)
        if refund:
            also[REFUND_DETAIL] = refund  # "退剩余费用2850": how much, and that it is the rest
            if (rest_worked := _unused_part_priced(refund, draft)) is not None:
                # "退剩下16次的钱" of a 20-visit card for 9800: 7840, said back as worked out
                also[REFUND_DETAIL] = {**refund, "amount": rest_worked[0]}
                worked_out = {"note": "reply.note.refund_worked_out", "params": {
                    **rest_worked[1], "value": ctx.catalog.text(
                        "format.money", amount=money(rest_worked[0]))}}
        if "repair" in codes and (repair := _repair_named(cleaned, ctx.catalog)):
            also[REPAIR_DETAIL] = repair  # "重新做防水": what is to be put right
        if over is not None:
            # "退款8200" after 4980 paid: said, not written silently as the refund
            return Parsed(codes, add=True, aside=aside, also=also, drop=dropped,
                          note="reply.note.refund_over_price", params=over)
        return Parsed(codes, add=True, aside=aside, also=also, drop=dropped, **worked_out)
    phrase, implied, multiple = punitive
    codes = [code for code in DEMANDS if code in {*found, implied, "compensation"}]
    also: dict[str, Any] = {}
    price = draft.answer("amount")
    if price:
        also["compensation"] = {"amount": round(float(price) * multiple, 2), "detail": phrase}
    loss, rest = _losses_named(cleaned, ctx, draft)
    if loss is not None:  # "退钱 住院费8200 还有三倍的那个": 住院费 and 三倍, both items
        also["compensation"] = loss
    if refund := _refund_asked(rest, ctx, draft)[0]:
        also[REFUND_DETAIL] = refund  # "退380，再加三倍赔偿": the 380 back
    return Parsed(codes, add=True, note="reply.note.punitive", also=also, drop=dropped,
                  params={"phrase": phrase, "multiple": multiple})


def _without_negated(text: str, catalog: Catalog) -> tuple[str, tuple[str, ...]]:
    """"不是维修！退380" → ("！退380", ("repair",)): a demand said not to be wanted is taken
    out of the reply, and named ("不要了" is 退货, no negation of one)."""
    negations = "|".join(map(re.escape, words(catalog, "reply.words.negations")))
    table = sorted(((w.lstrip("="), code) for code, ws in option_vocabulary(
        catalog, "demands", DEMANDS, "demand").items() for w in ws
        if w.lstrip("=") and not w.lstrip("=").isdigit() and w.lstrip("=") != code),
        key=lambda pair: -len(pair[0]))
    dropped: list[str] = []
    for word, code in table:
        pattern = re.compile(rf"(?:{negations})\s*{re.escape(word)}")
        if negations and pattern.search(text):
            text = pattern.sub(" ", text)
            dropped.append(code)
    return text, tuple(dict.fromkeys(dropped))


def _refund_with_sum(text: str, catalog: Catalog) -> str:
    """"退380" → "退款380": a sum asked back is a refund ("退1赔3" is no such sum)."""
    leads = "|".join(map(re.escape, words(catalog, "reply.words.refund_before_sum")))
    if not leads:
        return text
    return re.sub(rf"(?:{leads})(?=\s*\d+(?:\.\d+)?\s*(?:元|块)?(?![\d.赔]))",
                  normal(catalog.text("demand.refund")), text)


def _evidence_named(text: str, catalog: Catalog) -> list[str]:
    """The evidence a reply at the demand question names, with every word the evidence
    question knows (at a name or address only the unmistakable ones count)."""
    vocabulary = {code: tuple(w for w in ws if not w.startswith("="))
                  for code, ws in option_vocabulary(catalog, "evidence", EVIDENCE,
                                                     "evidence").items()}
    return list(dict.fromkeys(code for code in find_codes(text, vocabulary) if code != "other"))


# The answer detail that says how much of the money the user asks back, and whether it is the
# unused rest of a prepayment: {"amount": 2850.0, "balance": true}.
REFUND_DETAIL = "refund_detail"


def _losses_named(text: str, ctx: Context, draft: Draft) -> tuple[dict[str, Any] | None, str]:
    """The compensation a demand reply names with a loss in it ("退钱 住院费8200 还有三倍的那个":
    住院费8200元 and 三倍, as the compensation question reads them) or item by item ("重做防水；
    赔延期违约金6100元；赔偿邻居维修费按实际发生"), and the reply without those clauses, where a
    sum asked back may still be; (None, the reply) when no such compensation is named."""
    names = word_pairs(ctx.catalog, "reply.words.loss_names")
    clauses = [clause for clause in re.split(r"[，,。；;\s]+", text) if clause]
    kept, claimed = [], []
    last_kept = False
    for clause in clauses:
        codes = match_labels(clause, ctx.catalog, "demands", DEMANDS, "demand")
        asks_back = any(code in codes for code in ("refund", "return_refund", "exchange", "repair"))
        if asks_back and not any(name in clause for name in names):
            kept.append(clause)
            last_kept = True
        elif last_kept and _bare_sum(clause):
            kept[-1] = f"{kept[-1]} {clause}"  # "退剩下16次的钱 7840": the refund's sum
            last_kept = False
        else:
            claimed.append(clause)
            last_kept = False
    said = " ".join(claimed)
    if ctx.language.read_amount(said) is None:
        return None, text
    parsed = read_compensation(said, ctx, draft)
    if parsed.error or not isinstance(parsed.value, dict) or not parsed.value.get("amount"):
        return None, text
    if not any(name in said for name in names) and not parsed.value.get("items"):
        return None, text  # "退款，赔偿500": asked for at its own question
    return parsed.value, " ".join(kept)


_BARE_SUM = re.compile(r"\d+(?:\.\d+)?\s*(?:元|块钱?)?")


def _bare_sum(clause: str) -> bool:
    """A clause that is a sum alone ("7840", "7840元"), which belongs to the clause before it."""
    return bool(_BARE_SUM.fullmatch(clause))


def _refund_asked(text: str, ctx: Context, draft: Draft
                  ) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    """"退剩余费用2850" → ({"amount": 2850, "balance": True}, None): how much is asked back,
    when the sum stands in a clause that asks for money back and for no compensation ("退款，
    赔偿500" is not 500 back). A sum above what was paid ("退款8200" after 4980) is not taken
    silently: it is left out, and the second item holds it and the price to say so."""
    found = _refund_sum_named(text, ctx)
    price = draft.answer("amount")
    if not found or not found.get("amount") or not price or found["amount"] <= float(price):
        return found, None
    over = {"asked": ctx.catalog.text("format.money", amount=money(found["amount"])),
            "paid": ctx.catalog.text("format.money", amount=money(float(price)))}
    kept = {key: value for key, value in found.items() if key != "amount"}
    return (kept if kept.get("balance") else None), over


def _refund_sum_named(text: str, ctx: Context) -> dict[str, Any] | None:
    balance = has_any(text, ctx.catalog, "reply.words.balance")
    for clause in re.split(r"[，,。；;\s]+", text):
        codes = match_labels(clause, ctx.catalog, "demands", DEMANDS, "demand")
        if any(code in codes for code in ("refund", "return_refund")) and (
                "compensation" not in codes) and (amount := ctx.language.read_amount(clause)):
            return {"amount": amount, "balance": balance}
    codes = match_labels(text, ctx.catalog, "demands", DEMANDS, "demand")
    if codes == ["refund"] and (amount := ctx.language.read_amount(text)):
        return {"amount": amount, "balance": balance}  # "退剩下的钱 差不多3000吧"
    if balance and codes == ["refund"] and (part := _unused_part(text, ctx.catalog)):
        return {"balance": True, "part": part}  # "退没上的34节课的钱": which part is unused
    return {"balance": True} if balance and codes == ["refund"] else None


def _unused_part_priced(refund: dict[str, Any], draft: Draft) -> tuple[float, dict[str, str]] | None:
    """The unused part's share of the price, when the account or the product says how many
    visits or lessons were bought ("次卡20次9800", "退剩下16次的钱": 9800÷20×16 = 7840), with
    the figures it was worked out from; None when anything is missing or does not fit."""
    part, price = refund.get("part"), draft.answer("amount")
    if refund.get("amount") or not isinstance(part, str) or not price:
        return None
    unused = re.search(r"(\d+)\s*(\D+)$", part)
    if unused is None:
        return None
    count, unit = int(unused.group(1)), unused.group(2)
    said = f"{draft.answer('product') or ''} {draft.answer('narrative') or ''}"
    totals = {int(n) for n in re.findall(rf"(\d+)\s*{re.escape(unit)}", normal(said))}
    bought = max((n for n in totals if n > count), default=None)
    if bought is None or len([n for n in totals if n > count]) > 1:
        return None  # no count bought, or two that could be it
    value = round(float(price) / bought * count, 2)
    return value, {"price": money(float(price)), "bought": str(bought), "unused": str(count),
                   "unit": unit}


def _unused_part(text: str, catalog: Catalog) -> str | None:
    """"退没上的34节课的钱" → "没上的34节课": the unused part counted in lessons or visits."""
    balance = "|".join(map(re.escape, words(catalog, "reply.words.balance")))
    units = "|".join(map(re.escape, sorted(words(catalog, "reply.words.count_units"),
                                           key=len, reverse=True)))
    found = re.search(rf"(?:{balance})的?\s*\d+\s*(?:{units})", text) if units else None
    return found.group(0) if found else None


# The answer detail that says what the repair is, in the user's words ("重新做防水").
REPAIR_DETAIL = "repair_detail"


def _repair_named(text: str, catalog: Catalog) -> str | None:
    """"重新做防水，赔偿楼下邻居损失" → "重新做防水": a clause asking only for a repair that says
    more than the repair word and the asking words ("给我修好" says nothing more)."""
    vocabulary = option_vocabulary(catalog, "demands", DEMANDS, "demand")
    repair_words = sorted((w for w in vocabulary["repair"] if not w.startswith("=")),
                          key=len, reverse=True)
    verbs = sorted(words(catalog, "reply.words.demand_verbs"), key=len, reverse=True)
    for clause in re.split(r"[，,。；;\s]+", text):
        if match_labels(clause, catalog, "demands", DEMANDS, "demand") != ["repair"]:
            continue
        rest = clause
        for word in (*repair_words, *verbs):
            rest = rest.replace(word, "")
        if len(rest) >= 2:
            return _repair_wording(clause, repair_words, catalog)
    return None


def _repair_wording(clause: str, repair_words: Sequence[str], catalog: Catalog) -> str:
    """"我想让他们把防水重做了" → "重做防水": a repair as the complaint asks it, without the
    words the user asked with, the thing after the repair word."""
    leads = sorted(words(catalog, "reply.words.repair_asking"), key=len, reverse=True)
    endings = tuple(words(catalog, "reply.words.repair_endings"))
    detail, changed = clause, True
    while changed:
        changed = False
        for lead in leads:
            if detail.startswith(lead) and len(detail) > len(lead):
                detail, changed = detail[len(lead):], True
        if detail.endswith(endings) and len(detail) > 2:
            detail, changed = detail[:-1], True
    objects = "|".join(map(re.escape, words(catalog, "reply.words.repair_object")))
    verbs = "|".join(map(re.escape, repair_words))
    moved = re.fullmatch(rf"(?:{objects})(?P<thing>.+?)(?P<verb>{verbs})", detail) if objects else None
    if moved:  # "把防水重做" → "重做防水", "把屏幕给我修好" → "修好屏幕"
        thing = moved.group("thing")
        for lead in leads:
            thing = thing.removesuffix(lead)
        return moved.group("verb") + thing if thing else detail
    return detail


# The answer detail that says which demands are alternatives ([["exchange", "refund"]]), kept
# beside the demands by the reply that named them.
DEMAND_ALTERNATIVES = "demand_alternatives"


def alternative_groups(text: str, codes: Sequence[str]) -> list[list[str]]:
    """The groups of `codes` that `text` joins by 或/或者 ("换货或者退款都行")."""
    from flows.composition import alternatives_from_text  # loaded with the first demand read

    return [group for group in alternatives_from_text(text)[1]
            if all(code in codes for code in group)]


# ---- places -------------------------------------------------------------------------------


class Place(msgspec.Struct, frozen=True):
    """A place named in a reply, as the draft stores it, and where in the reply it was."""

    value: str
    start: int
    end: int


@cache
def _place_names() -> tuple[tuple[str, str], ...]:
    """(name as typed, value stored), longest name first: Beijing districts and their short
    names, well-known Beijing places, cities and provinces, and the names that only look like
    a district's ("朝阳门内" is in 东城区; "" for a name that tells no district, "朝阳门")."""
    names: dict[str, str] = {}
    for place, district, *_ in table_rows(PLACES_TABLE):
        names[place.lower()] = BEIJING + district
    for place, province, city in ([*row, "", ""][:3] for row in table_rows(DATA_DIR / "cities.tsv")):
        value = province if not city else (province + city if province != city else province)
        names[place] = value
        names[place + ("市" if city else "")] = value
        if province and not city:
            names[province] = value
    for district in DISTRICT_NAMES:
        names[district] = BEIJING + district
        names[district.removesuffix("区")] = BEIJING + district
    for place, district, *_ in table_rows(DATA_DIR / "district_false_friends.tsv"):
        names[place] = "" if district == "-" else BEIJING + district
    return tuple(sorted(names.items(), key=lambda item: -len(item[0])))


def find_places(text: str) -> list[Place]:
    """Every place named, in order, without overlaps; "河北廊坊" is one place (廊坊市). A name
    that only looks like a district's ("朝阳门") is read as no place at all."""
    used = [False] * len(text)
    found: list[Place] = []
    for name, value in _place_names():
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(used[start:end]):
                used[start:end] = [True] * (end - start)
                if value:
                    found.append(Place(value, start, end))
            start = text.find(name, end)
    found.sort(key=lambda place: place.start)
    merged: list[Place] = []
    for place in found:
        previous = merged[-1] if merged else None
        if previous and place.start - previous.end <= 1 and place.value.startswith(
                previous.value):
            merged[-1] = Place(place.value, previous.start, place.end)
        else:
            merged.append(place)
    return merged


def _marked(text: str, place: Place, catalog: Catalog, key: str) -> bool:
    before = text[max(0, place.start - 6):place.start].rstrip(" 的")
    return any(before.endswith(word) for word in words(catalog, key) if not word.startswith("="))


def district_in_address(address: str) -> tuple[str, bool] | None:
    """The Beijing district an address names, and whether it names it outright.

    "北京市朝阳区三里屯路19号" names 朝阳区 outright; "三里屯路19号" only through a well-known
    place, and "朝阳路" through a short name that may be a street: both are offered, not
    ticked. None when the address names no Beijing district, names two, or names a place
    outside Beijing ("长春市朝阳区" is not Beijing's)."""
    text = fold(address).lower()
    places = find_places(text)
    if any(not place.value.startswith(BEIJING) for place in places):
        return None
    districts = {place.value for place in places}
    if len(districts) != 1:
        return None
    district = districts.pop()
    outright = district.removeprefix(BEIJING) in text
    return district, outright


def read_district(text: str, ctx: Context, draft: Draft) -> Parsed:
    """Where the business is: a Beijing district ("朝阳", "北京市朝阳区", "三里屯") or a city or
    province elsewhere ("廊坊", "河北廊坊", "杭州"). A place the user lives in is not taken: the
    reply comes back with `clarify` asking which place is the business's."""
    catalog = ctx.catalog
    if story_told(text, ctx):
        return _story(ctx, "field.district.prompt")
    cleaned = core(text, catalog)
    places = find_places(cleaned)
    if not places:
        district = match_district(fold(text))
        if district:
            return Parsed(BEIJING + district)
        if story_told(text, ctx):
            return _story(ctx, "field.district.prompt")
        reason = non_answer(text, catalog)
        if reason == "assent":
            return nothing_to_agree_to("district", ctx)
        return Parsed(error="error.district", reason=reason or "no_match")
    distinct = list(dict.fromkeys(place.value for place in places))
    business = [p for p in places if _marked(cleaned, p, catalog, "reply.place.business")]
    home = [p for p in places if p not in business
            and _marked(cleaned, p, catalog, "reply.place.home")]
    if len(distinct) == 1 and business:
        return Parsed(distinct[0])
    if len(distinct) == 1 and not home:
        return Parsed(distinct[0])
    if len(distinct) == 1:
        place = distinct[0]
        return Parsed(error="reply.error.district_home", reason="home_place",
                      params={"place": place},
                      clarify=Clarify("reply.clarify.district_home", (place,),
                                      {"place": place}, "reply.clarify.district_home_no"))
    ordered = [p.value for p in business] + [v for v in distinct if v not in
                                              {p.value for p in business}]
    options = tuple(dict.fromkeys(ordered))
    return Parsed(error="reply.error.district_which", reason="two_places",
                  params={"places": catalog.text("format.list_separator").join(options)},
                  clarify=Clarify("reply.clarify.district_which", options))


# ---- platform, numbers --------------------------------------------------------------------


@cache
def _platform_aliases() -> tuple[tuple[str, str], ...]:
    rows = []
    for table in (PLATFORMS_TABLE, DATA_DIR / "platform_aliases.tsv"):
        for line in table.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                alias, name = line.split("\t")[:2]
                rows.append((alias.strip().lower(), name.strip()))
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


def read_platform(text: str, ctx: Context, draft: Draft) -> Parsed:
    """A platform by any of its names ("pdd", "在拼多多买的" → pinduoduo). Known platforms are
    stored by code (shown in the user's language); any other by the name typed."""
    cleaned = core(text, ctx.catalog)
    for alias, name in _platform_aliases():
        if alias in cleaned:
            code = next((c for c in PLATFORMS if ctx.t(f"platform.{c}") == name), None)
            return Parsed(code or name)
    picked = match_labels(text, ctx.catalog, "platform", PLATFORMS)
    if len(picked) == 1:
        return Parsed(picked[0])
    return text_reader(2, 20, "platform")(text, ctx, draft)


def read_business_name(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The business's name. A shopping platform's name alone ("拼多多", "淘宝平台") names where
    it was bought, not who sold it: the user is told so and keeps it only on purpose (a
    platform's own shop), and the platform is kept for the platform question."""
    if has_any(normal(text), ctx.catalog, "reply.words.unreadable"):
        return _refuse("business_name", "dont_know", ctx, draft)  # "执照拍了 但是字看不清"
    parsed = text_reader(2, 100, "business_name")(text, ctx, draft)
    if parsed.error or parsed.value is None:
        return parsed
    platform = _platform_only(str(parsed.value), ctx)
    if platform is None:
        return parsed
    return Parsed(parsed.value, warning="warn.platform_as_business", also={"platform": platform})


def _platform_only(answer: str, ctx: Context) -> str | None:
    """The platform a reply names and nothing else ("拼多多", "pdd", "淘宝平台"), else None."""
    cleaned = core(answer, ctx.catalog)
    if has_any(cleaned, ctx.catalog, "reply.words.own_shop"):
        return None  # "京东自营": the platform's own shop, said on purpose
    for suffix in words(ctx.catalog, "reply.words.platform_suffixes"):
        if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
            cleaned = cleaned.removesuffix(suffix)
            break
    names = {alias for alias, _ in _platform_aliases()}
    names.update(normal(ctx.t(f"platform.{code}")) for code in PLATFORMS if code != "other")
    if cleaned not in names:
        return None
    return read_platform(cleaned, ctx, Draft(number=0, created_at=ctx.now, updated_at=ctx.now)).value


_CODE_RUN = re.compile(r"[0-9A-Z]{15,18}")


def read_credit_code(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The 统一社会信用代码, alone or in a sentence; "没有/不知道" is a skip."""
    if story_told(text, ctx):
        return _story(ctx, "field.credit_code.prompt")
    if says_none(text, ctx.catalog):
        return Parsed(skip=True, reason="none", note="reply.note.skipped")
    reason = non_answer(text, ctx.catalog)
    code = normalize_code(text)
    runs = _CODE_RUN.findall(code)
    if check_code(code) is CodeCheck.MALFORMED and runs:
        code = max(runs, key=len)
    result = check_code(code)
    if result is CodeCheck.MALFORMED:
        if not re.search(r"[0-9]", code):
            return Parsed(error="reply.error.credit_code_missing", reason=reason or "no_match")
        return Parsed(error="error.credit_code", params={"got": len(code)})
    if result is CodeCheck.CHECKSUM_FAILED:
        return Parsed(code, warning="warn.credit_checksum")
    return Parsed(code)


_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{3,63}")


def read_reference_number(text: str) -> str | None:
    """An order or case number inside a reply ("编号是１１０…", "单号 4200 1234 5678"): the
    longest run of letters and digits (spaces between digit groups joined)."""
    folded = fold(text)
    folded = re.sub(r"(?<=\d) (?=\d)", "", folded)
    runs = [run for run in _REFERENCE.findall(folded) if any(ch.isdigit() for ch in run)]
    return max(runs, key=len) if runs else None


def read_order_number(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The order number, alone or in a sentence; "没有/不知道/找不到" is a skip."""
    if story_told(text, ctx):
        return _story(ctx, "field.order_number.prompt")
    number = read_reference_number(text)
    if number and number == parse_phone(number):
        # "139 1234 5678": a mobile number, most likely; kept only if the user says so
        return Parsed(number, warning="warn.order_number_phone")
    if number:
        return Parsed(number)
    if says_none(text, ctx.catalog):
        return Parsed(skip=True, reason="none", note="reply.note.skipped")
    reason = non_answer(text, ctx.catalog)
    return Parsed(error="reply.error.order_number", reason=reason or "no_match")


# ---- dates and sums -----------------------------------------------------------------------


def date_label(value: str, catalog: Catalog) -> str:
    """A stored date as people write it: "2025年10月1日", or "2025年10月" for a month."""
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return catalog.text("reply.format.month", y=int(value[:4]), m=int(value[5:]))
    day = date.fromisoformat(value)
    return catalog.text("format.date", y=day.year, m=day.month, d=day.day)


def nothing_to_agree_to(name: str, ctx: Context) -> Parsed:
    """A bare "对" where nothing was shown to agree to: say so, and how to answer instead."""
    return Parsed(error="reply.error.assent", reason="assent",
                  params={"how": ctx.catalog.maybe(f"field.{name}.hint") or ""})


def _no_date(text: str, ctx: Context) -> Parsed:
    """No date in the reply: "不记得了" gets ways to find or estimate it, anything else the
    forms a date may take."""
    reason = non_answer(text, ctx.catalog) or (
        "vague" if has_any(normal(text), ctx.catalog, "reply.words.vague_time") else "no_match")
    if reason == "assent":
        return nothing_to_agree_to("purchase_date", ctx)
    return Parsed(error="reply.error.date_unknown" if reason in ("dont_know", "vague")
                  else "error.date", reason=reason)


def read_date(text: str, ctx: Context, draft: Draft) -> Parsed:
    """A purchase date as people say it (see `flows.dates.read_when`). A day is stored as
    "2025-10-01", a month as "2025-10"; a future date is refused."""
    if skip := not_a_buyer(text, ctx, draft):
        return skip
    story = story_told(text, ctx)
    when = None if story else ctx.language.read_when(text, ctx.today)
    if when is None:
        if story:
            return _story(ctx, "field.purchase_date.prompt")
        return _no_date(text, ctx)
    if when.future:
        return Parsed(error="error.date_future", reason="future")
    value = when.value
    label = date_label(value, ctx.catalog)
    # A complaint's old purchase leads to the question when the problem was found (the limit
    # counts from then); a report is measured from the day itself.
    stage = limitation.measure(when.last_day, ctx.today).stage
    if draft.answer("kind") == "report" and stage == "limit_passed":
        return Parsed(value, warning="warn.over_three_years")
    if draft.answer("kind") == "report" and stage == "advised_passed":
        return Parsed(value, note="note.over_two_years")
    if when.precision == "month":
        return Parsed(value, note="reply.note.month_only", params={"value": label})
    if when.approximate:
        return Parsed(value, note="reply.note.approximate_date", params={"value": label})
    return Parsed(value)


def read_discovery_date(text: str, ctx: Context, draft: Draft) -> Parsed:
    """When the problem of an old purchase was found: the day the time limit counts from."""
    from flows.dates import stored_day

    when = ctx.language.read_when(text, ctx.today)
    if when is None:
        return _no_date(text, ctx)
    if when.future:
        return Parsed(error="error.date_future", reason="future")
    bought = draft.answer("purchase_date")
    if isinstance(bought, str) and when.last_day < stored_day(bought):
        return Parsed(error="error.found_before_purchase")
    stage = limitation.measure(when.last_day, ctx.today).stage
    if stage == "limit_passed":
        return Parsed(when.value, warning="warn.found_over_three_years")
    if stage == "advised_passed":
        return Parsed(when.value, note="note.found_over_two_years")
    return Parsed(when.value)


_APPROXIMATE_SUM = re.compile(r"[\d零一二两三四五六七八九十百千万]\s*(多|来)|几(千|百|万|十)|好几|左右|上下"
                              r"|(一两|两三|三四|四五|五六|六七|七八|八九)[十百千万]")
# "200-300", "两百到三百": a range, of which the reader would take the first sum
_SUM_RANGE = re.compile(r"[\d零一二两三四五六七八九十百千万]\s*[元块]?\s*(-|~|～|到|至)\s*"
                        r"[\d零一二两三四五六七八九十百千万]")


def read_amount(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The sum paid: "4200", "4200块", "两千五", "4.2k", "价格1037的", "苹果15 4200" (4200)."""
    from flows import amounts

    if story_told(text, ctx):
        return _story(ctx, "field.amount.prompt")
    if _SUM_RANGE.search(normal(text)):
        return Parsed(error="reply.error.amount_approximate", reason="approximate")
    cleaned = core(text, ctx.catalog)
    if re.search(r"[^\W\d_]", cleaned) and (day := _date_only(cleaned, ctx)):
        # "上周三" read 3 yuan, "双十一" 11: a date in words is the purchase date
        return _elsewhere({"purchase_date": day}, ctx.catalog, draft.answer("kind") == "report")
    amount = ctx.language.read_amount(text)
    rough = _about_a_sum(text, ctx.catalog)
    if amount is None and rough is not None:
        amount = ctx.language.read_amount(rough)
    if amount is None:
        folded = normal(text)
        if non_answer(text, ctx.catalog) == "dont_know":
            return Parsed(error="reply.error.amount_unknown", reason="dont_know")
        if non_answer(text, ctx.catalog) == "assent":
            return nothing_to_agree_to("amount", ctx)
        if _APPROXIMATE_SUM.search(folded):
            return Parsed(error="reply.error.amount_approximate", reason="approximate")
        number = re.search(r"\d+", folded)
        if number and amounts.is_model_number(folded, number.start(), number.end()):
            return Parsed(error="reply.error.amount_product_number", reason="model_number",
                          params={"number": folded[max(0, number.start() - 8):number.end()]
                                  .strip()})
        return Parsed(error="error.amount", reason=non_answer(text, ctx.catalog) or "no_match")
    if amount <= 0 or amount >= 100_000_000:
        return Parsed(error="error.amount_range")
    if rough is not None:
        return Parsed(amount, note="reply.note.approximate_amount",
                      params={"value": ctx.catalog.text("format.money", amount=money(amount))})
    parts = amounts.answer_in_parts(text)
    if parts:  # "3万 2万 1万": paid in parts, taken as their total and said back as one
        amount = round(sum(parts), 2)
        return Parsed(amount, note="reply.note.amount_parts", also={AMOUNT_PARTS: parts},
                      params={"value": total_of_parts(parts, ctx.catalog)})
    if (said := _sum_in_account(amount, draft)) is not None:  # "1" where the account said 380
        return Parsed(amount, warning="warn.amount_far_said" if said[1] else "warn.amount_far",
                      params={"account": ctx.catalog.text("format.money", amount=money(said[0])),
                              **({"where": said[1]} if said[1] else {})})
    if re.fullmatch(r"\d", fold(core(text, ctx.catalog))):  # "1", pressed out of habit
        return Parsed(amount, warning="warn.amount_tiny")
    return Parsed(amount)


# A typed sum this many times smaller or larger than the one the account names is not taken
# without asking: "1" for 380 (an option number out of habit), "38000" for 380 (a slip).
FAR_FROM_ACCOUNT = 10


def _sum_in_account(amount: float, draft: Draft) -> tuple[float, str] | None:
    """The sum the account (or its suggestion) says was paid, when the typed `amount` is far
    from it and from every other sum the account names; None when they agree or there is none."""
    from flows import amounts

    account = normal(str(draft.answer("narrative") or ""))
    found = amounts.find_money(account)
    said = [money.value for money in found]
    parts = amounts.paid_in_parts(found)
    paid = round(sum(part.value for part in parts), 2) if parts else None
    suggested = draft.suggestions.get("amount")
    if isinstance(suggested, int | float) and not any(
            money.loss and money.value == suggested for money in found):
        paid = float(suggested)  # never a loss (260 spent at a hospital) offered as the price
    if paid is None or amount in (*said, paid):
        return None
    if max(amount / paid, paid / amount) < FAR_FROM_ACCOUNT:
        return None
    where = next((money for money in found if money.value == paid), None)
    if where is None:
        return paid, ""
    # the clause the sum is in and the one before it, which often says what it was for
    # ("去医院说是过敏，花了260")
    edges = "，,；;。!?！？\n"
    clause = max(account.rfind(edge, 0, where.start) for edge in edges)
    before = max(account.rfind(edge, 0, clause) for edge in edges) if clause >= 0 else -1
    start = before + 1 if where.start - before <= 16 else clause + 1
    raw = str(draft.answer("narrative") or "")
    shown = raw if len(raw) == len(account) else account  # as typed, full-width commas kept
    return paid, shown[start:amounts.with_unit(account, where)].strip(" ，,；;：:")


def total_of_parts(parts: Sequence[float], catalog: Catalog) -> str:
    """Payments said together: "三笔合计 60000元（30000元＋20000元＋10000元）"."""
    counts = words(catalog, "reply.format.counts")
    count = counts[len(parts) - 1] if len(parts) <= len(counts) else str(len(parts))
    return catalog.text("reply.format.total_of_parts", count=count,
                        total=catalog.text("format.money", amount=money(sum(parts))),
                        parts=catalog.text("reply.format.plus").join(
                            catalog.text("format.money", amount=money(part)) for part in parts))


def _about_a_sum(text: str, catalog: Catalog) -> str | None:
    """The sum inside "300左右" or "大概300块" (one sum, said to be rough), else None: the
    interview takes it and says it can be corrected; "三百多" and "两三百" stay refused."""
    folded = normal(text)
    rough = folded
    for hedge in words(catalog, "reply.words.hedges"):
        rough = rough.removeprefix(hedge)
    rough = re.sub(r"(左右|上下)[吧的样子]*$", "", rough.strip())
    if rough == folded or _APPROXIMATE_SUM.search(rough):
        return None
    return rough


def read_optional_amount(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The amount of a 举报, which a reporter may not have paid: "没买/不涉及" is a skip."""
    if skip := not_a_buyer(text, ctx, draft):
        return skip
    if says_none(text, ctx.catalog):
        return Parsed(skip=True, reason="none", note="reply.note.skipped")
    return read_amount(text, ctx, draft)


def read_compensation(text: str, ctx: Context, draft: Draft) -> Parsed:
    """The compensation asked for: "交通费200元", "赔500", "退一赔三" (three times the price);
    a sum said to be the refund ("7840是退款不是赔偿") is no compensation: it is the refund's."""
    rough = _ROUGH_SUM.search(normal(text))
    if rough and not _SUM_RANGE.search(normal(text)):
        # "刚不是说了吗 300左右 冰箱里的肉和菜都坏了": taken as 300, and said to be rough
        folded = without_asides(text, ctx.catalog)  # not "刚不是说了吗"
        rough = _ROUGH_SUM.search(folded) or rough
        folded = folded if _ROUGH_SUM.search(folded) else normal(text)
        parsed = read_compensation(folded[:rough.end(1)] + folded[rough.end():], ctx, draft)
        if parsed.error or not isinstance(parsed.value, dict) or parsed.note or parsed.warning:
            return parsed
        return msgspec.structs.replace(
            parsed, note="reply.note.approximate_compensation",
            params={**parsed.params, "value": ctx.catalog.text(
                "format.money", amount=money(parsed.value["amount"]))})
    refund, rest = _refund_said(text, ctx.catalog)
    if refund is None:
        return _read_compensation(text, ctx, draft)
    parsed = _read_compensation(rest, ctx, draft)
    if parsed.error or parsed.value is None:
        return parsed
    before = draft.answer(REFUND_DETAIL)
    detail = {**(before if isinstance(before, dict) else {}), "amount": refund}
    detail.setdefault("balance", False)
    return msgspec.structs.replace(parsed, also={**parsed.also, REFUND_DETAIL: detail})


_ROUGH_SUM = re.compile(r"(\d+(?:\.\d+)?\s*(?:元|块钱?|块)?)\s*(?:左右|上下)")


def _refund_said(text: str, catalog: Catalog) -> tuple[float | None, str]:
    """"不对 7840是退款不是赔偿 赔偿只有医药费260" → (7840, the reply without that clause)."""
    said = "|".join(map(re.escape, words(catalog, "reply.words.refund_said")))
    found = re.search(rf"(\d+(?:\.\d+)?)\s*(?:元|块钱?)?\s*(?:都|就|也)?(?:是|为)\s*(?:{said})"
                      r"[^，,。；;\s\d]*", normal(text)) if said else None
    if found is None:
        return None, text
    folded = normal(text)
    return float(found.group(1)), f"{folded[:found.start()]} {folded[found.end():]}".strip()


def _read_compensation(text: str, ctx: Context, draft: Draft) -> Parsed:
    from flows.composition.demands import is_loss  # 住院费 is not bounded by the measure
    from flows.fields import compensation_limit, money
    if story_told(text, ctx, sums_asked=True):
        return _story(ctx, "field.compensation.prompt")
    text = _with_rate_said_before(text, ctx.catalog, draft)  # "61天吧" after "一天100"
    span = _days_between(text, ctx)  # "8月31号到10月31号": 61 days
    text = _without_days(text)  # "8月31到10月31 61天": days, not sums
    daily = _daily_rate(text, ctx.catalog, span)
    if isinstance(daily, Parsed):
        return daily
    if daily is not None:  # "一天100 拖了61天": the sum it comes to, the rate kept beside it
        text = daily[0]
    cleaned = core(text, ctx.catalog)
    items = _compensation_items(cleaned, ctx, draft)
    for item in items:
        if daily is not None and item["amount"] == daily[1]:
            item["basis"] = ctx.catalog.text("reply.format.daily_rate", **daily[2])
    if len(items) >= 2 or any(item["amount"] is None for item in items):
        # "医药费38元，惩罚性赔偿1000元": each sum with what it is for; "邻居维修费还没出来":
        # an item whose sum is not known yet, kept without one
        priced = [item["amount"] for item in items if item["amount"] is not None]
        total = round(sum(priced), 2) if priced else None
        value = {"amount": total, "detail": "", "items": items}
        punitive_part = sum(item["amount"] for item in items if item["amount"] is not None and (
                            not item["detail"] or _punitive(normal(item["detail"]), ctx.catalog)
                            or has_any(normal(item["detail"]), ctx.catalog,
                                       "reply.words.punitive_words")))
        limit = compensation_limit(draft)
        if limit is not None and punitive_part > limit:
            key = "warn.compensation_food" if draft.answer("theme") == "food_safety" else (
                "warn.compensation_high")
            return Parsed(value, warning=key, params={"limit": money(limit)})
        return Parsed(value, **_worked_out(daily, ctx))
    punitive = _punitive(cleaned, ctx.catalog)
    if not punitive and (_SUM_RANGE.search(cleaned) or (
            _APPROXIMATE_SUM.search(cleaned) and ctx.language.read_amount(text) is None)):
        # "三百多", "反正60多天": an exact figure, asked for without a word of payment records
        return Parsed(error="reply.error.compensation_approximate", reason="approximate")
    # "退一赔三 1197元": the sum is the digits beside the phrase, never the 一 inside it
    rest = cleaned.replace(normal(punitive[0]), " ") if punitive else text
    amount = ctx.language.read_amount(rest) if not punitive or re.search(r"\d", fold(rest)) else None
    if punitive and amount is None:
        price = draft.answer("amount")
        if not price:
            return Parsed(error="reply.error.compensation_no_price",
                          params={"phrase": punitive[0]}, reason="no_price")
        value = {"amount": round(float(price) * punitive[2], 2), "detail": punitive[0]}
    elif amount is None or amount <= 0:
        reason = non_answer(text, ctx.catalog)
        if reason in ("dont_know", "none", "complaint"):
            return Parsed(error="reply.error.compensation_unsure", reason=reason)
        return Parsed(error="error.compensation", reason=reason or "no_match")
    else:
        value = {"amount": amount, "detail": punitive[0] if punitive else
                 _loss_name(_compensation_detail(text, ctx.catalog), ctx.catalog)}
        if daily is not None:  # how the sum was worked out: "每天100元×61天"
            value["basis"] = ctx.catalog.text("reply.format.daily_rate", **daily[2])
    limit = compensation_limit(draft)
    if limit is not None and value["amount"] > limit and (punitive or not is_loss(value["detail"])):
        key = "warn.compensation_food" if draft.answer("theme") == "food_safety" else (
            "warn.compensation_high")
        return Parsed(value, warning=key, params={"limit": money(limit)})
    return Parsed(value, **_worked_out(daily, ctx))


def _worked_out(daily: tuple[str, float, dict[str, str]] | None, ctx: Context) -> dict[str, Any]:
    """A sum per day worked out by the bot is said back ("按每天100元×61天算，记为 6100元"),
    so a wrong count of days is caught; nothing to say otherwise."""
    if daily is None:
        return {}
    return {"note": "reply.note.compensation_worked_out",
            "params": {"basis": ctx.catalog.text("reply.format.daily_rate", **daily[2]),
                       "value": ctx.catalog.text("format.money", amount=money(daily[1]))}}


def _compensation_items(text: str, ctx: Context, draft: Draft) -> list[dict[str, Any]]:
    """The sums of a reply that names several ("三倍赔偿38.4万，另外检测费800块", "医药费38
    误工费200"), each with what it is for. A punitive phrase without its own sum is priced
    from the amount paid, unless a bare sum follows it ("三倍赔偿 1197元" is one item)."""
    joiners = "|".join(map(re.escape, words(ctx.catalog, "reply.words.item_joiners")))
    named = word_pairs(ctx.catalog, "reply.words.detail_names")  # 惩罚性 → 惩罚性赔偿
    items: list[dict[str, Any]] = []
    carried = ""  # words before a sum, said apart from it ("医药费 38")
    priced_from_price = False
    for part in re.split(rf"[，,、；;+\s]+|{joiners}", text):
        part = (carried + part).strip()
        if not part:
            continue
        punitive = _punitive(part, ctx.catalog)
        rest = part.replace(normal(punitive[0]), " ") if punitive else part
        amount = ctx.language.read_amount(rest) if _SUM_SAID.search(rest) else None
        if amount and not punitive and not _compensation_detail(part, ctx.catalog) and (
                items and priced_from_price):
            items[-1]["amount"] = amount  # "三倍赔偿 1197元": the phrase's own sum
            priced_from_price, carried = False, ""
            continue
        priced_from_price = False
        if amount is None and punitive and draft.answer("amount"):
            amount = round(float(draft.answer("amount")) * punitive[2], 2)
            priced_from_price = True
        if not amount and not punitive and (pending := _pending_item(part, ctx.catalog)):
            items.append({"detail": pending, "amount": None})  # "邻居维修费还没出来"
            carried = ""
            continue
        if not amount:
            # words before their sum ("医药费 38"); a count of days or a date is not one
            carried = part if not punitive and not re.search(r"\d", fold(part)) else ""
            continue
        carried = ""
        detail = punitive[0] if punitive else _loss_name(
            _compensation_detail(part, ctx.catalog), ctx.catalog)
        items.append({"detail": named.get(detail, detail), "amount": amount})
    last = _compensation_detail(carried, ctx.catalog).strip(SENTENCE_ENDS) if carried else ""
    if items and last and not items[-1]["detail"]:
        items[-1]["detail"] = named.get(last, last)  # "每天100元付延期违约金": named after its sum
    elif items and last and has_any(last[-2:], ctx.catalog, "reply.words.cost_endings"):
        # "违约金6100元，另赔偿邻居家维修费": a cost named last, with no sum yet
        items.append({"detail": last, "amount": None})
    return items


# a sum in figures, or in words with its place unit ("八千二"): 三倍 alone is no sum
_SUM_SAID = re.compile(r"\d|[一二两三四五六七八九十][十百千万]")


def _loss_name(detail: str, catalog: Catalog) -> str:
    """"住院的钱也得给" → "住院费": a loss said in words, by the name the complaint gives it; a
    name that says a cost already ("邻居家维修费") stays."""
    if any(word in detail for word in words(catalog, "reply.words.cost_names")):
        return detail  # named as a cost already, perhaps with others: as said
    names = word_pairs(catalog, "reply.words.loss_names")
    for word in sorted(names, key=len, reverse=True):
        if word in detail:
            return names[word]
    return detail


def _pending_item(part: str, catalog: Catalog) -> str | None:
    """What an item is for when the reply says its sum is not known yet ("邻居维修费还没出来",
    "维修费按实际"): the item's name; None when the part says no such thing."""
    folded = normal(part)
    said = next((word for word in sorted(words(catalog, "reply.words.sum_pending"), key=len,
                                         reverse=True) if word in folded), None)
    if said is None:
        return None
    name = _compensation_detail(_EMPTY_BRACKETS.sub("", folded.replace(said, "")).strip(),
                                catalog).strip(SENTENCE_ENDS + "（）()")
    return name or None


# A date or a span of dates in a compensation ("8月31到10月31", "8.31-10.31") is not a sum.
_MONTH_DAY = r"(?:\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\.\d{1,2}(?![\d.]))"
_DAYS_IN_SUMS = re.compile(
    rf"(?<![\d.]){_MONTH_DAY}\s*[到至~～\-]\s*{_MONTH_DAY}"
    r"|(?<![\d.])\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|(?<![\d.])\d{1,2}\.\d{1,2}\s*[日号]")


def _without_days(text: str) -> str:
    return _DAYS_IN_SUMS.sub(" ", fold(text))


# The answer detail a reply giving a sum per day without its days leaves for the next reply
# to the same question: {"rate": 100.0, "detail": "延期违约金"}.
DAILY_RATE = "daily_rate"


def _with_rate_said_before(text: str, catalog: Catalog, draft: Draft) -> str:
    """"61天吧" right after "违约金一天100" was asked for its days: the reply with that rate put
    back before it ("违约金 每天100 61天吧"); the reply as typed when it names a rate of its own
    or no days."""
    earlier = draft.suggestions.get(DAILY_RATE)
    per_day = words(catalog, "reply.words.per_day")
    if not isinstance(earlier, dict) or not per_day or any(word in text for word in per_day):
        return text
    if not re.search(r"\d|[一二两三四五六七八九十]", text) or not _DAYS_SAID.search(fold(text)):
        return text
    return f"{earlier.get('detail') or ''} {per_day[0]}{money(earlier['rate'])} {text}"


_DAYS_SAID = re.compile(r"(?:\d+|[一二两三四五六七八九十百]+)\s*[多几余来]?\s*个?\s*[天日]")


_SPAN_ENDS = re.compile(r"(?<![\d.])(?P<m1>\d{1,2})\s*(?:月|\.)\s*(?P<d1>\d{1,2})\s*[日号]?\s*"
                        r"[到至~～\-]\s*(?P<m2>\d{1,2})\s*(?:月|\.)\s*(?P<d2>\d{1,2})(?![\d.])")


def _days_between(text: str, ctx: Context) -> int | None:
    """The days a span of dates covers ("8月31号到10月31号": 61), counted from the first day to
    the last; None when the reply names no such span."""
    from datetime import date

    found = _SPAN_ENDS.search(fold(text))
    if not found:
        return None
    year = ctx.now.year
    try:
        first = date(year, int(found["m1"]), int(found["d1"]))
        last = date(year, int(found["m2"]), int(found["d2"]))
    except ValueError:
        return None
    if last < first:  # "12月20到1月10": into the next year
        last = last.replace(year=year + 1)
    days = (last - first).days
    return days if days > 0 else None


def _daily_rate(text: str, catalog: Catalog, span: int | None = None
                ) -> tuple[str, float, dict[str, str]] | Parsed | None:
    """A sum per day ("违约金 一天100 拖了61天"): the reply with the rate replaced by the sum it
    comes to, that sum, and the rate and days to write beside it; the days from a span of dates
    (`span`, "8月31号到10月31号") or from the sum it comes to when that is said ("每天100元赔延期
    违约金6100元": 61 days); a request for the days or the total when they are not exact
    ("拖了60多天"); None when no rate per day is named."""
    from flows.numerals import NUMBER, parse_number

    per_day = "|".join(map(re.escape, words(catalog, "reply.words.per_day")))
    rate = re.search(rf"(?:{per_day})\s*\D{{0,2}}?\s*(?P<n>{NUMBER})\s*(?:元|块)?"
                     rf"|(?P<m>{NUMBER})\s*(?:元|块)?\s*(?:{per_day})", text)
    if not rate or parse_number(rate.group("n") or rate.group("m")) is None:
        return None
    per = parse_number(rate.group("n") or rate.group("m")) or 0
    rest = text[:rate.start()] + _RATE_MARK + text[rate.end():]
    overdue = "|".join(map(re.escape, words(catalog, "reply.words.overdue")))
    days = re.search(rf"(?:{overdue})?\s*(?P<d>{NUMBER})\s*(?P<more>[多几余来])?\s*(?:个)?\s*"
                     rf"(?:天|日)(?P<about>左右|上下)?", rest)
    count = parse_number(days.group("d")) if days else None
    params = {"rate": money(per)}
    if days:
        rest = rest[:days.start()] + " " + rest[days.end():]
    for filler in words(catalog, "reply.words.daily_fillers"):  # "按合同 付…违约金": its name
        rest = rest.replace(filler, " ")
    if not days and span:
        count = span
    if not count and per and not days:  # "每天100元赔延期违约金6100元": the sum is said
        stated = [parse_number(number) or 0 for number in re.findall(NUMBER, rest)]
        count = next((int(value / per) for value in stated if value > per
                      and (value / per).is_integer() and value / per <= _MOST_DAYS), None)
    if not count or (days and (days.group("more") or days.group("about"))):
        detail = _compensation_detail(re.sub(r"\s+", "", rest.replace(_RATE_MARK, "")), catalog)
        return Parsed(error="reply.error.compensation_daily", reason="daily_rate",
                      params={**params, "detail": detail},
                      also={DAILY_RATE: {"rate": per, "detail": detail}})
    total = round(per * count, 2)
    # "违约金6100元（每天100元，61天）": the sum is said already, the rate only explains it
    stated = any(parse_number(number) == total for number in re.findall(NUMBER, rest))
    rest = rest.replace(_RATE_MARK, " " if stated else f" {money(total)} ")
    rest = _EMPTY_BRACKETS.sub(" ", rest)  # "（合同约定，）" once the rate and days are out
    return rest, total, {**params, "days": money(count)}


# More days than this are not read from a sum and its rate per day (a sum far larger is no
# such total).
_MOST_DAYS = 3650

# Where the rate per day stood while the days are taken out, and what is left of a bracket
# that held only them.
_RATE_MARK = "\x00"
_EMPTY_BRACKETS = re.compile(r"[（(][\s,，、;；]*[）)]")


def _compensation_detail(text: str, catalog: Catalog) -> str:
    """What a compensation is for ("交通费200元" → "交通费"), without the asking words
    ("赔我500" → ""), which the draft's own sentence already says."""
    detail = amount_without_number(text)
    asking = sorted((*words(catalog, "reply.strip.compensation_verbs"),
                     *words(catalog, "reply.words.hedges"), *words(catalog, "reply.words.sum_hedges")),
                    key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for verb in asking:  # longest first, again after each cut ("不对 赔偿…": not 赔 of 赔偿)
            if detail.startswith(verb):
                detail, changed = detail[len(verb):].strip(), True
            if detail.endswith(verb):
                detail, changed = detail[:-len(verb)].strip(), True
            if changed:
                break
    return detail[:40]


def read_name(text: str, ctx: Context, draft: Draft) -> Parsed:
    """A reporter who says they do not want to give a name is not stored as that name: a
    report may be made without one (the contact details are then optional too)."""
    from flows.advice import wants_anonymity, worries_about_identity  # loaded with a report

    if draft.answer("kind") == "report" and wants_anonymity(text):
        return Parsed(skip=True, note="note.anonymous")
    if draft.answer("kind") == "report" and worries_about_identity(text):
        # "会不会被店家知道是我举报的": the worry is answered, not kept as a name
        return Parsed(error="reply.error.name_refused_report", reason="refusal")
    if phone := parse_phone(text):  # "刘佳 电话13800001111": the phone kept for its question
        rest = _without_phone(text, ctx.catalog)
        if not rest:
            return _elsewhere({"complainant_phone": phone}, ctx.catalog,
                              draft.answer("kind") == "report")
        named = read_name(rest, ctx, draft)
        if named.error or named.skip:
            return named
        return Parsed(named.value, warning=named.warning, params=named.params,
                      also={**named.also, "complainant_phone": phone})
    if (beside := _address_beside_name(text, ctx.catalog)) is not None:
        # "周建国 朝阳区劲松八区805楼3门202": the address kept for its question
        named = read_name(beside[0], ctx, draft)
        if named.error or named.skip:
            return named
        return Parsed(named.value, warning=named.warning, params=named.params, note=named.note,
                      also={**named.also, "complainant_address": beside[1]})
    if (writer := _self_introduction(text, ctx.catalog)) is not None and writer[0] and writer[1]:
        # "我是她儿子张伟 我妈叫吴桂兰": the name asked for, and the writer told how to use theirs
        named = read_name(writer[0], ctx, draft)
        if named.error or named.skip or named.warning or named.value == writer[1]:
            return named
        return Parsed(named.value, also=named.also, note="reply.note.other_name",
                      params={"name": writer[1], "answered": named.value})
    parsed = text_reader(2, 30, "complainant_name")(_surname_said_first(text, ctx.catalog), ctx,
                                                     draft)
    if (not parsed.error and draft.answer("kind") != "report"
            and _only_a_surname(str(parsed.value), ctx.catalog)):
        return Parsed(parsed.value, warning="warn.name_surname_only")
    return parsed


def _address_beside_name(text: str, catalog: Catalog) -> tuple[str, str] | None:
    """"周建国 朝阳区劲松八区805楼3门202" → ("周建国", "朝阳区劲松八区805楼3门202"): a name
    first, then an address (a place word and a number); None otherwise."""
    parts = [part for part in re.split(r"[\s,，、;；]+", fold(text).strip()) if part]
    marks = words(catalog, "reply.words.address_marks")
    for index in range(1, len(parts)):
        rest = " ".join(parts[index:])
        if (re.search(r"\d", rest) or find_places(rest)) and len(rest) >= 6 and any(
                mark in parts[index] for mark in marks) and not re.search(r"\d", parts[0]):
            return " ".join(parts[:index]), rest
    return None


def _without_phone(text: str, catalog: Catalog) -> str:
    """"刘佳 电话13800001111" → "刘佳": the reply without the number and the words naming it."""
    rest = PHONE_RUN.sub(" ", fold(text))
    for word in sorted(words(catalog, "reply.words.phone_words"), key=len, reverse=True):
        rest = rest.replace(word, " ")
    return core(rest.strip(SENTENCE_ENDS + "、:："), catalog)


def _own_name_beside(text: str, catalog: Catalog) -> str | None:
    """"留我的吧 我叫张伟 13522223333" → "张伟": the writer's own name, said with 我叫 (not
    "我是她儿子", a relation)."""
    leads = "|".join(map(re.escape, sorted(words(catalog, "reply.words.own_name_leads"),
                                           key=len, reverse=True)))
    found = re.search(rf"(?:{leads})\s*(?P<name>[\u4e00-\u9fff]{{2,4}})", _without_phone(text, catalog))
    if not found:
        return None
    name = found.group("name")
    if any(word in name for word in (*_relations(), *words(catalog, "reply.words.pronouns"))):
        return None
    return name


def _surname_said_first(text: str, catalog: Catalog) -> str:
    """"姓陈 陈志强" → "陈志强": the surname said first, then the whole name."""
    leads = "|".join(map(re.escape, words(catalog, "reply.words.surname_leads")))
    said = re.fullmatch(rf"\s*(?:{leads})(?P<surname>\w)[\s,，、]*(?P<name>(?P=surname)\w{{1,3}})\s*",
                        fold(text))
    return said.group("name") if said else text


def _only_a_surname(name: str, catalog: Catalog) -> bool:
    """"张先生", "王女士": a surname and a courtesy title, not the full name a complaint needs."""
    return any(len(name) - len(title) in (1, 2) and name.endswith(title)
               for title in words(catalog, "reply.words.courtesy_titles"))


def _spoken_digits(text: str, catalog: Catalog) -> str:
    """"留我的 一三六八八八八九九九九" → "留我的 13688889999": runs of seven or more digits
    written as Chinese numerals (幺 for 1, 两 for 2), in Arabic digits."""
    digits = word_pairs(catalog, "reply.words.spoken_digits")
    run = "[" + "".join(digits) + r"\s-]"
    return re.sub(rf"[{''.join(digits)}]{run}{{5,}}[{''.join(digits)}]",
                  lambda m: "".join(digits.get(ch, "") for ch in m.group(0))
                  if sum(ch in digits for ch in m.group(0)) >= 7 else m.group(0), fold(text))


def read_phone(text: str, ctx: Context, draft: Draft) -> Parsed:
    """A mobile or landline number, alone or in a sentence."""
    if story_told(text, ctx):
        return _story(ctx, "field.complainant_phone.prompt")
    phone = parse_phone(text)
    if phone is None and (spoken := parse_phone(_spoken_digits(text, ctx.catalog))):
        # "一三六八八八八九九九九", as voice input writes it: read back to be checked
        return Parsed(spoken, note="reply.note.phone_spoken", params={"phone": spoken})
    if phone and (name := _own_name_beside(text, ctx.catalog)):
        # "留我的吧 我叫张伟 13522223333": the name too, for its question (or said to differ)
        answered = draft.answer("complainant_name")
        if answered is None:
            return Parsed(phone, also={"complainant_name": name})
        if answered != name:
            return Parsed(phone, note="reply.note.other_name",
                          params={"name": name, "answered": answered})
    if phone:
        return Parsed(phone)
    reason = non_answer(text, ctx.catalog)
    if (before := said_before("complainant_phone", reason, draft)) is not None:
        return before  # "上面说了啊": the phone given with the name
    if reason == "refusal":
        report = draft.answer("kind") == "report"
        return Parsed(error="reply.error.name_refused_report" if report else "error.phone",
                      reason=reason)
    return Parsed(error="error.phone", reason=reason or "no_match")


# ---- case tracking ------------------------------------------------------------------------


def read_case_state(text: str, catalog: Catalog, allowed: Sequence[str]) -> str | None:
    """The state of a filed case as the user reports it ("受理了", "商家不同意退 调解没谈成"),
    among the states the case may move to; None when the reply names none or several."""
    cleaned = core(text, catalog)
    vocabulary = {state: words(catalog, f"reply.case_state.{state}") for state in allowed}
    found = find_codes(cleaned, vocabulary)
    return found[0] if len(found) == 1 else None
