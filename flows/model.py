"""The data the engine reads and returns: a user's session, their drafts, inputs and replies.

Sessions and drafts are pydantic models so the shell can store them as JSON and read them
back exactly; inputs and replies are plain frozen dataclasses no channel type leaks into.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class Attachment(BaseModel):
    """A file the user sent as evidence, as the channel identifies it."""

    kind: str  # photo | document | voice | audio | video
    file_id: str
    name: str = ""
    size: int | None = None
    mime: str = ""


CaseState = Literal[
    "submitted", "accepted", "rejected", "mediating", "mediated", "mediation_failed", "closed"]


class CaseEvent(BaseModel):
    """One change of a filed case's state, on the day the user says it happened."""

    state: CaseState
    on: date
    note: str = ""
    recorded_at: datetime


class Case(BaseModel):
    """What happened after the draft was filed on 12315; a draft with no case is unfiled."""

    number: str = ""  # the 12315 case number (投诉编号); empty until the user has it
    events: list[CaseEvent]

    @property
    def state(self) -> CaseState:
        return self.events[-1].state

    @property
    def submitted_on(self) -> date:
        return self.events[0].on

    @property
    def changed_on(self) -> date:
        return self.events[-1].on

    def entered(self, state: str) -> date | None:
        """The day the case last entered `state`, if it ever did."""
        for event in reversed(self.events):
            if event.state == state:
                return event.on
        return None


class Draft(BaseModel):
    """One complaint or report being written: answers by field name, as JSON-ready values."""

    number: int
    created_at: datetime
    updated_at: datetime
    finished: bool = False
    answers: dict[str, Any] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list)
    # Read from the user's own account, waiting to be confirmed: field name → value.
    suggestions: dict[str, Any] = Field(default_factory=dict)
    theme_ranking: list[dict[str, Any]] = Field(default_factory=list)
    referral: dict[str, Any] | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    case: Case | None = None

    def answer(self, name: str, default: Any = None) -> Any:
        return self.answers.get(name, default)


Mode = Literal["idle", "asking", "summary", "confirm", "done", "case"]


class Pending(BaseModel):
    """An answer held back until the user confirms it despite a warning."""

    field: str
    value: Any
    warning: str  # catalog key of the warning shown


class CaseEdit(BaseModel):
    """A change to a filed case being collected question by question (dialog mode "case")."""

    draft: int
    action: Literal["submit", "move", "number", "card"]
    target: CaseState | None = None  # the state a "move" goes to
    number: str | None = None
    on: date | None = None


class Dialog(BaseModel):
    """Where the conversation stands: which question, what came before, what waits."""

    mode: Mode = "idle"
    field: str | None = None
    history: list[str] = Field(default_factory=list)
    back_to_summary: bool = False
    pending: Pending | None = None
    picked: list[str] = Field(default_factory=list)
    confirm_action: str | None = None  # e.g. "delete:3", "restart"
    turn: int = 0  # grows with each question, so buttons of old questions can be recognised
    case_edit: CaseEdit | None = None


class Reminders(BaseModel):
    """The user's reminder switch and the reminders already sent (never sent twice)."""

    on: bool = True
    sent: list[str] = Field(default_factory=list)


class Session(BaseModel):
    """Everything kept for one user; the shell loads it, the engine returns a new one."""

    user_id: str
    drafts: dict[int, Draft] = Field(default_factory=dict)
    next_number: int = 1
    active: int | None = None
    dialog: Dialog = Field(default_factory=Dialog)
    profile: dict[str, str] | None = None  # the complainant's last name, phone, address
    reminders: Reminders = Field(default_factory=Reminders)

    def active_draft(self) -> Draft | None:
        return self.drafts.get(self.active) if self.active is not None else None

    def latest_unfinished(self) -> Draft | None:
        """The unfinished draft touched last: the one "continue" means."""
        unfinished = [d for d in self.drafts.values() if not d.finished]
        return max(unfinished, key=lambda d: (d.updated_at, d.number)) if unfinished else None


# ---- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Anything typed; slash commands and command words are recognised by the engine."""

    text: str


@dataclass(frozen=True)
class Choice:
    """An option picked (a button pressed). `token` names the question it belonged to."""

    value: str
    token: str | None = None


@dataclass(frozen=True)
class Upload:
    """A file sent in the chat (photo, document, voice, video)."""

    attachment: Attachment


@dataclass(frozen=True)
class DueReminder:
    """The clock says reminder `key` is due; the engine decides whether it still applies."""

    key: str


@dataclass(frozen=True)
class UndeliveredReminder:
    """The channel could not deliver reminder `key`: it becomes due again."""

    key: str


Input = Text | Choice | Upload | DueReminder | UndeliveredReminder


# ---- replies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """Something the user can pick: `value` goes back in a Choice, `label` is shown."""

    value: str
    label: str


@dataclass(frozen=True)
class Document:
    """A text file to hand over (the whole draft), for channels that can send files."""

    filename: str
    content: str


Part = Literal["message", "question", "draft"]


@dataclass(frozen=True)
class Reply:
    """One message to send. Channels show `options` as buttons or a numbered list."""

    text: str
    options: tuple[Option, ...] = ()
    token: str | None = None
    part: Part = "message"
    # Short values a channel may offer to copy one by one: (label, value).
    copyable: tuple[tuple[str, str], ...] = ()
    document: Document | None = None
    section: str = ""  # for draft parts: fields, text, full_text, evidence, check, ...


@dataclass(frozen=True)
class Outcome:
    """What one step produced: the session to commit, then the replies to send."""

    session: Session
    replies: list[Reply] = field(default_factory=list)
