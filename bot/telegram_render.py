"""How engine replies look on Telegram: message texts, inline keyboards, the draft's document.

Pure functions, no network: `plan` turns the engine's replies into the messages to send, so
the layout can be tested without a Bot API. Everything goes out as plain text (no parse mode),
so whatever the user typed is shown back literally and can never turn into markup.

Keyboards are built as the Bot API's own JSON (`Keyboard`), not as python-telegram-bot
objects: they are stored in the outbox and sent as they are, so every reply is spared building
the objects, turning them into JSON for the outbox, and back into objects to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from telegram import InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from flows.catalog import Catalog
from flows.model import Choice, DraftSheet, FormRow, Reply

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH  # 4096
MAX_CAPTION = MessageLimit.CAPTION_LENGTH  # 1024
MAX_CALLBACK_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64
MAX_COPY_TEXT = InlineKeyboardButtonLimit.MAX_COPY_TEXT  # 256
SEPARATOR = "|"  # callback data is "<token>|<option value>"; the token may be empty

# An InlineKeyboardMarkup as the Bot API's JSON: {"inline_keyboard": [[button, ...], ...]},
# each button {"text": ..., "callback_data": ...} or {"text": ..., "copy_text": {"text": ...}}.
Keyboard = dict[str, Any]
Button = dict[str, Any]


@dataclass(frozen=True)
class OutText:
    """One sendMessage."""

    text: str
    markup: Keyboard | None = None
    # Option values on the keyboard (without tokens), to recognise the same question again.
    values: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OutDocument:
    """One sendDocument: a text file built in memory, its caption and buttons."""

    filename: str
    content: bytes
    caption: str = ""
    markup: Keyboard | None = None
    values: frozenset[str] = frozenset()


Outgoing = OutText | OutDocument


# ---- callback data ------------------------------------------------------------------------


def callback_data(token: str | None, value: str) -> str | None:
    """`"<token>|<value>"`, or None when it would not fit Telegram's 64 bytes."""
    data = f"{token or ''}{SEPARATOR}{value}"
    return data if len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES else None


def read_callback(data: str | None) -> Choice | None:
    """The Choice a pressed button stands for; None for data this bot never made."""
    if not data or SEPARATOR not in data:
        return None
    token, _, value = data.partition(SEPARATOR)
    if not value:
        return None
    return Choice(value, token or None)


def keyboard_values(markup: InlineKeyboardMarkup | None) -> frozenset[str]:
    """The option values behind the buttons of a message Telegram sent back (a pressed one),
    copy buttons and foreign data ignored."""
    if markup is None:
        return frozenset()
    values = set()
    for row in markup.inline_keyboard:
        for button in row:
            choice = read_callback(button.callback_data if isinstance(
                button.callback_data, str) else None)
            if choice is not None:
                values.add(choice.value)
    return frozenset(values)


