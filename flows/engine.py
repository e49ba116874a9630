"""The conversation: `step(session, input, context) → Outcome(session, replies)`.

Pure and synchronous. The shell loads the session, calls `step`, commits the returned
session and only then sends the replies. Nothing here knows which channel is talking.
"""

from __future__ import annotations

from typing import Any

from flows import draft as drafting
from flows import overview
from flows.commands import Command, command_value, draft_option, read_command, read_command_value
from flows.context import Context
from flows.fields import FIELDS, PROFILE_FIELDS, Field, Parsed, display, next_missing
from flows.insight import Insight
from flows.model import (
    Choice,
    Dialog,
    Draft,
    DueReminder,
    Input,
    Option,
    Outcome,
    Pending,
    Reply,
    Session,
    Text,
    UndeliveredReminder,
    Upload,
)
from flows.parsing import fold
from flows.tracking import CaseTurn

SUGGESTED = "__suggested__"
DONE = "__done__"
NONE = "__none__"
KEEP = "__keep__"
CHANGE = "__change__"
YES = "__yes__"
NO = "__no__"
# Commands that answer and then repeat the open question, leaving it open.
NEUTRAL_COMMANDS = ("help", "privacy", "status", "reminders")
# Commands that steer inside a case change rather than leave it (/start picks it up again).
CASE_STEERING = ("back", "skip", "cancel", "start")
MIN_THEME_CONFIDENCE = 0.5
MIN_FACT_CONFIDENCE = 0.5


def step(session: Session, event: Input, ctx: Context) -> Outcome:
    """Answer one input. The given session is never modified; a changed copy is returned."""
    turn = _Turn(session.model_copy(deep=True), ctx)
    if isinstance(event, DueReminder):
        turn.remind(event.key)
    elif isinstance(event, UndeliveredReminder):
        turn.reminder_undelivered(event.key)
    elif isinstance(event, Upload):
        turn.upload(event)
    elif isinstance(event, Choice):
        turn.choice(event)
    else:
        turn.text(event)
    return Outcome(turn.session, turn.replies)


