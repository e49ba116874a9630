"""Beijing's districts (GB/T 2260), the places the interview offers as options."""

from __future__ import annotations

BEIJING_DISTRICTS: dict[str, str] = {
    "110101": "东城区",
    "110102": "西城区",
    "110105": "朝阳区",
    "110106": "丰台区",
    "110107": "石景山区",
    "110108": "海淀区",
    "110109": "门头沟区",
    "110111": "房山区",
    "110112": "通州区",
    "110113": "顺义区",
    "110114": "昌平区",
    "110115": "大兴区",
    "110116": "怀柔区",
    "110117": "平谷区",
    "110118": "密云区",
    "110119": "延庆区",
}
BEIJING = "北京市"
DISTRICT_NAMES = tuple(BEIJING_DISTRICTS.values())


def match_district(text: str) -> str | None:
    """The district named in `text` ("朝阳", "朝阳区", "北京市朝阳区"), or None."""
    cleaned = text.strip().replace(" ", "").removeprefix(BEIJING).removeprefix("北京")
    for name in DISTRICT_NAMES:
        short = name.removesuffix("区")
        if cleaned in (name, short) or cleaned.startswith(name):
            return name
    return None
