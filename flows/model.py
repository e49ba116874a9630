"""The data the engine reads and returns: a user's session, their drafts, inputs and replies.

Sessions and drafts are pydantic models so the shell can store them as JSON and read them
back exactly; inputs and replies are plain frozen dataclasses no channel type leaks into.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator


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
    theme_shortlist: list[str] = Field(default_factory=list)  # the themes worth offering first
    # Suggestions the analyzer is sure of: one tap or a "对" takes them. Others must be picked.
    sure: list[str] = Field(default_factory=list)
    referral: dict[str, Any] | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    case: Case | None = None
    advice_shown: list[str] = Field(default_factory=list)  # catalog keys of advice already said
    # The day the account was written: its relative dates (前天, 上个月) count from it.
    account_date: date | None = None

    def answer(self, name: str, default: Any = None) -> Any:
        return self.answers.get(name, default)


class Pending(BaseModel):
    """An answer held back until the user confirms it despite a warning."""

    field: str
    value: Any
    warning: str  # catalog key of the warning shown


class CaseEdit(BaseModel):
    """A change to a filed case being collected question by question."""

    draft: int
    action: Literal["submit", "move", "number", "card"]
    target: CaseState | None = None  # the state a "move" goes to
    number: str | None = None
    on: date | None = None


# ---- where the conversation stands: one typed state per dialog mode ------------------------


class Idle(BaseModel):
    """Nothing asked: the menu is showing."""

    mode: Literal["idle"] = "idle"


class Asking(BaseModel):
    """A question of the interview is open."""

    mode: Literal["asking"] = "asking"
    field: str
    picked: list[str] = Field(default_factory=list)  # ticked so far, in a multi-select
    pending: Pending | None = None  # an answer waiting for keep/change
    back_to_summary: bool = False  # asked from the edit summary: go back there after
    clarifying: Clarifying | None = None  # a follow-up question before taking the answer


class Clarifying(BaseModel):
    """"Is 海淀 your home or the business's district?": the question (catalog key and its
    parameters), the values it offers, and the "none of these" option's label key if any."""

    question: str
    params: dict[str, Any] = Field(default_factory=dict)
    values: list[str]
    none_label: str | None = None


class Reviewing(BaseModel):
    """The edit summary is showing: pick an answer to change."""

    mode: Literal["summary"] = "summary"


class ScopeWarning(BaseModel):
    """Go on although the matter may belong to another body?"""

    what: Literal["scope"] = "scope"
    back_to_summary: bool = False


class RestartDraft(BaseModel):
    what: Literal["restart"] = "restart"


class DeleteDraft(BaseModel):
    what: Literal["delete"] = "delete"
    draft: int


class UndoCaseChange(BaseModel):
    what: Literal["undo"] = "undo"
    draft: int


class ForgetMe(BaseModel):
    """Delete everything kept about this user?"""

    what: Literal["forget"] = "forget"


Question = Annotated[ScopeWarning | RestartDraft | DeleteDraft | UndoCaseChange | ForgetMe,
                     Field(discriminator="what")]


class Confirming(BaseModel):
    """A yes/no question about an action is open."""

    mode: Literal["confirm"] = "confirm"
    question: Question


class DraftMenu(BaseModel):
    """A finished draft was shown; its menu (file it, edit, new, list) is open."""

    mode: Literal["done"] = "done"


class CaseChange(BaseModel):
    """A change to a filed case is being collected (case number, date, note) or its card
    is showing (`step` "card")."""

    mode: Literal["case"] = "case"
    edit: CaseEdit
    step: str = "card"
    pending: Pending | None = None


DialogState = Annotated[Idle | Asking | Reviewing | Confirming | DraftMenu | CaseChange,
                        Field(discriminator="mode")]


class Offered(BaseModel):
    """The options of the last message that had any, so that a reply of "2" or of an
    option's words picks it on every channel, text-only ones included."""

    values: list[str] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    token: str | None = None


class Dialog(BaseModel):
    """Where the conversation stands: the open state, what came before, what was offered."""

    state: DialogState = Field(default_factory=Idle)
    history: list[str] = Field(default_factory=list)
    turn: int = 0  # grows with each question, so buttons of old questions can be recognised
    offered: Offered = Field(default_factory=Offered)

    @model_validator(mode="before")
    @classmethod
    def _from_before_typed_states(cls, data: Any) -> Any:
        """Sessions stored before the dialog had typed states kept a flat `mode`."""
        if isinstance(data, dict) and "mode" in data and "state" not in data:
            return {"state": _legacy_state(data), "history": data.get("history", []),
                    "turn": data.get("turn", 0)}
        return data


def _legacy_state(data: dict[str, Any]) -> dict[str, Any]:
    mode, field = data.get("mode"), data.get("field")
    if mode == "asking" and field:
        return {"mode": "asking", "field": field, "picked": data.get("picked") or [],
                "pending": data.get("pending"),
                "back_to_summary": bool(data.get("back_to_summary"))}
    if mode == "summary":
        return {"mode": "summary"}
    if mode == "done":
        return {"mode": "done"}
    if mode == "case" and data.get("case_edit"):
        return {"mode": "case", "edit": data["case_edit"], "step": field or "card",
                "pending": data.get("pending")}
    if mode == "confirm" and data.get("confirm_action"):
        action = str(data["confirm_action"]).split("|")[0]
        name, _, number = action.partition(":")
        if name in ("scope", "restart"):
            return {"mode": "confirm", "question": {"what": name}}
        if name in ("delete", "undo") and number.isdigit():
            return {"mode": "confirm", "question": {"what": name, "draft": int(number)}}
    return {"mode": "idle"}


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

    def working_copy(self) -> Session:
        """A deep copy for one step to change, sharing nothing mutable with this session.
        Rebuilt from a plain dump: about 3× cheaper than `model_copy(deep=True)`, which
        deep-copies every nested value one by one (bench/step_cost.py)."""
        return Session.model_validate(self.model_dump())

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


@dataclass(frozen=True)
class FormRow:
    """One row of the 12315 form: what to paste into the box labelled `label`."""

    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A part of the finished draft: `key` says which (text, full_text, evidence, check,
    warnings, next_steps, fraud); `title` is its heading, `body` the text under it."""

    key: str
    title: str
    body: str


@dataclass(frozen=True)
class DraftSheet:
    """The finished draft as structure, so each channel lays it out within its own limits:
    the form rows, then the sections in reading order (the fraud warning always last), and
    the whole as a text file."""

    number: int
    title: str
    rows: tuple[FormRow, ...]
    sections: tuple[Section, ...]
    document: Document

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)


Part = Literal["message", "question", "draft"]


@dataclass(frozen=True)
class Reply:
    """One thing to say. Channels show `options` as buttons or a numbered list; a reply with
    a `sheet` is the finished draft, `text` then being its introduction."""

    text: str
    options: tuple[Option, ...] = ()
    token: str | None = None
    part: Part = "message"
    sheet: DraftSheet | None = None


@dataclass(frozen=True)
class Outcome:
    """What one step produced: the session to commit, then the replies to send."""

    session: Session
    replies: list[Reply] = field(default_factory=list)
    # The user confirmed /forget: the shell deletes every row of theirs with this commit.
    forget: bool = False
