"""After filing: recording the case number, moving the case along, reminders.

A mixin of the engine's turn (`flows.engine._Turn`), kept apart because it is a conversation
of its own: dialog mode "case" asks the few questions of one change (the case number, the day
something happened, a note), holding the answers in `Dialog.case_edit` until the change is
complete, so a restart in the middle loses nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from flows import case as cases
from flows import case_view, reminders
from flows.case import InvalidMove, allowed_moves, read_case_number
from flows.commands import command_value, draft_option
from flows.fields import Parsed, kind_text, title
from flows.model import CaseEdit, Draft, Option, Pending, Reply
from flows.parsing import fold, parse_date

if TYPE_CHECKING:
    from flows.context import Context
    from flows.model import Dialog, Session

KEEP = "__keep__"
CHANGE = "__change__"
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


class CaseTurn:
    """The after-filing commands and questions; `_Turn` supplies the helpers named below."""

    session: Session
    ctx: Context
    replies: list[Reply]

    if TYPE_CHECKING:  # provided by flows.engine._Turn
        @property
        def dialog(self) -> Dialog: ...
        def t(self, key: str, /, **params: Any) -> str: ...
        def say(self, key: str, /, options: tuple[Option, ...] = (), **params: Any) -> None: ...
        def draft(self) -> Draft | None: ...
        def touch(self, draft: Draft) -> None: ...
        def new_token(self) -> str: ...
        def menu(self, key: str) -> None: ...
        def reask(self) -> None: ...
        def ask_confirm(self, action: str, key: str, yes: str, no: str, **params: Any) -> None: ...
        def _numbered(self, argument: str, verb: str) -> Draft | None: ...

    # ---- commands -------------------------------------------------------------------------

    def cmd_submit(self, argument: str) -> None:
        draft = self._numbered(argument, "submit") if argument else self._submittable()
        if draft is None:
            if not argument:
                self.menu("case.nothing_to_submit")
            return
        self.session.active = draft.number
        if not draft.finished:
            self.not_finished_yet(draft)
            return
        if draft.case is not None:
            self.say("case.already_filed", number=draft.number)
            self.show_card(draft)
            return
        self.begin_change(CaseEdit(draft=draft.number, action="submit"))

    def _submittable(self) -> Draft | None:
        """Without a number: the open draft, else the newest finished draft not yet filed."""
        current = self.draft()
        if current is not None and current.finished and current.case is None:
            return current
        ready = [d for d in self.session.drafts.values() if d.finished and d.case is None]
        return max(ready, key=lambda d: (d.updated_at, d.number)) if ready else current

    def cmd_case(self, argument: str) -> None:
        if argument:
            draft = self._numbered(argument, "case")
        else:
            current = self.draft()
            filed = [d for d in self.session.drafts.values() if d.case is not None]
            draft = current if current is not None and current.case is not None else (
                max(filed, key=lambda d: (d.updated_at, d.number)) if filed else current)
            if draft is None:
                self.menu("case.none_filed")
                return
        if draft is None:
            return
        self.session.active = draft.number
        if draft.case is None:
            if draft.finished:
                self.say("case.not_filed", number=draft.number, options=(
                    draft_option("submit", draft.number, self.ctx.catalog, "option.submitted"),))
            else:
                self.not_finished_yet(draft)
            return
        self.show_card(draft)

    def not_finished_yet(self, draft: Draft) -> None:
        """Only a finished draft can be filed: say so, with the way to finish it."""
        self.say("case.submit_unfinished", number=draft.number, options=(
            draft_option("continue", draft.number, self.ctx.catalog),))

    def cmd_move(self, argument: str) -> None:
        number, _, target = argument.partition(":")
        draft = self.session.drafts.get(int(number)) if number.isdigit() else None
        if draft is None or draft.case is None:
            self.say("error.stale_button")
            self.reask()
            return
        self.session.active = draft.number
        if target not in allowed_moves(draft):
            self.say("case.invalid_move", state=case_view.state_label(draft, self.ctx.catalog),
                     target=self.t(f"case.state.{target}") if self.ctx.catalog.has(
                         f"case.state.{target}") else target)
            self.show_card(draft)
            return
        self.begin_change(CaseEdit(draft=draft.number, action="move", target=target))

    def cmd_number(self, argument: str) -> None:
        draft = self._filed(argument)
        if draft is not None:
            self.begin_change(CaseEdit(draft=draft.number, action="number"))

    def cmd_undo(self, argument: str) -> None:
        draft = self._filed(argument)
        if draft is None or draft.case is None:
            return
        self.ask_confirm(f"undo:{draft.number}", "case.undo_confirm", "case.undo_yes",
                         "case.undo_no", number=draft.number,
                         state=case_view.state_label(draft, self.ctx.catalog))

    def undo_confirmed(self, number: int, yes: bool) -> None:
        draft = self.session.drafts.get(number)
        if draft is None or draft.case is None:
            self.menu("idle.menu")
            return
        self.session.active = number
        if not yes:
            self.show_card(draft)
            return
        draft.case = cases.undo(draft.case)
        self.touch(draft)
        if draft.case is None:
            self.dialog.mode = "done"
            self.say("case.unfiled", number=number, options=(
                draft_option("submit", number, self.ctx.catalog, "option.submitted"),
                Option(command_value("status"), self.t("option.status"))))
            return
        self.say("case.undone", state=case_view.state_label(draft, self.ctx.catalog))
        self.show_card(draft)

    def cmd_wait(self, argument: str) -> None:
        draft = self._filed(argument)
        if draft is not None:
            self.dialog.mode = "done"
            self.dialog.case_edit = None
            self.say("case.wait", options=case_view.after_change_options(draft, self.ctx.catalog, self.session))

    def _filed(self, argument: str) -> Draft | None:
        number = argument.lstrip("#")
        draft = self.session.drafts.get(int(number)) if number.isdigit() else None
        if draft is None or draft.case is None:
            self.say("error.stale_button")
            self.reask()
            return None
        self.session.active = draft.number
        return draft

    def cmd_reminders(self, argument: str) -> None:
        wanted = fold(argument).lower()
        if wanted in OFF_WORDS or wanted in self.t("reminders.off_words").split("|"):
            self.session.reminders.on = False
            self.say("reminders.switched_off")
        elif wanted in ON_WORDS or wanted in self.t("reminders.on_words").split("|"):
            self.session.reminders.on = True
            self.say("reminders.switched_on")
        self.replies.append(case_view.reminder_settings(self.session, self.ctx.catalog))
        if self.dialog.mode in ("asking", "case", "confirm", "summary"):
            self.reask()

    # ---- the case card --------------------------------------------------------------------

    def show_card(self, draft: Draft) -> None:
        self.session.active = draft.number
        self.dialog.mode = "case"
        self.dialog.field = "card"
        self.dialog.pending = None
        self.dialog.case_edit = CaseEdit(draft=draft.number, action="card")
        text, options = case_view.card(draft, self.ctx.catalog, self.ctx.today)
        self.replies.append(Reply(text, options=options, token=self.new_token(),
                                  part="question"))

    def card_text(self, draft: Draft, text: str) -> None:
        """On the card, a typed state ("已受理") is the same as pressing its button."""
        typed = fold(text)
        for state in allowed_moves(draft):
            if typed in (fold(case_view.move_label(draft, state, self.ctx.catalog)),
                         fold(self.t(f"case.state.{state}"))):
                self.cmd_move(f"{draft.number}:{state}")
                return
        self.say("case.card_unclear")
        self.show_card(draft)

    # ---- the questions of a change --------------------------------------------------------

    def pasted_case_number(self, draft: Draft, text: str) -> bool:
        """A finished, unfiled draft and a message that can only be a case number: the user
        has filed and pasted what 12315 gave them. Take it, and ask only for the date."""
        if not draft.finished or draft.case is not None:
            return False
        number = cases.pasted_case_number(text)
        if number is None:
            return False
        self.say("case.number_recognised", number=draft.number, case_number=number)
        self.session.active = draft.number
        self.dialog.case_edit = CaseEdit(draft=draft.number, action="submit", number=number)
        self.dialog.pending = None
        self.ask_case("submitted_on")
        return True

    def begin_change(self, edit: CaseEdit) -> None:
        self.session.active = edit.draft
        self.dialog.case_edit = edit
        self.dialog.pending = None
        self.ask_case(STEPS[edit.action][0])

    def changing(self) -> tuple[CaseEdit, Draft] | None:
        edit = self.dialog.case_edit
        draft = self.session.drafts.get(edit.draft) if edit is not None else None
        return (edit, draft) if edit is not None and draft is not None else None

    def ask_case(self, field: str) -> None:
        found = self.changing()
        if found is None:
            self.menu("idle.menu")
            return
        edit, draft = found
        if field == "card":
            self.show_card(draft)
            return
        same_question = self.dialog.mode == "case" and self.dialog.field == field
        self.dialog.mode = "case"
        self.dialog.field = field
        token = str(self.dialog.turn) if same_question else self.new_token()
        text, options = case_view.question(field, edit, draft, self.ctx.catalog, self.ctx.today)
        self.replies.append(Reply(text, options=options, token=token, part="question"))

    def reask_case(self) -> None:
        pending = self.dialog.pending
        if pending is not None:
            self.take_case(Parsed(pending.value, warning=pending.warning))
        else:
            self.ask_case(self.dialog.field or "card")

    def case_text(self, text: str) -> None:
        found = self.changing()
        if found is None:
            self.menu("idle.menu")
            return
        edit, draft = found
        field = self.dialog.field or "card"
        if field == "card":
            self.card_text(draft, text)
            return
        typed = fold(text)
        if self.dialog.pending is not None and typed in self.t("confirm.yes_words").split("|"):
            self.case_choice(KEEP)
            return
        self.dialog.pending = None
        self.take_case(self.read_case_field(field, text, edit, draft))

    def case_choice(self, value: str) -> None:
        found = self.changing()
        if found is None:
            self.say("error.stale_button")
            self.reask()
            return
        field = self.dialog.field or "card"
        pending = self.dialog.pending
        if pending is not None and value in (KEEP, CHANGE):
            self.dialog.pending = None
            if value == KEEP:
                self.store_case(field, pending.value)
            else:
                self.ask_case(field)
            return
        today = self.ctx.today
        if value == case_view.TODAY and field.endswith("_on"):
            self.take_case(self.check_case_day(today, *found))
        elif value == case_view.YESTERDAY and field.endswith("_on"):
            self.take_case(self.check_case_day(today - timedelta(days=1), *found))
        elif value == case_view.NONE and field in SKIPPABLE:
            self.store_case(field, "")
        else:
            self.say("error.stale_button")
            self.reask_case()

    def read_case_field(self, field: str, text: str, edit: CaseEdit, draft: Draft) -> Parsed:
        if field == "case_number":
            return read_case_number(text)
        if field == "case_note":
            note = " ".join(text.split())
            if len(note) > cases.NOTE_LIMIT:
                return Parsed(error="case.error.note_long", params={"limit": cases.NOTE_LIMIT,
                                                                    "count": len(note)})
            return Parsed(note)
        day = parse_date(text, self.ctx.today)
        if day is None:
            return Parsed(error="error.date")
        return self.check_case_day(day, edit, draft)

    def check_case_day(self, day: date, edit: CaseEdit, draft: Draft) -> Parsed:
        if day > self.ctx.today:
            return Parsed(error="error.date_future")
        if edit.action == "move" and draft.case is not None and day < draft.case.changed_on:
            return Parsed(error="case.error.date_before", params={
                "date": case_view.day_text(draft.case.changed_on, self.ctx.catalog),
                "state": case_view.state_label(draft, self.ctx.catalog)})
        return Parsed(day.isoformat())

    def take_case(self, parsed: Parsed) -> None:
        field = self.dialog.field or "card"
        if parsed.error:
            self.say(parsed.error, **parsed.params)
            self.ask_case(field)
            return
        if parsed.warning:
            self.dialog.pending = Pending(field=field, value=parsed.value, warning=parsed.warning)
            self.replies.append(Reply(
                self.t(parsed.warning, value=parsed.value, **parsed.params),
                options=(Option(f"a:{KEEP}", self.t("option.keep")),
                         Option(f"a:{CHANGE}", self.t("option.change"))),
                token=self.new_token(), part="question"))
            return
        self.store_case(field, parsed.value)

    def store_case(self, field: str, value: str) -> None:
        found = self.changing()
        if found is None:
            self.menu("idle.menu")
            return
        edit, draft = found
        note = ""
        if field == "case_number":
            edit.number = value
        elif field in ("submitted_on", "moved_on"):
            edit.on = date.fromisoformat(value)
        else:
            note = value
        steps = STEPS[edit.action]
        following = steps.index(field) + 1 if field in steps else len(steps)
        if following < len(steps):
            self.ask_case(steps[following])
        else:
            self.complete_change(edit, draft, note)

    def complete_change(self, edit: CaseEdit, draft: Draft, note: str) -> None:
        now, catalog = self.ctx.now, self.ctx.catalog
        try:
            if edit.action == "submit":
                draft.case = cases.submit(draft, edit.number or "", edit.on or self.ctx.today, now)
            elif edit.action == "move" and edit.target is not None:
                draft.case = cases.move(draft, edit.target, edit.on or self.ctx.today, note, now)
            elif draft.case is not None:
                draft.case = draft.case.model_copy(update={"number": edit.number or ""})
        except InvalidMove:
            # The draft changed under the question (e.g. another device undid a step).
            self.dialog.case_edit = None
            self.say("error.stale_button")
            self.cmd_case(str(draft.number))
            return
        self.touch(draft)
        self.dialog.case_edit = None
        self.dialog.pending = None
        self.dialog.mode = "done"
        self.dialog.field = None
        case = draft.case
        assert case is not None
        lines = []
        if edit.action == "submit":
            lines.append(self.t("case.filed", number=draft.number,
                                case_number=case.number or self.t("case.card.no_number"),
                                date=case_view.day_text(case.submitted_on, catalog)))
            if not case.number:
                lines.append(self.t("case.number_later"))
            lines.append(self.t("case.fraud_note"))
        elif edit.action == "move":
            lines.append(self.t("case.moved", number=draft.number,
                                state=case_view.state_label(draft, catalog),
                                date=case_view.day_text(case.changed_on, catalog)))
            advice = self._advice(draft)
            if advice:
                lines.append(advice)
        else:
            lines.append(self.t("case.number_saved", number=draft.number,
                                case_number=case.number or self.t("case.card.no_number")))
        upcoming = case_view.next_line(draft, catalog, self.ctx.today)
        if upcoming:
            lines.append(upcoming)
            if reminders.pending_for(self.session, draft.number) is not None:
                lines.append(self.t("case.will_remind"))
        self.replies.append(Reply("\n".join(lines),
                                  options=case_view.after_change_options(draft, catalog, self.session)))

    def _advice(self, draft: Draft) -> str | None:
        assert draft.case is not None
        return kind_text(draft, f"case.advice.{draft.case.state}", self.ctx.catalog)

    # ---- back, skip and cancel inside a change --------------------------------------------

    def case_back(self) -> None:
        found = self.changing()
        if found is None:
            self.menu("back.nothing")
            return
        edit, draft = found
        field = self.dialog.field or "card"
        self.dialog.pending = None
        steps = STEPS[edit.action]
        if field in steps and steps.index(field) > 0:
            self.ask_case(steps[steps.index(field) - 1])
        elif draft.case is not None and edit.action != "card":
            self.show_card(draft)
        else:
            self.leave_change(draft)

    def case_skip(self) -> None:
        field = self.dialog.field or "card"
        if field in SKIPPABLE:
            self.dialog.pending = None
            self.store_case(field, "")
            return
        if field == "card":
            self.say("skip.nothing")
        else:
            self.say("skip.required", field=self.t(f"case.label.{field}"))
        self.reask_case()

    def leave_change(self, draft: Draft | None) -> None:
        self.dialog.case_edit = None
        self.dialog.pending = None
        self.dialog.field = None
        self.dialog.mode = "done" if draft is not None and draft.finished else "idle"
        if draft is None:
            self.menu("cancel.nothing")
            return
        options = (case_view.after_change_options(draft, self.ctx.catalog, self.session) if draft.case
                   else (draft_option("submit", draft.number, self.ctx.catalog, "option.submitted"),
                         Option(command_value("status"), self.t("option.status"))))
        self.say("case.left", number=draft.number, business=title(draft, self.ctx.catalog),
                 options=options)

    # ---- reminders ------------------------------------------------------------------------

    def remind(self, key: str) -> None:
        """Send a due reminder once, if it still applies; otherwise say nothing."""
        item = reminders.find(self.session, key)
        if item is None or item.due > self.ctx.now:
            return
        self.session.reminders.sent.append(key)
        draft = self.session.drafts[item.draft]
        self.replies.append(case_view.reminder(item, draft, self.ctx.catalog))

    def reminder_undelivered(self, key: str) -> None:
        if key in self.session.reminders.sent:
            self.session.reminders.sent.remove(key)

    def forget_reminders_of(self, number: int) -> None:
        """A deleted draft's sent reminders need no record (numbers are never reused)."""
        self.session.reminders.sent = [
            key for key in self.session.reminders.sent if key.split(":")[1] != str(number)]

