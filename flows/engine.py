"""The conversation: `step(session, input, context) → Outcome(session, replies)`.

Pure and synchronous. The shell loads the session, calls `step`, commits the returned
session and only then sends the replies. Nothing here knows which channel is talking.

This module only routes: a command goes to its handler (one table), anything else to the
handler of the open dialog state (one table, by the state's type). A reply of "2" or of an
option's words is resolved here against the options last offered, which the session keeps,
so text-only channels get numbered options for free.
"""

from __future__ import annotations

from flows import confirming, draft_menu, editing, interview, navigation, tracking
from flows.actions import Run, decode
from flows.commands import Command, read_command
from flows.context import Context
from flows.model import (
    Asking,
    CaseChange,
    Choice,
    Confirming,
    DraftMenu,
    DueReminder,
    Idle,
    Input,
    Offered,
    Outcome,
    Reply,
    Reviewing,
    Session,
    Text,
    UndeliveredReminder,
    Upload,
)
from flows.parsing import fold
from flows.turn import ModeHandler, Turn

# Commands that answer and then repeat the open question, leaving it open.
NEUTRAL_COMMANDS = ("help", "privacy", "status", "reminders")
# Commands that steer inside a case change rather than leave it (/start picks it up again).
CASE_STEERING = ("back", "skip", "cancel", "start")

MODES: dict[type, ModeHandler] = {
    Idle: ModeHandler(navigation.idle_text, navigation.idle_action, navigation.idle_reask,
                      navigation.back_to_last_answer, navigation.nothing_to_skip,
                      navigation.cancel),
    Asking: ModeHandler(interview.on_text, interview.on_action, interview.reask,
                        interview.back, interview.skip, navigation.cancel),
    Reviewing: ModeHandler(editing.on_text, editing.on_action, editing.reask, editing.back,
                           navigation.nothing_to_skip, navigation.cancel),
    Confirming: ModeHandler(confirming.on_text, confirming.on_action, confirming.reask,
                            navigation.back_to_last_answer, navigation.nothing_to_skip,
                            navigation.cancel),
    DraftMenu: ModeHandler(draft_menu.on_text, draft_menu.on_action, draft_menu.reask,
                           navigation.back_to_last_answer, navigation.nothing_to_skip,
                           navigation.cancel),
    CaseChange: ModeHandler(tracking.on_text, tracking.on_action, tracking.reask,
                            tracking.back, tracking.skip, tracking.cancel),
}
COMMANDS = {**navigation.COMMANDS, **tracking.COMMANDS}


def step(session: Session, event: Input, ctx: Context) -> Outcome:
    """Answer one input. The given session is never modified; a changed copy is returned."""
    turn = Turn(session.working_copy(), ctx, MODES)
    if isinstance(event, DueReminder):
        tracking.remind(turn, event.key)
    elif isinstance(event, UndeliveredReminder):
        tracking.reminder_undelivered(turn, event.key)
    elif isinstance(event, Upload):
        navigation.upload(turn, event)
    elif isinstance(event, Choice):
        _choice(turn, event)
    else:
        _text(turn, event)
    _remember_offered(turn)
    return Outcome(turn.session, turn.replies, forget=turn.forget)


def _text(turn: Turn, event: Text) -> None:
    if not event.text.strip():
        turn.say("error.empty")
        turn.reask()
        return
    command = read_command(event.text, turn.ctx.catalog)
    if command is not None:
        _command(turn, command)
        return
    offered = _offered_choice(turn, event.text)
    if offered is not None:
        _choice(turn, offered)
        return
    turn.handler().on_text(turn, event.text)


def _choice(turn: Turn, event: Choice) -> None:
    action = decode(event.value)
    if isinstance(action, Run):
        _command(turn, action.command)
        return
    if action is None or (event.token is not None and event.token != str(turn.dialog.turn)):
        turn.say("error.stale_button")
        turn.reask()
        return
    turn.handler().on_action(turn, action)


def _command(turn: Turn, command: Command) -> None:
    handler = COMMANDS.get(command.name)
    if handler is None:
        turn.say("error.unknown_command", command=command.argument)
        turn.reask()
        return
    state = turn.state
    if isinstance(state, Confirming) and command.name not in (*NEUTRAL_COMMANDS, "start"):
        turn.enter(Idle())  # /start (a restarted chat) shows the question again instead
    if isinstance(state, CaseChange) and command.name not in (*NEUTRAL_COMMANDS, *CASE_STEERING):
        # Another command leaves the change half made; nothing of it was saved yet but a
        # case number given, kept with the draft for when the submission goes on.
        tracking.keep_given_number(turn)
        turn.enter(DraftMenu() if turn.draft() is not None else Idle())
    handler(turn, command.argument)


# ---- numbered options, on every channel ------------------------------------------------------


def _offered_choice(turn: Turn, text: str) -> Choice | None:
    """"2", or an option's own words, picks that option of the last message that had any."""
    offered = turn.dialog.offered
    typed = fold(text)
    if not offered.values:
        return None
    if typed.isdigit() and 1 <= int(typed) <= len(offered.values):
        return Choice(offered.values[int(typed) - 1], offered.token)
    if isinstance(turn.state, Asking):
        return None  # words typed at a question are the answer: its reader knows the options
    for value, label in zip(offered.values, offered.labels, strict=True):
        if typed == fold(label):
            return Choice(value, offered.token)
    return None


def _remember_offered(turn: Turn) -> None:
    """The options a number refers to from now on: those of the last reply that had any; a
    question without options makes numbers answers again."""
    offered = turn.dialog.offered
    for reply in turn.replies:
        offered = _offered_by(reply, offered)
    turn.dialog.offered = offered


def _offered_by(reply: Reply, before: Offered) -> Offered:
    if reply.options:
        return Offered(values=[o.value for o in reply.options],
                       labels=[o.label for o in reply.options], token=reply.token)
    return Offered() if reply.part == "question" else before
