"""Commands that move between drafts and modes: start, new, status, help, privacy, back,
skip, cancel, edit, restart, open, continue, delete; and the idle menu's own mode."""

from __future__ import annotations

from collections.abc import Callable

from flows import draft as drafting
from flows import interview, overview
from flows.actions import Action
from flows.commands import draft_option
from flows.confirming import ask_confirm
from flows.editing import show_summary
from flows.fields import FIELDS, next_missing
from flows.model import (
    Asking,
    CaseChange,
    Confirming,
    DeleteDraft,
    Draft,
    DraftMenu,
    ForgetMe,
    Idle,
    Offered,
    Option,
    Reply,
    RestartDraft,
    Reviewing,
    Upload,
)
from flows.turn import Turn

CommandHandler = Callable[[Turn, str], None]


def start(turn: Turn, argument: str) -> None:
    shown = turn.dialog.offered  # the menu the user saw last: its numbers must still work
    turn.say("start.welcome")
    state = turn.state
    if isinstance(state, Confirming):  # "确定删除" after a restart still deletes
        turn.reask()
        return
    if isinstance(state, CaseChange) and state.edit.draft in turn.session.drafts:
        turn.say("start.welcome_back_case", number=state.edit.draft)
        turn.reask()
        return
    draft = turn.draft()
    if draft is not None and not draft.finished and isinstance(state, Asking):
        if draft.answers:  # a draft begun and not yet answered was not "left" anywhere
            turn.say("start.welcome_back", number=draft.number)
        turn.reask()
        _menu_again(turn, shown)
        return
    if draft is not None and not isinstance(state, Idle):
        # editing a finished draft, its menu, a confirmation: shown again as it stands, so
        # the options (and their numbers) are the ones the state understands
        turn.say("start.welcome_back_draft", number=draft.number)
        turn.reask()
        _menu_again(turn, shown)
        return
    unfinished = turn.session.latest_unfinished()
    if draft is not None and not draft.finished and isinstance(state, Idle) and shown.values:
        unfinished = draft  # the one the menu shown last was about ("继续草稿 #1")
    if unfinished is not None:
        turn.session.active = unfinished.number
        turn.enter(Idle())
        text = turn.t("start.has_unfinished", number=unfinished.number,
                      business=overview.title(unfinished, turn.ctx.catalog))
        if not (isinstance(state, Idle) and _menu_again(turn, shown, text)):
            # "1. 继续草稿 #1 2. 我的草稿" shown last: after a restart "2" is still 我的草稿
            turn.replies.append(Reply(text, options=(
                draft_option("continue", unfinished.number, turn.ctx.catalog),
                turn.command_option("new"))))
        return
    if turn.session.drafts and isinstance(state, Idle) and _menu_again(turn, shown):
        return  # (a first visit starts a draft, whatever menu an upload got)
    if turn.session.drafts:
        turn.menu("start.returning")
        return
    new(turn, "")


def _menu_again(turn: Turn, shown: Offered, text: str = "") -> bool:
    """A menu of commands shown last (the drafts list, the idle menu, "继续草稿 #1 / 我的草稿")
    and not the one just shown again: shown again last, so its numbers keep their meaning."""
    if not shown.values or not all(value.startswith("c:") for value in shown.values):
        return False
    last = next((reply for reply in reversed(turn.replies) if reply.options), None)
    if last is not None and [option.value for option in last.options] == shown.values:
        return False
    turn.replies.append(Reply(text or turn.t("start.menu_again"), options=tuple(
        Option(value, label) for value, label in zip(shown.values, shown.labels, strict=True)),
        token=shown.token))
    return True


def new(turn: Turn, argument: str) -> None:
    current = turn.draft()
    if current is not None and not current.finished and current.answers:
        turn.say("new.previous_kept", number=current.number)
    number = turn.session.next_number
    turn.session.next_number += 1
    draft = Draft(number=number, created_at=turn.ctx.now, updated_at=turn.ctx.now)
    if turn.session.profile:
        draft.suggestions["profile"] = dict(turn.session.profile)
    turn.session.drafts[number] = draft
    turn.session.active = number
    turn.dialog.history = []
    turn.say("new.started", number=number)
    interview.resume(turn, draft)


# What a report begun from a finished complaint offers again: who, where, what, when, the
# account (the report's amount is the complaint's sum).
FROM_COMPLAINT = {"narrative": "narrative", "business_name": "business_name",
                  "business_address": "business_address", "credit_code": "credit_code",
                  "district": "district", "channel": "channel", "store_name": "store_name",
                  "platform": "platform", "order_number": "order_number", "product": "product",
                  "purchase_date": "purchase_date", "discovered_on": "discovered_on",
                  "amount": "report_amount", "problem": "problem"}


def report_from(turn: Turn, complaint: Draft) -> None:
    """"我还要举报他们" after a finished complaint: a new report, its kind answered and the
    complaint's facts offered as one-tap answers (each still confirmed when asked)."""
    number = turn.session.next_number
    turn.session.next_number += 1
    draft = Draft(number=number, created_at=turn.ctx.now, updated_at=turn.ctx.now,
                  answers={"kind": "report"})
    if turn.session.profile:
        draft.suggestions["profile"] = dict(turn.session.profile)
    offered = {}
    for source, name in FROM_COMPLAINT.items():
        value = complaint.answers.get(source)
        if value not in (None, "", []) and name in FIELDS and "report" in FIELDS[name].kinds:
            offered[name] = value
    draft.suggestions.update(offered)
    draft.sure = list(offered)
    draft.suggestions[overview.SUGGESTION_SOURCES] = dict.fromkeys(offered,
                                                                    overview.FROM_COMPLAINT)
    turn.session.drafts[number] = draft
    turn.session.active = number
    turn.dialog.history = []
    turn.say("new.report_from", number=number, complaint=complaint.number)
    interview.resume(turn, draft)


