"""After a finished draft is shown (dialog state `DraftMenu`): its menu, and a case number
pasted straight after filing."""

from __future__ import annotations

from flows import interview
from flows.actions import Action
from flows.change_request import read_change, read_changes
from flows.editing import make_change, make_changes, says_report
from flows.turn import Turn


def on_text(turn: Turn, text: str) -> None:
    from flows.tracking import pasted_case_number

    draft = turn.draft()
    if draft is not None and pasted_case_number(turn, draft, text):
        return
    if draft is not None and draft.finished:
        # "名字写错了 应该是刘佳", "购买时间改成11月18号": changed as from the summary
        if several := read_changes(draft, text, turn.ctx.catalog):
            make_changes(turn, draft, several)
            return
        change = read_change(draft, text, turn.ctx.catalog, numbers=False)
        if change is not None and (change.content or change.says_change):
            make_change(turn, draft, change)
            return
        if draft.answer("kind") == "complaint" and says_report(text, turn):
            from flows.navigation import report_from  # navigation leads here too

            report_from(turn, draft)  # "我还要举报他们": a report with this complaint's facts
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
