"""How a filed case reads: its state, its next date, its card, its questions and reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flows.case import Milestone, allowed_moves, deadline, next_milestone
from flows.catalog import Catalog
from flows.commands import command_value, draft_option
from flows.fields import kind_text, title
from flows.model import CaseEdit, Draft, Option, Reply, Session
from flows.reminders import Planned, plan

TODAY = "__today__"
YESTERDAY = "__yesterday__"
NONE = "__none__"


def day_text(day: date, catalog: Catalog) -> str:
    return catalog.text("format.date", y=day.year, m=day.month, d=day.day)


def state_label(draft: Draft, catalog: Catalog) -> str:
    if draft.case is None:
        return catalog.text("case.state.draft_finished" if draft.finished
                            else "case.state.draft_unfinished")
    return catalog.text(f"case.state.{draft.case.state}")


def move_label(draft: Draft, state: str, catalog: Catalog) -> str:
    """A state as a button says it (a report's wording where the catalog has one)."""
    return kind_text(draft, f"case.state.{state}", catalog) or state


def milestone_text(milestone: Milestone, catalog: Catalog, today: date) -> str:
    """`受理决定预计不晚于 2026年12月8日`, or what to do once that date has passed."""
    passed = milestone.day < today and milestone.key in ("acceptance", "report_check", "mediation")
    key = f"case.next.{milestone.key}{'_passed' if passed else ''}"
    text = catalog.text(key, date=day_text(milestone.day, catalog))
    return catalog.text("case.next.estimated", text=text) if milestone.estimated else text


def next_line(draft: Draft, catalog: Catalog, today: date) -> str | None:
    milestone = next_milestone(draft, today)
    return milestone_text(milestone, catalog, today) if milestone else None


# ---- the case card -----------------------------------------------------------------------


def card(draft: Draft, catalog: Catalog, today: date) -> tuple[str, tuple[Option, ...]]:
    """Everything about one filed case, with the changes it can make from here."""
    case = draft.case
    assert case is not None
    lines = [catalog.text("case.card.title", number=draft.number, business=title(draft, catalog)),
             catalog.text("case.card.case_number", value=case.number or catalog.text(
                 "case.card.no_number")),
             catalog.text("case.card.state", state=state_label(draft, catalog))]
    for event in case.events:
        line = catalog.text("case.card.event", date=day_text(event.on, catalog),
                            state=move_label(draft, event.state, catalog))
        if event.note:
            line = catalog.text("case.card.event_note", line=line, note=event.note)
        lines.append(line)
    upcoming = next_line(draft, catalog, today)
    if upcoming:
        lines.append(upcoming)
    moves = allowed_moves(draft)
    lines.append(catalog.text("case.card.how" if moves else "case.card.how_closed"))
    number = str(draft.number)
    options = [Option(command_value("move", f"{number}:{state}"),
                      catalog.text("case.option.move", state=move_label(draft, state, catalog)))
               for state in moves]
    options.append(Option(command_value("number", number), catalog.text(
        "case.option.change_number" if case.number else "case.option.add_number")))
    options.append(Option(command_value("undo", number), catalog.text("case.option.undo")))
    options.append(draft_option("open", draft.number, catalog))
    return "\n".join(lines), tuple(options)


def after_change_options(draft: Draft, catalog: Catalog, session: Session
                         ) -> tuple[Option, ...]:
    """After a case change: its card, the list, and the way back to a draft left unfinished
    (a reminder's button may have pulled the user out of another interview)."""
    options = [draft_option("case", draft.number, catalog, "case.option.card"),
               Option(command_value("status"), catalog.text("option.status"))]
    latest = session.latest_unfinished()
    if latest is not None:
        options.append(draft_option("continue", latest.number, catalog))
    return tuple(options)


# ---- the questions of a change -------------------------------------------------------------


def question(field: str, edit: CaseEdit, draft: Draft, catalog: Catalog, today: date
             ) -> tuple[str, tuple[Option, ...]]:
    """The prompt for one piece of a case change, and its one-tap answers."""
    if field == "case_number":
        current = draft.case.number if draft.case is not None else ""
        key = "case.ask.number_submit" if edit.action == "submit" else "case.ask.number"
        lines = [catalog.text(key, number=draft.number)]
        if current:
            lines.append(catalog.text("question.current", value=current))
        return "\n".join(lines), (
            Option(f"a:{NONE}", catalog.text("case.option.no_number")),
            Option(command_value("cancel"), catalog.text("case.option.cancel")))
    if field in ("submitted_on", "moved_on"):
        key = "case.ask.submitted_on" if field == "submitted_on" else "case.ask.moved_on"
        state = move_label(draft, edit.target, catalog) if edit.target else ""
        yesterday = today - timedelta(days=1)
        options = [Option(f"a:{TODAY}", catalog.text("case.option.today",
                                                     date=short_day(today, catalog)))]
        # A change cannot predate the last one, so "yesterday" is offered only when it may.
        if edit.action != "move" or draft.case is None or yesterday >= draft.case.changed_on:
            options.append(Option(f"a:{YESTERDAY}", catalog.text(
                "case.option.yesterday", date=short_day(yesterday, catalog))))
        return catalog.text(key, state=state), tuple(options)
    return catalog.text("case.ask.note"), (
        Option(f"a:{NONE}", catalog.text("case.option.no_note")),)


def short_day(day: date, catalog: Catalog) -> str:
    return catalog.text("format.month_day", m=day.month, d=day.day)


# ---- reminders ---------------------------------------------------------------------------


def reminder(item: Planned, draft: Draft, catalog: Catalog) -> Reply:
    """A due reminder: what happened, what to do next, and buttons for the news."""
    number = str(draft.number)
    params = {"number": draft.number, "business": title(draft, catalog)}
    off = Option(command_value("reminders", "off"), catalog.text("reminders.option.stop"))
    if item.kind == "idle":
        return Reply(catalog.text("remind.idle", **params), options=(
            draft_option("continue", draft.number, catalog),
            draft_option("delete", draft.number, catalog), off))
    if item.kind == "unsubmitted":
        return Reply(catalog.text("remind.unsubmitted", **params), options=(
            draft_option("submit", draft.number, catalog, "option.submitted"),
            draft_option("open", draft.number, catalog), off))
    # A deadline reminder is planned only while its deadline stands (flows.reminders).
    case, passed = draft.case, deadline(draft)
    assert case is not None and passed is not None
    text = catalog.text(
        f"remind.{item.kind}", **params, date=day_text(passed.day, catalog),
        case_number=case.number or catalog.text("case.card.no_number"))
    options = [Option(command_value("move", f"{number}:{state}"),
                      move_label(draft, state, catalog)) for state in allowed_moves(draft)]
    options += [Option(command_value("wait", number), catalog.text("case.option.no_news")), off]
    return Reply(text, options=tuple(options))


def reminder_settings(session: Session, catalog: Catalog) -> Reply:
    """Whether reminders are on, and the ones still to come."""
    on = session.reminders.on
    lines = [catalog.text("reminders.on" if on else "reminders.off")]
    upcoming = plan(session)
    if on and upcoming:
        lines.append(catalog.text("reminders.upcoming"))
        for item in upcoming:
            draft = session.drafts[item.draft]
            lines.append(catalog.text(
                "reminders.line", when=moment_text(item.due, catalog), number=draft.number,
                business=title(draft, catalog), what=catalog.text(f"reminders.kind.{item.kind}")))
    elif on:
        lines.append(catalog.text("reminders.none"))
    toggle = (Option(command_value("reminders", "off"), catalog.text("reminders.option.off"))
              if on else
              Option(command_value("reminders", "on"), catalog.text("reminders.option.on")))
    return Reply("\n".join(lines), options=(toggle,))


def moment_text(moment: datetime, catalog: Catalog) -> str:
    return catalog.text("format.moment", y=moment.year, m=moment.month, d=moment.day,
                        hh=f"{moment.hour:02d}", mm=f"{moment.minute:02d}")
