"""Which reminders a user's drafts and cases call for, when, and what each says.

`plan(session)` depends on the session alone, so the shell can store the schedule with the
session in one transaction and find due reminders with one query. A reminder fires through
the engine (`DueReminder`), which re-checks it against the current session and records it as
sent in the same commit: a reminder is never sent twice, and one that no longer applies (the
user already reported news, deleted the draft, or switched reminders off) is never sent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import msgspec

from flows.case import deadline
from flows.model import Draft, Session

IDLE_DAYS = 3
# Reminders go out in the daytime: at this hour on the day after a deadline, and never
# outside the waking window below.
MORNING = time(10, 0)
WAKING = (time(9, 0), time(21, 0))


class Planned(msgspec.Struct, frozen=True):
    """One reminder to send at `due`; `key` is unique per user and stable across plans."""

    key: str
    draft: int
    kind: str  # acceptance | report_check | mediation | idle | unsubmitted
    due: datetime


def plan(session: Session) -> list[Planned]:
    """Every reminder still to send, earliest first; empty when the user switched them off."""
    if not session.reminders.on:
        return []
    sent = set(session.reminders.sent)
    found = [item for draft in session.drafts.values()
             if (item := _for_draft(draft)) is not None and item.key not in sent]
    return sorted(found, key=lambda item: (item.due, item.key))


def _for_draft(draft: Draft) -> Planned | None:
    case = draft.case
    if case is None:
        if not draft.answers:
            return None
        kind = "unsubmitted" if draft.finished else "idle"
        return Planned(f"{kind}:{draft.number}", draft.number, kind,
                       waking(draft.updated_at + timedelta(days=IDLE_DAYS)))
    milestone = deadline(draft)
    if milestone is None:
        return None
    # The deadline's own day still belongs to the regulator; remind the morning after.
    # The key names the deadline, so 受理 → 调解中 keeps it and a corrected date renews it.
    return Planned(f"{milestone.key}:{draft.number}:{milestone.day.isoformat()}", draft.number,
                   milestone.key, morning_after(milestone.day))


def morning_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), MORNING)


def waking(moment: datetime) -> datetime:
    """The same moment if people are awake then, else the next morning at opening time."""
    opens, closes = WAKING
    if moment.time() < opens:
        return datetime.combine(moment.date(), opens)
    if moment.time() >= closes:
        return datetime.combine(moment.date() + timedelta(days=1), opens)
    return moment


def find(session: Session, key: str) -> Planned | None:
    return next((item for item in plan(session) if item.key == key), None)


def pending_for(session: Session, number: int) -> Planned | None:
    """The reminder still to come for draft `number`, if any."""
    return next((item for item in plan(session) if item.draft == number), None)
