"""The data the engine reads and returns: a user's session, their drafts, inputs and replies.

Sessions and drafts are msgspec Structs so the shell can store them as JSON and read them
back exactly (typed, fast to decode and cheap to build); inputs and replies are frozen
Structs no channel type leaks into (a Struct class is also far quicker to define than a
dataclass, which the chat's start pays for). Structs do not validate when constructed: the
engine builds them from values of the right types, and only decoding (`decode_*`) checks.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

import msgspec


class Attachment(msgspec.Struct, kw_only=True):
    """A file the user sent as evidence, as the channel identifies it."""

    kind: str  # photo | document | voice | audio | video
    file_id: str
    name: str = ""
    size: int | None = None
    mime: str = ""


CaseState = Literal[
    "submitted", "accepted", "rejected", "mediating", "mediated", "mediation_failed", "closed"]


class CaseEvent(msgspec.Struct, kw_only=True):
    """One change of a filed case's state, on the day the user says it happened."""

    state: CaseState
    on: date
    note: str = ""
    recorded_at: datetime


class Case(msgspec.Struct, kw_only=True):
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


class Draft(msgspec.Struct, kw_only=True):
    """One complaint or report being written: answers by field name, as JSON-ready values."""

    number: int
    created_at: datetime
    updated_at: datetime
    finished: bool = False
    answers: dict[str, Any] = {}
    skipped: list[str] = []
    later: list[str] = []  # required questions put off until the others are answered
    # Read from the user's own account, waiting to be confirmed: field name → value.
    suggestions: dict[str, Any] = {}
    theme_ranking: list[dict[str, Any]] = []
    theme_shortlist: list[str] = []  # the themes worth offering first
    # Suggestions the analyzer is sure of: one tap or a "对" takes them. Others must be picked.
    sure: list[str] = []
    referral: dict[str, Any] | None = None
    attachments: list[Attachment] = []
    case: Case | None = None
    advice_shown: list[str] = []  # catalog keys of advice already said
    # The day the account was written: its relative dates (前天, 上个月) count from it.
    account_date: date | None = None

    def answer(self, name: str, default: Any = None) -> Any:
        return self.answers.get(name, default)


