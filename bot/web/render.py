"""The one place that reads the engine's replies and session for the web page.

Everything else in the web channel works with the plain, JSON-ready views made here:
- `bubbles(replies, draft_number)`: one exchange as chat bubbles (dicts, stored as they are);
  the finished draft's parts fold into one card that links to its own page;
- `draft_view(sheet)`: the draft page, built from the engine's `DraftSheet` (form rows,
  sections in reading order, the .txt document);
- `where(session)`: the progress through the interview, the question asked, the files sent.

Only this module knows the shape of the engine's replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flows import draft as drafting
from flows.catalog import Catalog
from flows.fields import needed_fields
from flows.model import Asking, DraftSheet, Reply, Session

# Sections whose first line is a title and the rest a text pasted into 12315 in one piece.
PASTE_SECTIONS = ("text", "full_text")
FRAUD_SECTION = "fraud"
SHORT_LABEL = 5


# ---- the chat ----------------------------------------------------------------------------


def bubbles(replies: Sequence[Reply], draft_number: int | None) -> list[dict[str, Any]]:
    """One exchange's replies as bubbles. The finished draft becomes one card (the draft itself
    is read on its page); the card keeps the fraud warning and the buttons after the draft."""
    out: list[dict[str, Any]] = []
    for reply in replies:
        if reply.sheet is not None:
            fraud = reply.sheet.section(FRAUD_SECTION)
            out.append({"kind": "draft", "text": reply.text, "draft": reply.sheet.number,
                        "fraud": fraud.body if fraud else "", "options": _options(reply),
                        "token": reply.token})
            continue
        out.append({"kind": reply.part, "text": reply.text, "options": _options(reply),
                    "token": reply.token})
    return out


def _options(reply: Reply) -> list[list[str]]:
    return [[option.value, option.label] for option in reply.options]


def is_short(label: str) -> bool:
    """Short labels (the 16 districts, themes) share a row; long ones get a row each."""
    return len(label) <= SHORT_LABEL


def user_bubble(text: str) -> dict[str, Any]:
    return {"kind": "user", "text": text, "options": [], "token": None}


# ---- the draft page ----------------------------------------------------------------------


@dataclass(frozen=True)
class PasteText:
    """A text to paste in one piece, with its length (12315's box takes 400 characters)."""

    section: str
    title: str
    body: str

    @property
    def count(self) -> int:
        return len(self.body)


@dataclass(frozen=True)
class Block:
    section: str
    title: str
    lines: tuple[str, ...]


@dataclass
class DraftView:
    title: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    texts: list[PasteText] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # evidence, check, warnings, next steps
    fraud: str = ""  # always shown last
    document_name: str = ""
    document: str = ""


@dataclass(frozen=True)
class DraftPage:
    """What the draft page needs to know of one of the user's drafts."""

    number: int
    finished: bool
    filed: bool  # recorded as submitted to 12315: its follow-up is the case, not filing
    view: DraftView | None  # only for a finished draft


def draft_page(session: Session, number: int, catalog: Catalog, today: date) -> DraftPage | None:
    """The user's own draft `number`, or None: a draft is only ever looked up in its owner's
    session, so another user's number finds nothing."""
    draft = session.drafts.get(number)
    if draft is None:
        return None
    view = draft_view(drafting.render(draft, catalog, today)) if draft.finished else None
    return DraftPage(number, draft.finished, draft.case is not None, view)


def draft_view(sheet: DraftSheet) -> DraftView:
    view = DraftView(title=sheet.title, fields=[(row.label, row.value) for row in sheet.rows],
                     document_name=sheet.document.filename, document=sheet.document.content)
    for section in sheet.sections:
        if section.key in PASTE_SECTIONS:
            view.texts.append(PasteText(section.key, section.title, section.body.strip("\n")))
        elif section.key == FRAUD_SECTION:
            view.fraud = section.body
        else:
            view.blocks.append(Block(section.key, section.title, tuple(
                line for line in section.body.split("\n") if line.strip())))
    return view


# ---- where the user stands ---------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    question: str | None = None  # the field being asked, for tests and styling
    position: int = 0  # 1-based number of the question being asked
    total: int = 0  # questions this draft needs as far as is known now (grows or shrinks)
    draft: int | None = None
    files: int = 0  # evidence files already recorded in the active draft
    finished: bool = False


def where(session: Session) -> Where:
    draft = session.active_draft()
    if draft is None:
        return Where()
    state = session.dialog.state
    asking = state.field if isinstance(state, Asking) else None
    needed = [spec for spec in needed_fields(draft) if spec.in_summary]
    position = total = 0
    if asking is not None:
        done = sum(1 for spec in needed
                   if spec.name != asking and (spec.name in draft.answers
                                               or spec.name in draft.skipped))
        position, total = done + 1, max(len(needed), done + 1)
    return Where(question=asking, position=position, total=total, draft=draft.number,
                 files=len(draft.attachments), finished=draft.finished)