class _Turn(CaseTurn):
    """One step's working state: the session being changed and the replies gathered."""

    def __init__(self, session: Session, ctx: Context) -> None:
        self.session = session
        self.ctx = ctx
        self.replies: list[Reply] = []

    # ---- small helpers --------------------------------------------------------------------

    @property
    def dialog(self) -> Dialog:
        return self.session.dialog

    def t(self, key: str, /, **params: Any) -> str:
        return self.ctx.t(key, **params)

    def say(self, key: str, /, options: tuple[Option, ...] = (), **params: Any) -> None:
        self.replies.append(Reply(self.t(key, **params), options=options))

    def draft(self) -> Draft | None:
        return self.session.active_draft()

    def touch(self, draft: Draft) -> None:
        draft.updated_at = self.ctx.now

    def new_token(self) -> str:
        self.dialog.turn += 1
        return str(self.dialog.turn)

    # ---- inputs ---------------------------------------------------------------------------

    def text(self, event: Text) -> None:
        if not event.text.strip():
            self.say("error.empty")
            self.reask()
            return
        command = read_command(event.text, self.ctx.catalog)
        if command is not None:
            self.command(command)
            return
        mode = self.dialog.mode
        draft = self.draft()
        if mode == "confirm":
            self.confirm_text(event.text)
        elif mode == "case":
            self.case_text(event.text)
        elif mode == "asking" and draft is not None and self.dialog.field:
            self.answer_text(draft, FIELDS[self.dialog.field], event.text)
        elif mode == "summary" and draft is not None:
            self.summary_text(draft, event.text)
        elif mode == "done" and draft is not None and self.pasted_case_number(draft, event.text):
            return
        else:
            self.reask()

    def choice(self, event: Choice) -> None:
        command = read_command_value(event.value)
        if command is not None:
            self.command(command)
            return
        if event.token is not None and event.token != str(self.dialog.turn):
            self.say("error.stale_button")
            self.reask()
            return
        value = event.value.removeprefix("a:")
        draft = self.draft()
        if self.dialog.mode == "confirm":
            self.confirm(value == YES)
        elif self.dialog.mode == "case":
            self.case_choice(value)
        elif self.dialog.mode == "summary" and draft is not None and value.startswith("e:"):
            self.edit_field(draft, value[2:])
        elif self.dialog.mode == "asking" and draft is not None and self.dialog.field:
            self.answer_choice(draft, FIELDS[self.dialog.field], value)
        else:
            self.say("error.stale_button")
            self.reask()

    def upload(self, event: Upload) -> None:
        draft = self.draft()
        if draft is None:
            self.menu("upload.no_draft")
            return
        draft.attachments.append(event.attachment)
        self.touch(draft)
        self.say("upload.received", count=len(draft.attachments), name=drafting.attachment_label(
            draft, len(draft.attachments) - 1, self.ctx.catalog))
        for warning in drafting.attachment_problems(draft, event.attachment, self.ctx.catalog):
            self.replies.append(Reply(warning))
        self.reask()

    # ---- answering ------------------------------------------------------------------------

    def answer_text(self, draft: Draft, spec: Field, text: str) -> None:
        typed = fold(text)
        agrees = typed in self.t("confirm.yes_words").split("|")
        if self.dialog.pending is not None and agrees:
            self.answer_choice(draft, spec, KEEP)
            return
        self.dialog.pending = None
        if agrees and spec.name in draft.suggestions:
            self.answer_choice(draft, spec, SUGGESTED)
        elif spec.multi and typed in self.t("option.done_words").split("|"):
            self.answer_choice(draft, spec, DONE)
        else:
            self.take(draft, spec, spec.parse(text, self.ctx, draft))

    def answer_choice(self, draft: Draft, spec: Field, value: str) -> None:
        pending = self.dialog.pending
        if pending is not None and value in (KEEP, CHANGE):
            self.dialog.pending = None
            if value == KEEP:
                self.commit(draft, spec, pending.value, Parsed(pending.value))
            else:
                self.ask(spec)
            return
        if value == SUGGESTED and spec.name in draft.suggestions:
            self.take(draft, spec, self.check_suggested(draft, spec))
        elif spec.multi and value == DONE:
            picked = list(self.dialog.picked)
            if not picked:
                self.say("error.pick_one")
                self.ask(spec)
                return
            self.take(draft, spec, Parsed(picked))
        elif spec.multi and value == NONE:
            self.take(draft, spec, Parsed([]))
        elif spec.multi and value in spec.choices:
            picked = self.dialog.picked
            picked.remove(value) if value in picked else picked.append(value)
            self.ask(spec, keep_picked=True)
        elif value in spec.choices:
            self.take(draft, spec, spec.parse(spec.option_label(value, self.ctx.catalog),
                                              self.ctx, draft))
        else:
            self.say("error.stale_button")
            self.reask()

    def check_suggested(self, draft: Draft, spec: Field) -> Parsed:
        """A confirmed suggestion still passes the field's checks (dates, sums, limits)."""
        value = draft.suggestions[spec.name]
        if spec.name == "purchase_date":
            return spec.parse(value, self.ctx, draft)
        if spec.name == "compensation":
            return spec.parse(f"{value['detail']}{value['amount']}", self.ctx, draft)
        return Parsed(value)

    def take(self, draft: Draft, spec: Field, parsed: Parsed) -> None:
        if parsed.error:
            self.say(parsed.error, **parsed.params)
            self.ask(spec)
            return
        if parsed.warning:
            self.dialog.pending = Pending(field=spec.name, value=parsed.value,
                                          warning=parsed.warning)
            token = self.new_token()
            shown = display(spec, parsed.value, self.ctx.catalog)
            self.replies.append(Reply(
                self.t(parsed.warning, value=shown, **parsed.params),
                options=(Option(f"a:{KEEP}", self.t("option.keep")),
                         Option(f"a:{CHANGE}", self.t("option.change"))),
                token=token, part="question"))
            return
        self.commit(draft, spec, parsed.value, parsed)

    def commit(self, draft: Draft, spec: Field, value: Any, parsed: Parsed) -> None:
        draft.answers[spec.name] = value
        if spec.name in draft.skipped:
            draft.skipped.remove(spec.name)
        if spec.apply is not None:
            spec.apply(draft, value)
        self.touch(draft)
        self.dialog.picked = []
        if not self.dialog.history or self.dialog.history[-1] != spec.name:
            self.dialog.history.append(spec.name)
        for note in (parsed.note, spec.after(value, draft)):
            if note:
                self.say(note, **parsed.params)
        if spec.name == "narrative":
            self.learn_from_account(draft, value)
            if draft.referral is not None:
                self.ask_confirm("scope", "scope.warning", "scope.continue", "scope.stop",
                                 **drafting.referral_params(draft.referral, self.ctx.catalog))
                return
        self.advance(draft)

    def advance(self, draft: Draft) -> None:
        if self.dialog.back_to_summary:
            self.dialog.back_to_summary = False
            self.show_summary(draft)
            return
        spec = next_missing(draft)
        if spec is None:
            self.finish(draft)
        else:
            self.ask(spec)

    def learn_from_account(self, draft: Draft, narrative: str) -> None:
        """Keep what the analyzer read as suggestions; each is confirmed when its turn comes."""
        insight: Insight = self.ctx.understand(narrative, self.ctx.today)
        draft.suggestions = {k: v for k, v in draft.suggestions.items() if k == "profile"}
        draft.suggestions["problem"] = narrative
        for name, value in drafting.suggestions_from(insight, MIN_FACT_CONFIDENCE).items():
            draft.suggestions[name] = value
        draft.theme_ranking = [
            {"theme": s.theme, "score": s.score, "keywords": list(s.keywords)}
            for s in insight.themes
        ]
        top = draft.theme_ranking[0] if draft.theme_ranking else None
        if top and top["score"] >= MIN_THEME_CONFIDENCE:
            draft.suggestions["theme"] = top["theme"]
        draft.referral = (
            {"topic": insight.out_of_scope.topic, "keywords": list(insight.out_of_scope.keywords)}
            if insight.out_of_scope else None
        )

    def finish(self, draft: Draft) -> None:
        draft.finished = True
        self.touch(draft)
        self.session.profile = {name: draft.answers[name] for name in PROFILE_FIELDS
                                if name in draft.answers}
        self.dialog.mode = "done"
        self.dialog.field = None
        self.say("done.intro", number=draft.number)
        self.replies.extend(drafting.render(draft, self.ctx.catalog, self.ctx.today))
        last = self.replies[-1]
        self.replies[-1] = Reply(last.text, options=self.after_draft_options(draft),
                                 part=last.part, section=last.section)

    def after_draft_options(self, draft: Draft) -> tuple[Option, ...]:
        follow_up = (draft_option("case", draft.number, self.ctx.catalog, "case.option.card")
                     if draft.case else
                     draft_option("submit", draft.number, self.ctx.catalog, "option.submitted"))
        return (
            follow_up,
            Option(command_value("edit"), self.t("option.edit")),
            Option(command_value("new"), self.t("option.new")),
            Option(command_value("status"), self.t("option.status")),
        )

    # ---- asking ---------------------------------------------------------------------------

    def ask(self, spec: Field, keep_picked: bool = False) -> None:
        draft = self.draft()
        assert draft is not None
        if not keep_picked:
            self.dialog.picked = []
        # Asking the same question again keeps its token, so its earlier buttons still work.
        same_question = self.dialog.mode == "asking" and self.dialog.field == spec.name
        self.dialog.mode = "asking"
        self.dialog.field = spec.name
        token = str(self.dialog.turn) if same_question else self.new_token()
        text, options = overview.question(spec, draft, self.dialog.picked, self.ctx.catalog)
        self.replies.append(Reply(text, options=options, token=token, part="question"))

    def reask(self) -> None:
        """Repeat whatever was pending, so the user always knows what to answer."""
        draft = self.draft()
        mode = self.dialog.mode
        if mode == "asking" and draft is not None and self.dialog.field:
            pending = self.dialog.pending
            if pending is not None:
                spec = FIELDS[pending.field]
                self.take(draft, spec, Parsed(pending.value, warning=pending.warning))
            else:
                self.ask(FIELDS[self.dialog.field], keep_picked=True)
        elif mode == "summary" and draft is not None:
            self.show_summary(draft)
        elif mode == "case":
            self.reask_case()
        elif mode == "confirm" and self.dialog.confirm_action:
            self.say("confirm.pending", options=self.confirm_options())
        elif mode == "done" and draft is not None and draft.finished:
            self.say("done.menu_filed" if draft.case else "done.menu", number=draft.number,
                     options=self.after_draft_options(draft))
        else:
            self.menu("idle.menu")

    def menu(self, key: str) -> None:
        options = [Option(command_value("new"), self.t("option.new"))]
        unfinished = self.session.latest_unfinished()
        if unfinished is not None:
            options.append(draft_option("continue", unfinished.number, self.ctx.catalog))
        options += [Option(command_value("status"), self.t("option.status")),
                    Option(command_value("help"), self.t("option.help"))]
        self.say(key, options=tuple(options))

    # ---- confirmations --------------------------------------------------------------------

    def ask_confirm(self, action: str, key: str, yes: str, no: str, **params: Any) -> None:
        self.dialog.mode = "confirm"
        self.dialog.confirm_action = f"{action}|{yes}|{no}"
        self.replies.append(Reply(self.t(key, **params), options=self.confirm_options(),
                                  token=self.new_token(), part="question"))

    def confirm_options(self) -> tuple[Option, ...]:
        _, yes, no = (self.dialog.confirm_action or "||").split("|")
        return (Option(f"a:{YES}", self.t(yes)), Option(f"a:{NO}", self.t(no)))

    def confirm_text(self, text: str) -> None:
        _, yes, no = (self.dialog.confirm_action or "||").split("|")
        typed = fold(text)
        if typed in (self.t(yes), *self.t("confirm.yes_words").split("|")):
            self.confirm(True)
        elif typed in (self.t(no), *self.t("confirm.no_words").split("|")):
            self.confirm(False)
        else:
            self.say("confirm.unclear", options=self.confirm_options())

    def confirm(self, yes: bool) -> None:
        action = (self.dialog.confirm_action or "").split("|")[0]
        self.dialog.confirm_action = None
        self.dialog.mode = "idle"
        draft = self.draft()
        if action == "scope" and draft is not None:
            if yes:
                self.advance(draft)
            else:
                self.cancel()
        elif action == "restart" and draft is not None:
            if yes:
                draft.answers, draft.skipped, draft.finished = {}, [], False
                draft.attachments = []
                keep = {"profile": draft.suggestions["profile"]} if (
                    "profile" in draft.suggestions) else {}
                draft.suggestions, draft.theme_ranking, draft.referral = keep, [], None
                self.dialog.history = []
                self.touch(draft)
                self.say("restart.done")
            self.resume(draft)
        elif action.startswith("undo:"):
            self.undo_confirmed(int(action.split(":")[1]), yes)
        elif action.startswith("delete:"):
            number = int(action.split(":")[1])
            if yes and number in self.session.drafts:
                del self.session.drafts[number]
                self.forget_reminders_of(number)
                if self.session.active == number:
                    self.session.active = None
                    self.dialog.history = []
                self.say("delete.done", number=number)
                self.menu("idle.menu_after_delete")
            else:
                self.say("delete.kept", number=number)
                self.reask_after_confirm()
        else:
            self.reask_after_confirm()

    def reask_after_confirm(self) -> None:
        draft = self.draft()
        if draft is not None and not draft.finished:
            self.resume(draft)
        else:
            self.dialog.mode = "done" if draft is not None else "idle"
            self.reask()

    # ---- commands -------------------------------------------------------------------------

    def command(self, command: Command) -> None:
        handler = getattr(self, f"cmd_{command.name}", None)
        if handler is None:
            self.say("error.unknown_command", command=command.argument)
            self.reask()
            return
        if self.dialog.mode == "confirm" and command.name not in NEUTRAL_COMMANDS:
            self.dialog.mode = "idle"
            self.dialog.confirm_action = None
        if self.dialog.mode == "case" and command.name not in (*NEUTRAL_COMMANDS, *CASE_STEERING):
            # Another command leaves the change half made; nothing of it was saved yet.
            self.dialog.mode = "done" if self.draft() is not None else "idle"
            self.dialog.case_edit = None
            self.dialog.pending = None
        handler(command.argument)

    def cmd_start(self, argument: str) -> None:
        self.say("start.welcome")
        changing = self.changing()
        if self.dialog.mode == "case" and changing is not None:
            self.say("start.welcome_back_case", number=changing[1].number)
            self.reask()
            return
        draft = self.draft()
        if draft is not None and not draft.finished and self.dialog.mode == "asking":
            self.say("start.welcome_back", number=draft.number)
            self.reask()
            return
        unfinished = self.session.latest_unfinished()
        if unfinished is not None:
            self.session.active = unfinished.number
            self.dialog.mode = "idle"
            self.say("start.has_unfinished", number=unfinished.number,
                     business=overview.title(unfinished, self.ctx.catalog),
                     options=(draft_option("continue", unfinished.number, self.ctx.catalog),
                              Option(command_value("new"), self.t("option.new"))))
            return
        if self.session.drafts:
            self.menu("start.returning")
            return
        self.cmd_new("")

    def cmd_new(self, argument: str) -> None:
        current = self.draft()
        if current is not None and not current.finished and current.answers:
            self.say("new.previous_kept", number=current.number)
        number = self.session.next_number
        self.session.next_number += 1
        draft = Draft(number=number, created_at=self.ctx.now, updated_at=self.ctx.now)
        if self.session.profile:
            draft.suggestions["profile"] = dict(self.session.profile)
        self.session.drafts[number] = draft
        self.session.active = number
        self.dialog.history = []
        self.dialog.back_to_summary = False
        self.dialog.pending = None
        self.say("new.started", number=number)
        self.advance(draft)

    def cmd_status(self, argument: str) -> None:
        self.replies.append(overview.status(self.session, self.ctx.catalog, self.ctx.today))

    def cmd_help(self, argument: str) -> None:
        self.say("help.text")
        self.reask()

    def cmd_privacy(self, argument: str) -> None:
        self.say("privacy.text")
        self.reask()

    def cmd_back(self, argument: str) -> None:
        if self.dialog.mode == "case":
            self.case_back()
            return
        draft = self.draft()
        if draft is None:
            self.menu("back.nothing")
            return
        if self.dialog.mode == "summary":
            self.resume(draft)
            return
        self.dialog.pending = None
        if self.dialog.back_to_summary:
            self.dialog.back_to_summary = False
            self.show_summary(draft)
            return
        history = self.dialog.history
        current = self.dialog.field if self.dialog.mode == "asking" else None
        while history and (history[-1] == current or not FIELDS[history[-1]].is_needed(draft)):
            history.pop()
        if not history:
            self.say("back.first")
            self.resume(draft)
            return
        previous = history.pop()
        draft.finished = False
        self.ask(FIELDS[previous])

    def cmd_skip(self, argument: str) -> None:
        if self.dialog.mode == "case":
            self.case_skip()
            return
        draft = self.draft()
        if self.dialog.mode != "asking" or draft is None or not self.dialog.field:
            self.say("skip.nothing")
            self.reask()
            return
        spec = FIELDS[self.dialog.field]
        if not spec.optional:
            self.say("skip.required", field=self.t(f"field.{spec.name}.label"))
            self.ask(spec, keep_picked=True)
            return
        self.dialog.pending = None
        draft.answers.pop(spec.name, None)
        if spec.name not in draft.skipped:
            draft.skipped.append(spec.name)
        self.dialog.history.append(spec.name)
        self.touch(draft)
        self.advance(draft)

    def cmd_cancel(self, argument: str) -> None:
        if self.dialog.mode == "case":
            self.leave_change(self.draft())
            return
        self.cancel()

    def cancel(self) -> None:
        draft = self.draft()
        self.dialog.mode = "idle"
        self.dialog.field = None
        self.dialog.pending = None
        self.dialog.back_to_summary = False
        if draft is None:
            self.menu("cancel.nothing")
        elif draft.finished:
            self.menu("cancel.finished")
        else:
            self.say("cancel.kept", number=draft.number, options=(
                draft_option("continue", draft.number, self.ctx.catalog),
                Option(command_value("status"), self.t("option.status"))))

    def cmd_edit(self, argument: str) -> None:
        draft = self.draft()
        if draft is None or not draft.answers:
            self.menu("edit.nothing")
            return
        self.dialog.pending = None
        self.show_summary(draft)

    def show_summary(self, draft: Draft) -> None:
        self.dialog.mode = "summary"
        self.dialog.field = None
        token = self.new_token()
        text, options = overview.summary(draft, self.ctx.catalog)
        self.replies.append(Reply(text, options=options, token=token, part="question"))

    def summary_text(self, draft: Draft, text: str) -> None:
        spec = overview.pick_from_summary(draft, text, self.ctx.catalog)
        if spec is None:
            self.say("edit.unclear")
            self.show_summary(draft)
        else:
            self.edit_field(draft, spec.name)

    def edit_field(self, draft: Draft, name: str) -> None:
        if name == "__resume__":
            self.resume(draft)
            return
        spec = FIELDS.get(name)
        if spec is None or not spec.is_needed(draft):
            self.say("error.stale_button")
            self.show_summary(draft)
            return
        self.dialog.back_to_summary = True
        self.ask(spec)

    def cmd_restart(self, argument: str) -> None:
        draft = self.draft()
        if draft is None:
            self.cmd_new("")
            return
        self.ask_confirm("restart", "restart.confirm", "restart.yes", "restart.no",
                         number=draft.number)

    def _numbered(self, argument: str, verb: str) -> Draft | None:
        digits = argument.lstrip("#")
        if not digits.isdigit():
            self.say("drafts.which", verb=self.t(f"command.{verb}.verb"))
            self.cmd_status("")
            return None
        found = self.session.drafts.get(int(digits))
        if found is None:
            self.say("drafts.not_found", number=digits)
            self.cmd_status("")
        return found

    def cmd_open(self, argument: str) -> None:
        found = self._numbered(argument, "open")
        if found is None:
            return
        self.session.active = found.number
        if found.finished:
            self.dialog.mode = "done"
            self.dialog.field = None
            self.replies.extend(drafting.render(found, self.ctx.catalog, self.ctx.today))
            last = self.replies[-1]
            self.replies[-1] = Reply(last.text, options=self.after_draft_options(found),
                                     part=last.part, section=last.section)
        else:
            self.show_summary(found) if found.answers else self.resume(found)

    def cmd_continue(self, argument: str) -> None:
        if argument:
            found = self._numbered(argument, "continue")
        else:
            found = self.draft() if (self.draft() and not self.draft().finished) else (
                self.session.latest_unfinished())
            if found is None:
                self.menu("continue.nothing")
                return
        if found is None:
            return
        if found.finished:
            self.session.active = found.number
            self.dialog.mode = "done"
            self.menu("continue.finished")
            return
        if self.session.active != found.number:
            self.dialog.history = []
        self.session.active = found.number
        self.resume(found)

    def resume(self, draft: Draft) -> None:
        self.dialog.back_to_summary = False
        self.dialog.pending = None
        spec = next_missing(draft)
        if spec is None:
            self.finish(draft)
        else:
            self.ask(spec)

    def cmd_delete(self, argument: str) -> None:
        found = self._numbered(argument, "delete")
        if found is None:
            return
        self.ask_confirm(f"delete:{found.number}", "delete.confirm", "delete.yes", "delete.no",
                         number=found.number, business=overview.title(found, self.ctx.catalog))