class Pending(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An answer held back until the user confirms it despite a warning."""

    field: str
    value: Any
    warning: str  # catalog key of the warning shown
    # the warning's own parameters ({limit}): shown again after a restart or a stray message
    params: dict[str, Any] = {}


class CaseEdit(msgspec.Struct, kw_only=True):
    """A change to a filed case being collected question by question."""

    draft: int
    action: Literal["submit", "move", "number", "card"]
    target: CaseState | None = None  # the state a "move" goes to
    number: str | None = None
    on: date | None = None


# ---- where the conversation stands: one typed state per dialog mode ------------------------


class DialogMode(msgspec.Struct, kw_only=True, tag_field="mode"):
    """A dialog state, stored with its `mode` tag ("asking", "confirm", ...) first."""

    @property
    def mode(self) -> str:
        return str(self.__struct_config__.tag)


class Idle(DialogMode, tag="idle"):
    """Nothing asked: the menu is showing."""


class Asking(DialogMode, tag="asking"):
    """A question of the interview is open."""

    field: str
    picked: list[str] = []  # ticked so far, in a multi-select
    pending: Pending | None = None  # an answer waiting for keep/change
    back_to_summary: bool = False  # asked from the edit summary: go back there after
    clarifying: Clarifying | None = None  # a follow-up question before taking the answer


class Clarifying(msgspec.Struct, kw_only=True):
    """"Is 海淀 your home or the business's district?": the question (catalog key and its
    parameters), the values it offers, and the "none of these" option's label key if any."""

    question: str
    params: dict[str, Any] = {}
    values: list[str]
    none_label: str | None = None


class Reviewing(DialogMode, tag="summary", omit_defaults=True):
    """The edit summary is showing: pick an answer to change."""

    # only "what next" is showing, after a change: shown again as it was (its buttons'
    # numbers are the ones the user last saw), not the whole list. Not stored while false,
    # so a session stored before it is written back as it was.
    after_change: bool = False
    # "你想改的是哪一项？" is showing: the fields it offers, so that after a restart it is
    # shown again and its "2" is its own second option, not answer 2 of the whole list
    which: list[str] = []


class ActionQuestion(msgspec.Struct, kw_only=True, tag_field="what"):
    """A yes/no question about an action, stored with its `what` tag first."""

    @property
    def what(self) -> str:
        return str(self.__struct_config__.tag)


class ScopeWarning(ActionQuestion, tag="scope"):
    """Go on although the matter may belong to another body?"""

    back_to_summary: bool = False


class RestartDraft(ActionQuestion, tag="restart"):
    pass


class DeleteDraft(ActionQuestion, tag="delete"):
    draft: int


class UndoCaseChange(ActionQuestion, tag="undo"):
    draft: int


class ForgetMe(ActionQuestion, tag="forget"):
    """Delete everything kept about this user?"""


Question = ScopeWarning | RestartDraft | DeleteDraft | UndoCaseChange | ForgetMe


class Confirming(DialogMode, tag="confirm"):
    """A yes/no question about an action is open."""

    question: Question


class DraftMenu(DialogMode, tag="done"):
    """A finished draft was shown; its menu (file it, edit, new, list) is open."""


class CaseChange(DialogMode, tag="case"):
    """A change to a filed case is being collected (case number, date, note) or its card
    is showing (`step` "card")."""

    edit: CaseEdit
    step: str = "card"
    pending: Pending | None = None


DialogState = Idle | Asking | Reviewing | Confirming | DraftMenu | CaseChange


class Offered(msgspec.Struct, kw_only=True):
    """The options of the last message that had any, so that a reply of "2" or of an
    option's words picks it on every channel, text-only ones included."""

    values: list[str] = []
    labels: list[str] = []
    token: str | None = None


class Dialog(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Where the conversation stands: the open state, what came before, what was offered.
    Unknown fields are refused so that a dialog stored before typed states (a flat `mode`)
    is not read as an idle one; `decode_dialog` migrates those and ignores other extras."""

    state: DialogState = msgspec.field(default_factory=Idle)
    history: list[str] = []
    turn: int = 0  # grows with each question, so buttons of old questions can be recognised
    offered: Offered = msgspec.field(default_factory=Offered)


def _legacy_dialog(data: dict[str, Any]) -> dict[str, Any]:
    """Sessions stored before the dialog had typed states kept a flat `mode`."""
    return {"state": _legacy_state(data), "history": data.get("history", []),
            "turn": data.get("turn", 0)}


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


class Reminders(msgspec.Struct, kw_only=True):
    """The user's reminder switch and the reminders already sent (never sent twice)."""

    on: bool = True
    sent: list[str] = []


class Session(msgspec.Struct, kw_only=True):
    """Everything kept for one user; the shell loads it, the engine returns a new one."""

    user_id: str
    drafts: dict[int, Draft] = {}
    next_number: int = 1
    active: int | None = None
    dialog: Dialog = msgspec.field(default_factory=Dialog)
    profile: dict[str, str] | None = None  # the complainant's last name, phone, address
    reminders: Reminders = msgspec.field(default_factory=Reminders)

    def working_copy(self) -> Session:
        """A deep copy for one step to change, sharing nothing mutable with this session:
        rebuilt by msgspec from its plain values, about 12× cheaper than `copy.deepcopy` and
        cheaper than a JSON or MessagePack round trip (bench/step_cost.py)."""
        return msgspec.convert(msgspec.to_builtins(self), Session)

    def active_draft(self) -> Draft | None:
        return self.drafts.get(self.active) if self.active is not None else None

    def latest_unfinished(self) -> Draft | None:
        """The unfinished draft touched last: the one "continue" means."""
        unfinished = [d for d in self.drafts.values() if not d.finished]
        return max(unfinished, key=lambda d: (d.updated_at, d.number)) if unfinished else None


# ---- stored form: JSON text, as the storage keeps it ----------------------------------------

_ENCODER = msgspec.json.Encoder()
_DRAFT_DECODER = msgspec.json.Decoder(Draft)
_DIALOG_DECODER = msgspec.json.Decoder(Dialog)
_REMINDERS_DECODER = msgspec.json.Decoder(Reminders)


def to_json(value: msgspec.Struct) -> str:
    """A session's part as the JSON text stored for it (fields in declaration order, tags first)."""
    return _ENCODER.encode(value).decode("utf-8")


def decode_draft(text: str | bytes) -> Draft:
    """A stored draft; unreadable data raises msgspec.ValidationError (a ValueError) that
    says what was stored and where it is wrong."""
    try:
        return _DRAFT_DECODER.decode(text)
    except msgspec.ValidationError as error:
        raise _unreadable("draft", error) from None


def decode_reminders(text: str | bytes) -> Reminders:
    try:
        return _REMINDERS_DECODER.decode(text)
    except msgspec.ValidationError as error:
        raise _unreadable("reminders", error) from None


def decode_dialog(text: str | bytes) -> Dialog:
    """A stored dialog: typed at once, or, stored before the dialog had typed states (a flat
    `mode`), migrated first; other fields it does not know are ignored."""
    try:
        return _DIALOG_DECODER.decode(text)
    except msgspec.ValidationError as error:
        data = msgspec.json.decode(text)
        if not isinstance(data, dict):
            raise _unreadable("dialog", error) from None
    if "mode" in data and "state" not in data:
        data = _legacy_dialog(data)
    known = Dialog.__struct_fields__
    try:
        return msgspec.convert({name: value for name, value in data.items() if name in known},
                               Dialog)
    except msgspec.ValidationError as error:
        raise _unreadable("dialog", error) from None


def _unreadable(what: str, error: msgspec.ValidationError) -> msgspec.ValidationError:
    return msgspec.ValidationError(f"stored {what} is unreadable: {error}")


# ---- inputs -------------------------------------------------------------------------------


class Text(msgspec.Struct, frozen=True):
    """Anything typed; slash commands and command words are recognised by the engine."""

    text: str


class Choice(msgspec.Struct, frozen=True):
    """An option picked (a button pressed). `token` names the question it belonged to."""

    value: str
    token: str | None = None


class Upload(msgspec.Struct, frozen=True):
    """A file sent in the chat (photo, document, voice, video)."""

    attachment: Attachment


class DueReminder(msgspec.Struct, frozen=True):
    """The clock says reminder `key` is due; the engine decides whether it still applies."""

    key: str


class UndeliveredReminder(msgspec.Struct, frozen=True):
    """The channel could not deliver reminder `key`: it becomes due again."""

    key: str


Input = Text | Choice | Upload | DueReminder | UndeliveredReminder


# ---- replies ------------------------------------------------------------------------------


class Option(msgspec.Struct, frozen=True):
    """Something the user can pick: `value` goes back in a Choice, `label` is shown."""

    value: str
    label: str


class Document(msgspec.Struct, frozen=True):
    """A text file to hand over (the whole draft), for channels that can send files."""

    filename: str
    content: str


class FormRow(msgspec.Struct, frozen=True):
    """One row of the 12315 form: what to paste into the box labelled `label`."""

    label: str
    value: str


class Section(msgspec.Struct, frozen=True):
    """A part of the finished draft: `key` says which (text, full_text, evidence, check,
    warnings, next_steps, fraud); `title` is its heading, `body` the text under it."""

    key: str
    title: str
    body: str


class DraftSheet(msgspec.Struct, frozen=True):
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


class Reply(msgspec.Struct, frozen=True):
    """One thing to say. Channels show `options` as buttons or a numbered list; a reply with
    a `sheet` is the finished draft, `text` then being its introduction."""

    text: str
    options: tuple[Option, ...] = ()
    token: str | None = None
    part: Part = "message"
    sheet: DraftSheet | None = None


class Outcome(msgspec.Struct, frozen=True):
    """What one step produced: the session to commit, then the replies to send."""

    session: Session
    replies: list[Reply] = msgspec.field(default_factory=list)
    # The user confirmed /forget: the shell deletes every row of theirs with this commit.
    forget: bool = False
