"""After a finished draft is shown (dialog state `DraftMenu`): its menu, and a case number
pasted straight after filing."""

from __future__ import annotations

from flows import interview
from flows.actions import Action
from flows.editing import changed_in_words
from flows.turn import Turn


def on_text(turn: Turn, text: str) -> None:
    from flows.tracking import pasted_case_number

    draft = turn.draft()
    if draft is not None and pasted_case_number(turn, draft, text):
        return
    # "名字写错了 应该是刘佳", "购买时间改成11月18号": changed as from the summary
    if draft is not None and draft.finished and changed_in_words(turn, draft, text,
                                                                  at_summary=False):
        return
    reask(turn)


def on_action(turn: Turn, action: Action) -> None:
    turn.say("error.stale_button")
    reask(turn)


def reask(turn: Turn) -> None:
    draft = turn.draft()
    if draft is not None and draft.finished:
        turn.say("done.menu_filed" if draft.case else "done.menu", number=draft.number,
                 options=interview.after_draft_options(turn, draft))
    else:
        turn.menu("idle.menu")
