"""A filed case: its states, the moves between them, and the next date that matters.

The deadlines are the regulator's: a decision on accepting a complaint within 7 working days of
receiving it, on a report within 15 working days, and mediation ending 60 days after acceptance
(time for testing or appraisal not counted). The limitation dates come from
`flows.limitation`, the one place that rule lives.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import msgspec

from flows import limitation as limitations
from flows.fields import Parsed, is_report
from flows.model import Case, CaseEvent, CaseState, Draft
from flows.parsing import fold

ACCEPTANCE_WORKING_DAYS = 7
REPORT_CHECK_WORKING_DAYS = 15
MEDIATION_DAYS = 60
NOTE_LIMIT = 200

# Where a case can go from each state. A complaint is mediated; a report is only checked.
COMPLAINT_MOVES: dict[str, tuple[CaseState, ...]] = {
    "submitted": ("accepted", "rejected", "closed"),
    "accepted": ("mediating", "mediated", "mediation_failed", "closed"),
    "mediating": ("mediated", "mediation_failed", "closed"),
    "mediated": ("closed",),
    "mediation_failed": ("closed",),
    "rejected": ("closed",),
    "closed": (),
}
REPORT_MOVES: dict[str, tuple[CaseState, ...]] = {
    "submitted": ("accepted", "rejected", "closed"),
    "accepted": ("closed",),
    "rejected": ("closed",),
    "closed": (),
}

CASE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")
MOBILE_NUMBER = re.compile(r"1[3-9]\d{9}")
CASE_NUMBER_LENGTH = (6, 40)
MIN_PASTED_DIGITS = 8


class InvalidMove(ValueError):
    """A state change the case cannot make (e.g. from 已提交 straight to 已调解)."""


def allowed_moves(draft: Draft) -> tuple[CaseState, ...]:
    if draft.case is None:
        return ()
    moves = REPORT_MOVES if is_report(draft) else COMPLAINT_MOVES
    return moves.get(draft.case.state, ())


def submit(draft: Draft, number: str, on: date, now: datetime) -> Case:
    """The case a finished draft becomes once filed on 12315."""
    if not draft.finished:
        raise InvalidMove("only a finished draft can be filed")
    if draft.case is not None:
        raise InvalidMove("this draft is already filed")
    return Case(number=number, events=[CaseEvent(state="submitted", on=on, recorded_at=now)])


def move(draft: Draft, target: CaseState, on: date, note: str, now: datetime) -> Case:
    """The case after moving to `target` on `on`; raises InvalidMove for a move not allowed."""
    case = draft.case
    if case is None:
        raise InvalidMove("the draft has not been filed")
    if target not in allowed_moves(draft):
        raise InvalidMove(f"a case cannot go from {case.state} to {target}")
    if on < case.changed_on:
        raise InvalidMove(f"{on} is before the last change ({case.changed_on})")
    event = CaseEvent(state=target, on=on, note=note.strip()[:NOTE_LIMIT], recorded_at=now)
    return msgspec.structs.replace(case, events=[*case.events, event])


def undo(case: Case) -> Case | None:
    """The case without its latest change; None when that was the filing itself."""
    if len(case.events) <= 1:
        return None
    return msgspec.structs.replace(case, events=case.events[:-1])


def read_case_number(text: str) -> Parsed:
    """Any plausible run of letters and digits; odd-looking ones are kept after a warning,
    because the platform does not publish the format."""
    code = fold(text).replace(" ", "")
    if not CASE_NUMBER.fullmatch(code):
        return Parsed(error="case.error.number")
    shortest, longest = CASE_NUMBER_LENGTH
    if MOBILE_NUMBER.fullmatch(code):
        return Parsed(code, warning="case.warn.number_phone")
    if not any(c.isdigit() for c in code) or not shortest <= len(code) <= longest:
        return Parsed(code, warning="case.warn.number_odd")
    return Parsed(code)


def pasted_case_number(text: str) -> str | None:
    """The text, if it is a plausible case number with nothing else around it (at least
    MIN_PASTED_DIGITS digits, no warning): what a user pastes after filing."""
    parsed = read_case_number(text)
    if parsed.error or parsed.warning:
        return None
    digits = sum(c.isdigit() for c in parsed.value)
    return parsed.value if digits >= MIN_PASTED_DIGITS else None


# ---- the next date that matters ----------------------------------------------------------


class Milestone(msgspec.Struct, frozen=True):
    """A date to show beside a draft or case; `key` names its sentence in the catalog."""

    key: str
    day: date
    estimated: bool = False


def acceptance_deadline(draft: Draft, case: Case) -> Milestone:
    # The official calendar (flows.workdays) loads with the first filed case, not at start.
    from flows.workdays import add_working_days

    if is_report(draft):
        found = add_working_days(case.submitted_on, REPORT_CHECK_WORKING_DAYS)
        return Milestone("report_check", found.day, found.estimated)
    found = add_working_days(case.submitted_on, ACCEPTANCE_WORKING_DAYS)
    return Milestone("acceptance", found.day, found.estimated)


def mediation_deadline(case: Case) -> Milestone | None:
    accepted = case.entered("accepted")
    if accepted is None:
        return None
    from flows.workdays import add_days

    return Milestone("mediation", add_days(accepted, MEDIATION_DAYS).day)


def deadline(draft: Draft) -> Milestone | None:
    """The regulator's deadline the case is waiting on, if it waits on one."""
    case = draft.case
    if case is None:
        return None
    if case.state == "submitted":
        return acceptance_deadline(draft, case)
    if case.state in ("accepted", "mediating") and not is_report(draft):
        return mediation_deadline(case)
    return None


def limitation(draft: Draft, today: date) -> Milestone | None:
    """For an unfiled draft whose problem is getting old: the two- or three-year date."""
    standing = limitations.for_draft(draft, today)
    if draft.case is not None or standing is None:
        return None
    if standing.stage == "limit_passed":
        return Milestone("limit_passed", standing.limit)
    if standing.stage == "advised_passed":
        return Milestone("limit_near", standing.limit)
    if standing.stage == "advised_near":
        return Milestone("advised_near", standing.advised)
    return None


def next_milestone(draft: Draft, today: date) -> Milestone | None:
    return deadline(draft) or limitation(draft, today)
