"""The closed lists the interview offers, as stable codes; their wording lives in locale/.

Each list is the one place to grow: add a code here and its label in every catalog.
"""

from __future__ import annotations

KINDS = ("complaint", "report")
FOR_WHOM = ("self", "other")
CHANNELS = ("store", "online")

# Complaint themes, most needed first (the 12315 form's 投诉主题).
THEMES = ("quality", "after_sales", "false_ad", "contract", "price", "food_safety", "other")

# Violations a report (举报) can name.
VIOLATIONS = ("unlicensed", "counterfeit", "false_ad", "price", "food_safety", "other")

# What a complainant can ask for (诉求).
DEMANDS = ("return_refund", "exchange", "repair", "refund", "compensation", "other")
# The same, in the order a service (a gym, a course, a haircut) is offered them: a service
# cannot be sent back or exchanged, so the refund comes first.
SERVICE_DEMANDS = ("refund", "compensation", "repair", "return_refund", "exchange", "other")

# Evidence the guide asks for.
EVIDENCE = ("receipt", "photos", "contract", "messages", "other")

# Popular e-commerce platforms offered as options; any other name can be typed.
PLATFORMS = ("taobao", "tmall", "jd", "pinduoduo", "douyin", "meituan", "xianyu")

# Matters 12315 does not handle, with the hotline to send the user to (DOMAIN.md §6).
OUT_OF_SCOPE_TOPICS: dict[str, str] = {
    "finance": "12378",
    "securities": "12386",
    "illegal_lending": "110",
    "telecom": "12300",
    "airline": "12326",
    "medical": "12320",
}
