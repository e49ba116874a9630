"""Yes/no questions about an action: go on despite a referral, clear a draft, delete one,
undo a case change. Dialog state `Confirming`; the question is a typed value, and what a
"yes" or "no" does is looked up by its type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flows import interview
from flows.actions import Action, No, Yes
from flows.model import (
    Confirming,
    DeleteDraft,
    DraftMenu,
    ForgetMe,
    Idle,
    Option,
    Question,
    RestartDraft,
    ScopeWarning,
    Session,
    UndoCaseChange,
)
from flows.parsing import fold
from flows.turn import Turn

# For each question: its sentence, then the labels of "yes" and "no".
WORDING: dict[type, tuple[str, str, str]] = {
    ScopeWarning: ("scope.warning", "scope.continue", "scope.stop"),
    RestartDraft: ("restart.confirm", "restart.yes", "restart.no"),
    DeleteDraft: ("delete.confirm", "delete.yes", "delete.no"),
    UndoCaseChange: ("case.undo_confirm", "case.undo_yes", "case.undo_no"),
    ForgetMe: ("forget.confirm", "forget.yes", "forget.no"),
}


def ask_confirm(turn: Turn, question: Question, **params: Any) -> None:
    turn.enter(Confirming(question=question))
    key = WORDING[type(question)][0]
    turn.question(turn.t(key, **params), _options(turn, question), turn.new_token())


def _options(turn: Turn, question: Question) -> tuple[Option, ...]:
    _, yes, no = WORDING[type(question)]
    return (turn.option(Yes(), yes), turn.option(No(), no))


def _question(turn: Turn) -> Question:
    state = turn.state
    assert isinstance(state, Confirming)
    return state.question


def on_text(turn: Turn, text: str) -> None:
    question = _question(turn)
    _, yes, no = WORDING[type(question)]
    typed = fold(text)
    if typed in (turn.t(yes), *turn.t("confirm.yes_words").split("|")):
        resolve(turn, True)
    elif typed in (turn.t(no), *turn.t("confirm.no_words").split("|")):
        resolve(turn, False)
    else:
        turn.say("confirm.unclear", options=_options(turn, question))


def on_action(turn: Turn, action: Action) -> None:
    if isinstance(action, Yes | No):
        resolve(turn, isinstance(action, Yes))
    else:
        turn.say("error.stale_button")
        reask(turn)


def reask(turn: Turn) -> None:
    turn.say("confirm.pending", options=_options(turn, _question(turn)))


def resolve(turn: Turn, yes: bool) -> None:
    question = _question(turn)
    turn.enter(Idle())
    RESOLVERS[type(question)](turn, question, yes)


def _scope(turn: Turn, question: Any, yes: bool) -> None:
    from flows.navigation import cancel

    draft = turn.draft()
    if draft is None:
        turn.menu("idle.menu")
    elif yes:
        interview.advance(turn, draft, question.back_to_summary)
    else:
        cancel(turn)


def _restart(turn: Turn, question: Any, yes: bool) -> None:
    draft = turn.draft()
    if draft is None:
        turn.menu("idle.menu")
        return
    if yes:
        draft.answers, draft.skipped, draft.finished = {}, [], False
        draft.attachments = []
        keep = {"profile": draft.suggestions["profile"]} if "profile" in draft.suggestions else {}
        draft.suggestions, draft.theme_ranking, draft.referral = keep, [], None
        turn.dialog.history = []
        turn.touch(draft)
        turn.say("restart.done")
    interview.resume(turn, draft)


def _delete(turn: Turn, question: Any, yes: bool) -> None:
    from flows.tracking import forget_reminders_of

    number = question.draft
    if yes and number in turn.session.drafts:
        del turn.session.drafts[number]
        forget_reminders_of(turn, number)
        if turn.session.active == number:
            turn.session.active = None
            turn.dialog.history = []
        turn.say("delete.done", number=number)
        turn.menu("idle.menu_after_delete")
    else:
        turn.say("delete.kept", number=number)
        after_no(turn)


def _undo(turn: Turn, question: Any, yes: bool) -> None:
    from flows.tracking import undo_confirmed

    undo_confirmed(turn, question.draft, yes)


def _forget(turn: Turn, question: Any, yes: bool) -> None:
    """Yes: an empty session and the shell deletes every stored row of the user."""
    if not yes:
        turn.say("forget.cancelled")
        after_no(turn)
        return
    turn.session = Session(user_id=turn.session.user_id)
    turn.forget = True
    turn.say("forget.done")


def after_no(turn: Turn) -> None:
    """Back to where the user was before the question."""
    draft = turn.draft()
    if draft is not None and not draft.finished:
        interview.resume(turn, draft)
    else:
        turn.enter(DraftMenu() if draft is not None else Idle())
        turn.reask()


RESOLVERS: dict[type, Callable[[Turn, Any, bool], None]] = {
    ScopeWarning: _scope,
    RestartDraft: _restart,
    DeleteDraft: _delete,
    UndoCaseChange: _undo,
    ForgetMe: _forget,
}
