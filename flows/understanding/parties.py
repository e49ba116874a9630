"""Who sold what, where and how: business name, shop, product, platform, channel, order number."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from flows.amounts import product_brands
from flows.regions import match_district
from flows.understanding import resources
from flows.understanding.segmenter import Token

_COMPANY = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9（）()]{2,40}?(?:股份有限公司|有限责任公司|有限公司|分公司|"
    r"经营部|门市部|商行)"
)
_NAME_BOUNDARY = re.compile(r".*(在|于|从|向|投诉|对|是|的|与|和|跟|被|买了|购买|到|去|找)")
_SHOP_SUFFIX = r"(?:旗舰店|专卖店|专营店|专柜|门店|4s店|分店|店)"
_NAMED_SHOP = re.compile(
    r"(?:商家叫|店名叫|店名是|店铺叫|店铺名叫|店铺名是|店铺名|店名|商家是|商家名叫)"
    r"[:：\s]*[\"“「]?(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,20})"
)
_PLACE_BRAND = (
    r"(?P<place>PLACES)(?:的|那家|这家|一家|那个|里的)(?P<brand>[\u4e00-\u9fffA-Za-z]{2,6}?)"
    r"(?:店|专卖店|门店)?(?=买|购|办|吃|消费|订|配)"
)
_SHOP_SUFFIX_AT_END = re.compile(_SHOP_SUFFIX + "$")
_SHOP_WITH_SUFFIX = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,16}?" + _SHOP_SUFFIX + ")"
)
_SHOP_NAME_BOUNDARY = re.compile(r".*(在|于|从|到|去|的|了|家|是|给|对|投诉|找|跟|和|与)")
_GENERIC_SHOPS = frozenset({"实体店", "门店", "店", "专卖店", "旗舰店", "4s店", "网店", "小店",
                            "商店", "本店", "该店", "此店", "这家店", "那家店", "分店"})
_ORDER_NUMBER = re.compile(r"(?:订单编号|订单号码|订单号|订单|单号)\s*(?:是|为)?\s*[:：#]?\s*"
                           r"(?P<number>[A-Za-z0-9][A-Za-z0-9-]{5,39})")
_MEASURE = "(?:双|件|台|个|部|瓶|盒|款|份|张|辆|套|条|只|块|箱|袋|支|本|副|把|罐|杯|桶|对|枚|顶)"
# "买了双跑鞋", "买了个保健品", "买了三盒面膜", "买了2瓶消毒液": a count other than 一/两/几 is
# skipped only with its measure word ("买了三年" is a time, not a product).
_PRODUCT = re.compile(
    r"(?:买了|买的|购买了|购买的|购买|入手了|入手的|下单的|下单了|订的|订了|配的|网购的|"
    rf"网购了)(?:(?:[三四五六七八九十]|\d{{1,3}}){_MEASURE}|(?:一|两|几)?{_MEASURE}?)"
    r"(?P<product>[\u4e00-\u9fffA-Za-z0-9]{1,12})"
)
# What is left of "买了四个多月" once the count is skipped: a time, not a product.
_TIME_LEFT = re.compile(r"(?:多|个)?(?:天|年|月|周|星期|礼拜)")
# A price written in Chinese numerals after the product ("运动鞋二百九十九") ends it.
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
_PRODUCT_STOP_WORDS = frozenset({"东西", "时候", "商品", "产品", "货", "这个", "那个", "一个",
                                 "时", "后", "回来", "回家", "以后", "之后", "当天", "第二天"})


def find_business_name(text: str) -> tuple[str, tuple[int, int]] | None:
    """A registered name ("北京某某商贸有限公司"), cut free of the words before it."""
    for match in _COMPANY.finditer(text):
        name = match.group(0)
        boundary = _NAME_BOUNDARY.match(name[:-2])
        if boundary:
            name = name[boundary.end():]
        if len(re.sub(r"(股份有限公司|有限责任公司|有限公司|分公司|经营部|门市部|商行)$", "",
                      name)) >= 2:
            return name, (match.end() - len(name), match.end())
    return None


@cache
def _place_brand_pattern() -> re.Pattern[str]:
    """The place-then-brand pattern, built once from the places table."""
    names = sorted(resources.places(), key=len, reverse=True)
    return re.compile(_PLACE_BRAND.replace("PLACES", "|".join(map(re.escape, names))))


@cache
def _trade_sign_pattern() -> re.Pattern[str]:
    """"在小蓝鲸英语给孩子报的课": a sign ending in a trade word, after 在, before what was done."""
    trades = "|".join(map(re.escape, resources.store_trades()))
    return re.compile(r"在(?P<name>[\u4e00-\u9fffA-Za-z0-9]{1,10}?(?:" + trades + r"))"
                      r"(?:中心|工作室|会所|馆|部)?(?=给|报|办|买|充|交|上|学|做|修|换|消费|[，,。 ]|$)")


def _trade_signed_shop(text: str) -> tuple[str, tuple[int, int], float] | None:
    """"在数码城一楼的极速手机维修换的屏" → 极速手机维修: the sign cut free of where it is, and
    not a place with a trade ("在朝阳区培训")."""
    found = _trade_sign_pattern().search(text)
    if not found:
        return None
    name = found.group("name")
    boundary = _SHOP_NAME_BOUNDARY.match(name[:-2])
    if boundary:
        name = name[boundary.end():]
    trade = next(word for word in resources.store_trades() if name.endswith(word))
    head = name[: -len(trade)]
    if (len(head) < 2 or head in resources.places() or match_district(head)
            or _is_fragment(name + "店") or _SHOP_SUFFIX_AT_END.search(head)):
        return None
    return name, (found.end("name") - len(name), found.end("name")), 0.4


def find_store_name(text: str) -> tuple[str, tuple[int, int], float] | None:
    """The shop as people name it: "商家叫王记麻辣烫", "三里屯那家耐克" -> "耐克三里屯店",
    with a confidence: sure when named outright, a suggestion when cut out of a sentence
    (where the words before 店 are often not part of the name: "要求4S店")."""
    named = _NAMED_SHOP.search(text)
    if named:
        return named.group("name"), named.span("name"), 0.9
    located = _place_brand_pattern().search(text)
    if located:
        brand = located.group("brand")
        if brand not in _GENERIC_SHOPS and not brand.endswith("店"):
            return f"{brand}{located.group('place')}店", located.span(), 0.7
    signed = _trade_signed_shop(text)
    if signed:
        return signed
    for match in _SHOP_WITH_SUFFIX.finditer(text):
        name = match.group("name")
        boundary = _SHOP_NAME_BOUNDARY.match(name[:-1])
        if boundary:
            name = name[boundary.end():]
        if name not in _GENERIC_SHOPS and len(name) >= 4 and not _is_fragment(name):
            return name, (match.end() - len(name), match.end()), 0.4
    return None


def _is_fragment(name: str) -> bool:
    """A piece of a sentence that ends in 店 ("这个月初店"), not a shop's name."""
    fragments = resources.store_fragments()
    head = name[:-1]
    return any(head.startswith(f) or (len(f) >= 2 and f in head) or head.endswith(f)
               for f in fragments)


