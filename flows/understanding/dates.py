"""Finds the purchase date in an account, resolved against `today`.

Every date form is read by `flows.dates` (the reader the answers use too). A date counts as
the purchase date only when a purchase word follows it in the same stretch of text
("10月1号在三里屯买的") or announces it ("购于", "入住当天是"), so fault, repair and delivery
dates are left alone. Only a whole day can be the purchase date read from an account; a month
("去年十月份买的") is left for the interview to ask.
"""

from __future__ import annotations

import re
from datetime import date

from flows.dates import When, find_dates

DateMention = When

_PURCHASE_AFTER = re.compile(
    r"买|购|下单|下的单|订|提车|提的车|办|交|付款|支付|付了|充值|报名|签|入住|消费|吃饭|"
    r"用餐|就餐|保养|拍下|团购|抢|点了|点的|点外卖|叫了外卖|叫的外卖|外卖"
)
_PURCHASE_BEFORE = re.compile(r"(购买于|购于|买于|购车于|购买日期|购买时间|下单时间|提车时间|"
                              r"购车时间|入住当天是|入住时间|消费时间|购买日期为|购买时间为)\s*[:：是为]?\s*$")
_NOT_PURCHASE_BEFORE = re.compile(r"(生产日期|生产于|保质期|有效期|到期|出厂日期|生产)\s*[:：是为至到]?\s*$")
_SEGMENT_END = re.compile(r"[。！？!?;；\n]")


def _is_purchase(text: str, mention: DateMention, next_start: int) -> bool:
    before = text[max(0, mention.start - 12):mention.start]
    if _NOT_PURCHASE_BEFORE.search(before):
        return False
    if _PURCHASE_BEFORE.search(before):
        return True
    stretch = text[mention.end:next_start]
    sentence_end = _SEGMENT_END.search(stretch)
    if sentence_end:
        stretch = stretch[:sentence_end.start()]
    return bool(_PURCHASE_AFTER.search(stretch[:40]))


def find_purchase_date(text: str, today: date) -> tuple[DateMention, float] | None:
    """The first date that the text ties to the purchase, with a confidence."""
    mentions = [when for when in find_dates(text, today) if when.precision == "day"]
    for index, mention in enumerate(mentions):
        next_start = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
        if _is_purchase(text, mention, next_start):
            return mention, (0.8 if mention.relative else 0.9)
    return None