# ---- texts --------------------------------------------------------------------------------


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraphs, else lines, else anywhere."""
    text = text.strip("\n")
    if len(text) <= limit:
        return [text] if text.strip() else []
    for separator in ("\n\n", "\n"):
        cut = text.rfind(separator, 0, limit + 1)
        if cut > 0:
            return [text[:cut].rstrip(), *split_text(text[cut + len(separator):], limit)]
    return [text[:limit], *split_text(text[limit:], limit)]


# ---- keyboards ----------------------------------------------------------------------------


def _columns(labels: list[str]) -> int:
    """Short labels (the 16 districts, themes) sit four to a row; long ones get a row each."""
    longest = max((len(label) for label in labels), default=0)
    if longest <= 5:
        return 4
    if longest <= 9:
        return 2
    return 1


def _rows(buttons: list[Button]) -> list[list[Button]]:
    width = _columns([button["text"] for button in buttons])
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


def option_buttons(reply: Reply) -> list[Button]:
    buttons = []
    for option in reply.options:
        data = callback_data(reply.token, option.value)
        if data is not None:  # an option too long for a button can still be typed
            buttons.append({"text": option.label, "callback_data": data})
    return buttons


def copy_buttons(rows: tuple[FormRow, ...], catalog: Catalog) -> list[Button]:
    """One "copy" button per short form field; Telegram copies the value to the clipboard."""
    buttons = []
    for row in rows:
        if row.value.strip() and len(row.value) <= MAX_COPY_TEXT:
            buttons.append({"text": catalog.text("telegram.copy_button", label=row.label),
                            "copy_text": {"text": row.value}})
    return buttons


def markup_for(reply: Reply, catalog: Catalog, copy_rows: tuple[FormRow, ...] = ()
               ) -> Keyboard | None:
    rows = _rows(copy_buttons(copy_rows, catalog)) + _rows(option_buttons(reply))
    return {"inline_keyboard": rows} if rows else None


# ---- a whole answer -----------------------------------------------------------------------


def plan(replies: list[Reply], catalog: Catalog) -> list[Outgoing]:
    """The messages for one turn, in order. Every message counts against the bot's sending
    limit, so what the engine says before a question (a note, advice) goes into the
    question's message when it fits."""
    out: list[Outgoing] = []
    for reply in _joined(replies):
        if reply.sheet is not None:
            out += _draft_messages(reply, reply.sheet, catalog)
            continue
        pieces = split_text(reply.text) or ([reply.text] if reply.text else [])
        markup = markup_for(reply, catalog)
        values = frozenset(option.value for option in reply.options)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            out.append(OutText(piece, markup if last else None, values if last else frozenset()))
    return out


def _joined(replies: list[Reply]) -> list[Reply]:
    """Replies without buttons joined to the reply after them, within one message's length."""
    joined: list[Reply] = []
    for reply in replies:
        before = joined[-1] if joined else None
        if (before is not None and not before.options and before.sheet is None
                and len(before.text) + len(reply.text) + 2 <= MAX_MESSAGE):
            joined[-1] = msgspec.structs.replace(reply, text=f"{before.text}\n\n{reply.text}".strip("\n"))
        else:
            joined.append(reply)
    return joined


def _draft_messages(reply: Reply, sheet: DraftSheet, catalog: Catalog) -> list[Outgoing]:
    """The finished draft in three messages, since every message counts against the bot's
    sending limit: (1) the form rows, each with a copy button, then the rest (full text,
    evidence, checks, advice, next steps) ending with the complaint text's title; (2) the
    complaint text alone, so a long press copies exactly what goes into 12315's text box;
    (3) the .txt file, its caption the fraud warning, which so stays last, with the menu's
    buttons. A message over Telegram's length is split at paragraphs."""
    text = sheet.section("text")
    fraud = sheet.section("fraud")
    caption = fraud.body if fraud is not None and len(fraud.body) <= MAX_CAPTION else ""
    rest = [section for section in sheet.sections
            if section.key != "text" and not (caption and section.key == "fraud")]
    lines = [reply.text, "", sheet.title,
             *(catalog.text("draft.field_line", label=row.label, value=row.value)
               for row in sheet.rows)]
    lines += ["", "\n\n".join("\n".join(filter(None, (s.title, s.body))) for s in rest)]
    if text is not None:
        lines += ["", text.title]
    first = split_text("\n".join(lines))
    copy_markup = markup_for(Reply(""), catalog, sheet.rows)
    # The copy buttons go with the piece that lists the rows: the first.
    out: list[Outgoing] = [OutText(piece, copy_markup if index == 0 else None)
                           for index, piece in enumerate(first)]
    if text is not None:
        out += [OutText(piece) for piece in split_text(text.body)]
    out.append(OutDocument(sheet.document.filename, sheet.document.content.encode("utf-8"),
                           caption or catalog.text("telegram.document_caption")[:MAX_CAPTION],
                           markup_for(reply, catalog),
                           frozenset(option.value for option in reply.options)))
    return out
