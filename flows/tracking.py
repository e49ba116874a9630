"""After filing: recording the case number, moving the case along, reminders.

Dialog state `CaseChange`: the few questions of one change (the case number, the day
something happened, a note) are asked one by one, the answers held in `CaseChange.edit`
until the change is complete, so a restart in the middle loses nothing. `step` "card" is
the case card itself, whose buttons start a change.
"""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from flows import case as cases
from flows import case_view, reminders
from flows.actions import Action, Change, Keep, NoneOfThese, Today, Yesterday
from flows.case import InvalidMove, allowed_moves, read_case_number
from flows.commands import draft_option
from flows.confirming import ask_confirm
from flows.fields import Parsed, kind_text, title
from flows.model import (
    CaseChange,
    CaseEdit,
    Draft,
    DraftMenu,
    Idle,
    Pending,
    Reply,
    UndoCaseChange,
)
from flows.parsing import fold
from flows.readers import read_case_state, read_reference_number
from flows.turn import Turn

# The questions of each kind of change, in order.
STEPS: dict[str, tuple[str, ...]] = {
    "submit": ("case_number", "submitted_on"),
    "move": ("moved_on", "case_note"),
    "number": ("case_number",),
    "card": ("card",),
}
SKIPPABLE = ("case_number", "case_note")
OFF_WORDS = ("off", "0")
ON_WORDS = ("on", "1")


def _change(turn: Turn) -> CaseChange | None:
    state = turn.state
    return state if isinstance(state, CaseChange) else None


def changing(turn: Turn) -> tuple[CaseChange, Draft] | None:
    state = _change(turn)
    draft = turn.session.drafts.get(state.edit.draft) if state is not None else None
    return (state, draft) if state is not None and draft is not None else None


# ---- commands -----------------------------------------------------------------------------


def submit(turn: Turn, argument: str) -> None:
    draft = turn.numbered_draft(argument, "submit") if argument else _submittable(turn)
    if draft is None:
        if not argument:
            turn.menu("case.nothing_to_submit")
        return
    turn.session.active = draft.number
    if not draft.finished:
        not_finished_yet(turn, draft)
        return
    if draft.case is not None:
        turn.say("case.already_filed", number=draft.number)
        show_card(turn, draft)
        return
    if _resume_submit(turn, draft):
        return
    begin_change(turn, CaseEdit(draft=draft.number, action="submit"))


# A case number given while marking a draft submitted, the change then left for a command
# before its date came ("编号是110… 提交了" → 是哪天提交的？ → "进度 1"): kept with the draft.
KEPT_NUMBER = "case_number_given"


def keep_given_number(turn: Turn) -> None:
    """A submission left half done by another command: its number is not lost."""
    found = changing(turn)
    if found is not None and found[0].edit.action == "submit" and found[0].edit.number:
        found[1].suggestions[KEPT_NUMBER] = found[0].edit.number


def _resume_submit(turn: Turn, draft: Draft) -> bool:
    """The submission of a draft whose number was given before: its date is asked next."""
    given = draft.suggestions.get(KEPT_NUMBER)
    if draft.case is not None or not draft.finished or not given:
        return False
    turn.session.active = draft.number
    turn.enter(CaseChange(edit=CaseEdit(draft=draft.number, action="submit", number=given),
                          step="submitted_on"))
    turn.say("case.number_kept", number=draft.number, case_number=given)
    ask_step(turn, "submitted_on", fresh=True)
    return True


def says_not_submitted(turn: Turn, text: str) -> bool:
    """"还没交呢 等我晚上弄", "点错了": the draft is not submitted yet."""
    typed = fold(text)
    return any(word in typed for word in turn.t("case.not_yet_words").split("|"))


def _submittable(turn: Turn) -> Draft | None:
    """Without a number: the open draft, else the newest finished draft not yet filed."""
    current = turn.draft()
    if current is not None and current.finished and current.case is None:
        return current
    ready = [d for d in turn.session.drafts.values() if d.finished and d.case is None]
    return max(ready, key=lambda d: (d.updated_at, d.number)) if ready else current