def status(turn: Turn, argument: str) -> None:
    turn.replies.append(overview.status(turn.session, turn.ctx.catalog, turn.ctx.today))


def help_(turn: Turn, argument: str) -> None:
    turn.say("help.text")
    turn.reask()


def privacy(turn: Turn, argument: str) -> None:
    turn.say("privacy.statement")
    turn.reask()


def forget(turn: Turn, argument: str) -> None:
    ask_confirm(turn, ForgetMe())


def back(turn: Turn, argument: str) -> None:
    turn.handler().back(turn)


def skip(turn: Turn, argument: str) -> None:
    turn.handler().skip(turn)


def cancel_command(turn: Turn, argument: str) -> None:
    turn.handler().cancel(turn)


def cancel(turn: Turn) -> None:
    """Leave whatever is open; an unfinished draft is kept to continue later."""
    draft = turn.draft()
    turn.enter(Idle())
    if draft is None:
        turn.menu("cancel.nothing")
    elif draft.finished:
        turn.menu("cancel.finished")
    else:
        turn.say("cancel.kept", number=draft.number, options=(
            draft_option("continue", draft.number, turn.ctx.catalog),
            turn.command_option("status")))


def edit(turn: Turn, argument: str) -> None:
    draft = turn.draft()
    if draft is None or not draft.answers:
        turn.menu("edit.nothing")
        return
    show_summary(turn, draft)


def restart(turn: Turn, argument: str) -> None:
    draft = turn.draft()
    if draft is None:
        new(turn, "")
        return
    ask_confirm(turn, RestartDraft(), number=draft.number)


def open_(turn: Turn, argument: str) -> None:
    found = turn.numbered_draft(argument, "open")
    if found is None:
        return
    turn.session.active = found.number
    if found.finished:
        interview.show_draft(turn, found, turn.t("done.reopened", number=found.number))
    elif found.answers:
        show_summary(turn, found)
    else:
        interview.resume(turn, found)


def continue_(turn: Turn, argument: str) -> None:
    if argument:
        found = turn.numbered_draft(argument, "continue")
        if found is None:
            return
    else:
        current = turn.draft()
        if current is not None and (isinstance(turn.state, Reviewing | Asking) or (
                next_missing(current) is not None)):
            # the draft being changed, or one a change left a question open in (为他人投诉:
            # the principal's name is due): its next question, or the draft once complete
            interview.resume(turn, current)
            return
        found = current if current is not None and not current.finished else (
            turn.session.latest_unfinished())
        if found is None:
            turn.menu("continue.nothing")
            return
    if found.finished:
        turn.session.active = found.number
        turn.enter(DraftMenu())
        turn.menu("continue.finished")
        return
    if turn.session.active != found.number:
        turn.dialog.history = []
    turn.session.active = found.number
    interview.resume(turn, found)


def delete(turn: Turn, argument: str) -> None:
    found = turn.numbered_draft(argument, "delete")
    if found is None:
        return
    ask_confirm(turn, DeleteDraft(draft=found.number), number=found.number,
                business=overview.title(found, turn.ctx.catalog))


COMMANDS: dict[str, CommandHandler] = {
    "start": start, "new": new, "status": status, "help": help_, "privacy": privacy,
    "back": back, "skip": skip, "cancel": cancel_command, "edit": edit, "restart": restart,
    "open": open_, "continue": continue_, "delete": delete, "forget": forget,
}


# ---- outside any question: going back, uploads ---------------------------------------------


def back_to_last_answer(turn: Turn) -> None:
    """From the menu or a finished draft, /back reopens the last question that applies."""
    draft = turn.draft()
    if draft is None:
        turn.menu("back.nothing")
        return
    history = turn.dialog.history
    while history and not FIELDS[history[-1]].is_needed(draft):
        history.pop()
    if not history:
        turn.say("back.first")
        interview.resume(turn, draft)
        return
    previous = history.pop()
    draft.finished = False
    interview.ask(turn, FIELDS[previous])


def nothing_to_skip(turn: Turn) -> None:
    turn.say("skip.nothing")
    turn.reask()


def upload(turn: Turn, event: Upload) -> None:
    draft = turn.draft()
    if draft is None:
        turn.menu("upload.no_draft")
        return
    draft.attachments.append(event.attachment)
    turn.touch(draft)
    turn.say("upload.received", count=len(draft.attachments), name=drafting.attachment_label(
        draft, len(draft.attachments) - 1, turn.ctx.catalog))
    for warning in drafting.attachment_problems(draft, event.attachment, turn.ctx.catalog):
        turn.replies.append(Reply(warning))
    turn.reask()


# ---- the idle menu as a mode ------------------------------------------------------------------


def idle_text(turn: Turn, text: str) -> None:
    idle_reask(turn)


def idle_action(turn: Turn, action: Action) -> None:
    turn.say("error.stale_button")
    idle_reask(turn)


def idle_reask(turn: Turn) -> None:
    turn.menu("idle.menu")
