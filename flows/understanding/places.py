"""Finds the Beijing district where the purchase happened.

An explicit district ("朝阳区", "海淀") wins; otherwise a well-known place ("三里屯", "中关村",
"西单大悦城") from `data/places.tsv` gives its district. Place names are not trusted when the
account is set in another city ("杭州…4S店", "延吉市"), since many cities have a 国贸.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flows.regions import DISTRICT_NAMES
from flows.understanding import resources
from flows.understanding.segmenter import Token

_SHORT_NAMES = {name.removesuffix("区"): name for name in DISTRICT_NAMES}
_FULL_NAME = re.compile("|".join(sorted(DISTRICT_NAMES, key=len, reverse=True)))
_OTHER_CITY = re.compile(r"([\u4e00-\u9fff]{2,3})(省|市)")
_NOT_A_CITY = ("超", "城", "上", "门", "菜", "夜", "早", "股", "集", "闹", "都", "楼", "车", "街",
               "花", "黑", "开", "全", "本", "该", "北京")


def _elsewhere(text: str) -> bool:
    """True when the account names a city or province other than Beijing."""
    for match in _OTHER_CITY.finditer(text):
        name = match.group(1)
        if not name.endswith(_NOT_A_CITY) and not name.startswith("北京"):
            return True
    return any(city in text for city in resources.other_cities())


def find_district(text: str, tokens: Sequence[Token]) -> tuple[str, float, tuple[int, int]] | None:
    """(district, confidence, span) or None."""
    explicit = _FULL_NAME.search(text)
    if explicit:
        return explicit.group(0), 0.95, explicit.span()
    if _elsewhere(text) and "北京" not in text:
        return None
    for token in tokens:
        short = _SHORT_NAMES.get(token.word)
        if short:
            return short, 0.85, (token.start, token.end)
    place_table = resources.places()
    for token in tokens:
        district = place_table.get(token.word)
        if district:
            return district, 0.8, (token.start, token.end)
    return None