def case(turn: Turn, argument: str) -> None:
    if argument:
        draft = turn.numbered_draft(argument, "case")
        if draft is None:
            return
    else:
        current = turn.draft()
        filed = [d for d in turn.session.drafts.values() if d.case is not None]
        draft = current if current is not None and current.case is not None else (
            max(filed, key=lambda d: (d.updated_at, d.number)) if filed else current)
        if draft is None:
            turn.menu("case.none_filed")
            return
    turn.session.active = draft.number
    if draft.case is None and _resume_submit(turn, draft):
        return  # "进度 1" after the number was given: the submission goes on
    if draft.case is None:
        if draft.finished:
            turn.say("case.not_filed", number=draft.number, options=(
                draft_option("submit", draft.number, turn.ctx.catalog, "option.submitted"),))
        else:
            not_finished_yet(turn, draft)
        return
    show_card(turn, draft)


def not_finished_yet(turn: Turn, draft: Draft) -> None:
    """Only a finished draft can be filed: say so, with the way to finish it."""
    turn.say("case.submit_unfinished", number=draft.number, options=(
        draft_option("continue", draft.number, turn.ctx.catalog),))


def move(turn: Turn, argument: str) -> None:
    number, _, target = argument.partition(":")
    draft = turn.session.drafts.get(int(number)) if number.isdigit() else None
    if draft is None or draft.case is None:
        turn.say("error.stale_button")
        turn.reask()
        return
    turn.session.active = draft.number
    if target not in allowed_moves(draft):
        catalog = turn.ctx.catalog
        turn.say("case.invalid_move", state=case_view.state_label(draft, catalog),
                 target=turn.t(f"case.state.{target}") if catalog.has(
                     f"case.state.{target}") else target)
        show_card(turn, draft)
        return
    begin_change(turn, CaseEdit(draft=draft.number, action="move", target=target))


def number(turn: Turn, argument: str) -> None:
    draft = _filed(turn, argument)
    if draft is not None:
        begin_change(turn, CaseEdit(draft=draft.number, action="number"))


def undo(turn: Turn, argument: str) -> None:
    draft = _filed(turn, argument)
    if draft is None or draft.case is None:
        return
    ask_confirm(turn, UndoCaseChange(draft=draft.number), number=draft.number,
                state=case_view.state_label(draft, turn.ctx.catalog))


def undo_confirmed(turn: Turn, number: int, yes: bool) -> None:
    draft = turn.session.drafts.get(number)
    if draft is None or draft.case is None:
        turn.menu("idle.menu")
        return
    turn.session.active = number
    if not yes:
        show_card(turn, draft)
        return
    draft.case = cases.undo(draft.case)
    turn.touch(draft)
    if draft.case is None:
        turn.enter(DraftMenu())
        turn.say("case.unfiled", number=number, options=(
            draft_option("submit", number, turn.ctx.catalog, "option.submitted"),
            turn.command_option("status")))
        return
    turn.say("case.undone", state=case_view.state_label(draft, turn.ctx.catalog))
    show_card(turn, draft)


def wait(turn: Turn, argument: str) -> None:
    draft = _filed(turn, argument)
    if draft is not None:
        turn.enter(DraftMenu())
        turn.say("case.wait", options=case_view.after_change_options(
            draft, turn.ctx.catalog, turn.session))


def _filed(turn: Turn, argument: str) -> Draft | None:
    digits = argument.lstrip("#")
    draft = turn.session.drafts.get(int(digits)) if digits.isdigit() else None
    if draft is None or draft.case is None:
        turn.say("error.stale_button")
        turn.reask()
        return None
    turn.session.active = draft.number
    return draft


def reminders_command(turn: Turn, argument: str) -> None:
    wanted = fold(argument).lower()
    if wanted in OFF_WORDS or wanted in turn.t("reminders.off_words").split("|"):
        turn.session.reminders.on = False
        turn.say("reminders.switched_off")
    elif wanted in ON_WORDS or wanted in turn.t("reminders.on_words").split("|"):
        turn.session.reminders.on = True
        turn.say("reminders.switched_on")
    turn.replies.append(case_view.reminder_settings(turn.session, turn.ctx.catalog))
    if not isinstance(turn.state, Idle | DraftMenu):
        turn.reask()