def find_product(text: str, tokens: Sequence[Token]) -> tuple[str, tuple[int, int]] | None:
    """The first thing bought ("买了双跑鞋" -> 跑鞋), stopping before complaint or filler words."""
    boundaries = {token.start for token in tokens}
    by_start = {token.start: token for token in tokens}
    stop = resources.stopwords() | _PRODUCT_STOP_WORDS
    products = resources.product_nouns()
    problem_words = resources.theme_lexicon().keys() - products
    for match in _PRODUCT.finditer(text):
        position = match.start("product")
        if position not in boundaries:
            continue
        words: list[Token] = []
        while position in by_start and len(words) < 3:
            token = by_start[position]
            if token.word == " " and words and token.end in by_start and by_start[
                    token.end].word.isdigit():
                token = by_start[token.end]  # "iphone 15": the space belongs to the name
            if token.word.isdigit() and words and _takes_model_number(words[-1].word):
                words.append(token)  # 苹果15, 小米14: the model number is part of the name
                break
            if (token.word in stop or token.word in problem_words
                    or not re.fullmatch(r"[\u4e00-\u9fffa-z0-9]+", token.word)
                    or token.word.isdigit() or (words and _NUMERAL.fullmatch(token.word))):
                break
            words.append(token)
            position = token.end
            if token.word in products:  # "买了个二手车实际公里数…": the thing bought ends here
                break
        if words:
            start, end = words[0].start, words[-1].end
            product = text[start:end]
            if len(product) >= 2 and not _TIME_LEFT.match(product):
                return product, (start, end)
    return None


def _takes_model_number(word: str) -> bool:
    return word in product_brands() or bool(re.fullmatch(r"[a-z]+", word))


def find_platform(tokens: Sequence[Token]) -> tuple[str, tuple[int, int]] | None:
    table = resources.platforms()
    for token in tokens:
        name = table.get(token.word)
        if name:
            return name, (token.start, token.end)
    return None


def find_channel(tokens: Sequence[Token], platform_found: bool,
                 district_found: bool) -> tuple[str, float] | None:
    """"online" or "store" from the words around the purchase, with a confidence."""
    scores = {"online": 2.0 if platform_found else 0.0, "store": 0.0}
    for token in tokens:
        cue = resources.channel_cues().get(token.word)
        if cue:
            scores[cue[0]] += cue[1]
        elif token.word.endswith("店") and len(token.word) >= 2 and token.word not in (
                "店铺", "网店", "店家", "旗舰店"):
            scores["store"] += 1.0
    if district_found and scores["online"] == 0:
        scores["store"] += 1.0
    best = max(scores, key=lambda channel: scores[channel])
    other = "store" if best == "online" else "online"
    if scores[best] <= 0 or scores[best] == scores[other]:
        return None
    confidence = min(0.95, 0.5 + 0.15 * (scores[best] - scores[other]))
    return best, round(confidence, 2)


def find_order_number(original: str) -> tuple[str, tuple[int, int]] | None:
    match = _ORDER_NUMBER.search(original)
    if not match:
        return None
    number = match.group("number")
    if sum(char.isdigit() for char in number) < 6:
        return None
    return number, match.span("number")
