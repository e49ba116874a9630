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


def _is_home(text: str, start: int) -> bool:
    """True when the place at `start` is where the user lives ("我住大兴区", "家在海淀")."""
    before = text[max(0, start - 4):start]
    return any(before.endswith(cue) for cue in resources.home_cues())


def find_district(text: str, tokens: Sequence[Token]) -> tuple[str, float, tuple[int, int]] | None:
    """(district, confidence, span) or None. A place the user lives in is never the
    business's district; when the account names the user's home at all, every other place
    is less certain (the reader may not tell them apart)."""
    home_named = False
    candidates: list[tuple[str, float, tuple[int, int]]] = []
    for explicit in _FULL_NAME.finditer(text):
        candidates.append((explicit.group(0), 0.95, explicit.span()))
    if not candidates and not (_elsewhere(text) and "北京" not in text):
        for token in tokens:
            short = _SHORT_NAMES.get(token.word)
            if short:
                candidates.append((short, 0.85, (token.start, token.end)))
        place_table = resources.places()
        for token in tokens:
            district = place_table.get(token.word)
            if district:
                candidates.append((district, 0.8, (token.start, token.end)))
    kept = []
    for district, confidence, span in candidates:
        if _is_home(text, span[0]):
            home_named = True
            continue
        kept.append((district, confidence, span))
    if not kept:
        return None
    district, confidence, span = kept[0]
    if home_named or len({d for d, _, _ in kept}) > 1:
        confidence = min(confidence, 0.6)
    return district, confidence, span