COMMANDS = {"submit": submit, "case": case, "move": move, "number": number, "undo": undo,
            "wait": wait, "reminders": reminders_command}


# ---- the case card ------------------------------------------------------------------------


def show_card(turn: Turn, draft: Draft) -> None:
    turn.session.active = draft.number
    turn.enter(CaseChange(edit=CaseEdit(draft=draft.number, action="card"), step="card"))
    text, options = case_view.card(draft, turn.ctx.catalog, turn.ctx.today)
    turn.question(text, options, turn.new_token())


def card_text(turn: Turn, draft: Draft, text: str) -> None:
    """On the card, a typed state ("已受理", "受理了", "调解没谈成") is the same as pressing its
    button."""
    typed = fold(text)
    allowed = allowed_moves(draft)
    for state in allowed:
        if typed in (fold(case_view.move_label(draft, state, turn.ctx.catalog)),
                     fold(turn.t(f"case.state.{state}"))):
            move(turn, f"{draft.number}:{state}")
            return
    said = read_case_state(text, turn.ctx.catalog, allowed)
    if said is not None:
        move(turn, f"{draft.number}:{said}")
        return
    turn.say("case.card_unclear")
    show_card(turn, draft)


# ---- the questions of a change ------------------------------------------------------------


def pasted_case_number(turn: Turn, draft: Draft, text: str) -> bool:
    """A finished, unfiled draft and a message that can only be a case number: the user
    has filed and pasted what 12315 gave them. Take it, and ask only for the date."""
    if not draft.finished or draft.case is not None:
        return False
    found = cases.pasted_case_number(text)
    if found is None:
        return False
    turn.say("case.number_recognised", number=draft.number, case_number=found)
    turn.session.active = draft.number
    edit = CaseEdit(draft=draft.number, action="submit", number=found)
    turn.enter(CaseChange(edit=edit, step="submitted_on"))
    ask_step(turn, "submitted_on", fresh=True)
    return True


def begin_change(turn: Turn, edit: CaseEdit) -> None:
    turn.session.active = edit.draft
    first = STEPS[edit.action][0]
    turn.enter(CaseChange(edit=edit, step=first))
    ask_step(turn, first, fresh=True)


def ask_step(turn: Turn, step: str, fresh: bool = False) -> None:
    found = changing(turn)
    if found is None:
        turn.menu("idle.menu")
        return
    state, draft = found
    if step == "card":
        show_card(turn, draft)
        return
    same_question = not fresh and state.step == step
    state.step = step
    state.pending = None
    token = str(turn.dialog.turn) if same_question else turn.new_token()
    text, options = case_view.question(step, state.edit, draft, turn.ctx.catalog, turn.ctx.today)
    turn.question(text, options, token)


def reask(turn: Turn) -> None:
    state = _change(turn)
    if state is None:
        turn.menu("idle.menu")
    elif state.pending is not None:
        _show_pending(turn, state.pending)
    else:
        ask_step(turn, state.step)


def on_text(turn: Turn, text: str) -> None:
    found = changing(turn)
    if found is None:
        turn.menu("idle.menu")
        return
    state, draft = found
    if state.step == "card":
        card_text(turn, draft, text)
        return
    if state.pending is not None and fold(text) in turn.t("confirm.yes_words").split("|"):
        on_action(turn, Keep())
        return
    state.pending = None
    if (state.edit.action == "submit" and not state.edit.number and draft.case is None
            and says_not_submitted(turn, text) and read_reference_number(text) is None):
        # pressed 我已提交 by mistake: "还没交呢 等我晚上弄" records nothing
        turn.enter(DraftMenu() if draft.finished else Idle())
        turn.say("case.not_submitted", number=draft.number,
                 options=(draft_option("submit", draft.number, turn.ctx.catalog,
                                       "option.submitted"), turn.command_option("status")))
        return
    take(turn, read_step(turn, state.step, text, state.edit, draft))


