"""What users say in the middle of the interview that is not the answer to the question asked:
their own questions, changes to earlier answers, second presses of an option."""

from __future__ import annotations

from conftest import Chat
from test_questions_that_wait import ANSWERS

from flows.understanding import analyze

SCREEN = ("11月18号在急速手机维修换了个屏 说好原装屏 花了380 当时说是原装的，结果是翻新的"
          "便宜货，才一个礼拜就黑屏了")


def test_questions_to_the_bot_at_a_prefilled_question_are_never_its_answer(make_chat) -> None:
    """"这算诈骗不 能报警不" at 出了什么问题 (pre-filled from the account): answered, and the
    question asked again with its pre-fill; every clause asks (V不, …没), so nothing is kept."""
    for asked in ("这算诈骗不 能报警不", "能要回来不", "他们给退没 这种算不算欺诈"):
        chat: Chat = make_chat(understand=analyze)
        chat.say("/new")
        chat.fill({**ANSWERS, "narrative": SCREEN, "business_name": "急速手机维修",
                   "channel": "在实体店买的", "store_name": "跳过", "product": "换屏",
                   "purchase_date": "11月18日", "amount": "380"}, until="problem")
        assert chat.field == "problem" and "翻新的便宜货" in chat.text
        chat.say(asked)
        assert chat.field == "problem", (asked, chat.text)
        assert "problem" not in chat.draft.answers
        assert "翻新的便宜货" in chat.text, "asked again with its pre-fill"
        chat.say("对")
        assert "翻新的便宜货" in chat.draft.answers["problem"]