def on_action(turn: Turn, action: Action) -> None:
    found = changing(turn)
    if found is None:
        turn.say("error.stale_button")
        turn.reask()
        return
    state, draft = found
    pending = state.pending
    if pending is not None and isinstance(action, Keep | Change):
        state.pending = None
        if isinstance(action, Keep):
            store(turn, state.step, pending.value)
        else:
            ask_step(turn, state.step)
        return
    today = turn.ctx.today
    if isinstance(action, Today) and state.step.endswith("_on"):
        take(turn, check_day(turn, today, state.edit, draft))
    elif isinstance(action, Yesterday) and state.step.endswith("_on"):
        take(turn, check_day(turn, today - timedelta(days=1), state.edit, draft))
    elif isinstance(action, NoneOfThese) and state.step in SKIPPABLE:
        store(turn, state.step, "")
    else:
        turn.say("error.stale_button")
        reask(turn)


def read_step(turn: Turn, step: str, text: str, edit: CaseEdit, draft: Draft) -> Parsed:
    if step == "case_number":
        exact = read_case_number(text)
        if not exact.error:
            return exact
        inside = read_reference_number(text)  # "编号是１１０…": the number in a sentence
        return read_case_number(inside) if inside else exact
    if step == "case_note":
        note = " ".join(text.split())
        if len(note) > cases.NOTE_LIMIT:
            return Parsed(error="case.error.note_long",
                          params={"limit": cases.NOTE_LIMIT, "count": len(note)})
        return Parsed(note)
    when = turn.ctx.language.read_when(text, turn.ctx.today)
    day = when.day if when is not None and when.precision == "day" else None
    if day is None:
        return Parsed(error="error.date")
    return check_day(turn, day, edit, draft)


def check_day(turn: Turn, day: date, edit: CaseEdit, draft: Draft) -> Parsed:
    if day > turn.ctx.today:
        return Parsed(error="error.date_future")
    if edit.action == "move" and draft.case is not None and day < draft.case.changed_on:
        return Parsed(error="case.error.date_before", params={
            "date": case_view.day_text(draft.case.changed_on, turn.ctx.catalog),
            "state": case_view.state_label(draft, turn.ctx.catalog)})
    return Parsed(day.isoformat())


def take(turn: Turn, parsed: Parsed) -> None:
    state = _change(turn)
    assert state is not None
    if parsed.error:
        turn.say(parsed.error, **parsed.params)
        ask_step(turn, state.step)
        return
    if parsed.warning:
        state.pending = Pending(field=state.step, value=parsed.value, warning=parsed.warning,
                                params=dict(parsed.params))
        _show_pending(turn, state.pending)
        return
    store(turn, state.step, parsed.value)


def _show_pending(turn: Turn, pending: Pending) -> None:
    turn.question(turn.t(pending.warning, value=pending.value, **pending.params),
                  (turn.option(Keep(), "option.keep"), turn.option(Change(), "option.change")),
                  turn.new_token())


def store(turn: Turn, step: str, value: str) -> None:
    found = changing(turn)
    if found is None:
        turn.menu("idle.menu")
        return
    state, draft = found
    edit = state.edit
    note = ""
    if step == "case_number":
        edit.number = value
    elif step in ("submitted_on", "moved_on"):
        edit.on = date.fromisoformat(value)
    else:
        note = value
    steps = STEPS[edit.action]
    following = steps.index(step) + 1 if step in steps else len(steps)
    if following < len(steps):
        ask_step(turn, steps[following])
    else:
        complete_change(turn, edit, draft, note)


def complete_change(turn: Turn, edit: CaseEdit, draft: Draft, note: str) -> None:
    now, catalog, today = turn.ctx.now, turn.ctx.catalog, turn.ctx.today
    try:
        if edit.action == "submit":
            draft.case = cases.submit(draft, edit.number or "", edit.on or today, now)
            draft.suggestions.pop(KEPT_NUMBER, None)
        elif edit.action == "move" and edit.target is not None:
            draft.case = cases.move(draft, edit.target, edit.on or today, note, now)
        elif draft.case is not None:
            draft.case = msgspec.structs.replace(draft.case, number=edit.number or "")
    except InvalidMove:
        # The draft changed under the question (e.g. another device undid a step).
        turn.enter(DraftMenu())
        turn.say("error.stale_button")
        case(turn, str(draft.number))
        return
    turn.touch(draft)
    turn.enter(DraftMenu())
    filed = draft.case
    assert filed is not None
    lines = []
    if edit.action == "submit":
        lines.append(turn.t("case.filed", number=draft.number,
                            case_number=filed.number or turn.t("case.card.no_number"),
                            date=case_view.day_text(filed.submitted_on, catalog)))
        if not filed.number:
            lines.append(turn.t("case.number_later"))
        lines.append(turn.t("case.fraud_note"))
    elif edit.action == "move":
        lines.append(turn.t("case.moved", number=draft.number,
                            state=case_view.state_label(draft, catalog),
                            date=case_view.day_text(filed.changed_on, catalog)))
        advice = kind_text(draft, f"case.advice.{filed.state}", catalog)
        if advice:
            lines.append(advice)
    else:
        lines.append(turn.t("case.number_saved", number=draft.number,
                            case_number=filed.number or turn.t("case.card.no_number")))
    upcoming = case_view.next_line(draft, catalog, today)
    if upcoming:
        lines.append(upcoming)
        if reminders.pending_for(turn.session, draft.number) is not None:
            lines.append(turn.t("case.will_remind"))
    turn.replies.append(Reply("\n".join(lines), options=case_view.after_change_options(
        draft, catalog, turn.session)))


# ---- back, skip and cancel inside a change ------------------------------------------------


def back(turn: Turn) -> None:
    found = changing(turn)
    if found is None:
        turn.menu("back.nothing")
        return
    state, draft = found
    state.pending = None
    steps = STEPS[state.edit.action]
    if state.step in steps and steps.index(state.step) > 0:
        ask_step(turn, steps[steps.index(state.step) - 1])
    elif draft.case is not None and state.edit.action != "card":
        show_card(turn, draft)
    else:
        leave_change(turn, draft)


def skip(turn: Turn) -> None:
    state = _change(turn)
    step = state.step if state is not None else "card"
    if state is not None and step in SKIPPABLE:
        state.pending = None
        store(turn, step, "")
        return
    if step == "card":
        turn.say("skip.nothing")
    else:
        turn.say("skip.required", field=turn.t(f"case.label.{step}"))
    reask(turn)


def cancel(turn: Turn) -> None:
    found = changing(turn)
    leave_change(turn, found[1] if found else turn.draft())


def leave_change(turn: Turn, draft: Draft | None) -> None:
    turn.enter(DraftMenu() if draft is not None and draft.finished else Idle())
    if draft is None:
        turn.menu("cancel.nothing")
        return
    catalog = turn.ctx.catalog
    options = (case_view.after_change_options(draft, catalog, turn.session) if draft.case
               else (draft_option("submit", draft.number, catalog, "option.submitted"),
                     turn.command_option("status")))
    turn.say("case.left", number=draft.number, business=title(draft, catalog), options=options)


# ---- reminders ----------------------------------------------------------------------------


def remind(turn: Turn, key: str) -> None:
    """Send a due reminder once, if it still applies; otherwise say nothing."""
    item = reminders.find(turn.session, key)
    if item is None or item.due > turn.ctx.now:
        return
    turn.session.reminders.sent.append(key)
    draft = turn.session.drafts[item.draft]
    turn.replies.append(case_view.reminder(item, draft, turn.ctx.catalog))


def reminder_undelivered(turn: Turn, key: str) -> None:
    if key in turn.session.reminders.sent:
        turn.session.reminders.sent.remove(key)


def forget_reminders_of(turn: Turn, number: int) -> None:
    """A deleted draft's sent reminders need no record (numbers are never reused)."""
    turn.session.reminders.sent = [
        key for key in turn.session.reminders.sent if key.split(":")[1] != str(number)]
