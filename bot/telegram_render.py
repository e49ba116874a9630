"""How engine replies look on Telegram: message texts, inline keyboards, the draft's document.

Pure functions, no network: `plan` turns the engine's replies into the messages to send, so
the layout can be tested without a Bot API. Everything goes out as plain text (no parse mode),
so whatever the user typed is shown back literally and can never turn into markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from flows.catalog import Catalog
from flows.model import Choice, Reply

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH  # 4096
MAX_CAPTION = MessageLimit.CAPTION_LENGTH  # 1024
MAX_CALLBACK_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64
MAX_COPY_TEXT = InlineKeyboardButtonLimit.MAX_COPY_TEXT  # 256
SEPARATOR = "|"  # callback data is "<token>|<option value>"; the token may be empty
# Sections whose first line is a title and the rest a text to paste elsewhere in one go.
PASTE_SECTIONS = ("text", "full_text")


@dataclass(frozen=True)
class OutText:
    """One sendMessage."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    # Option values on the keyboard (without tokens), to recognise the same question again.
    values: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OutDocument:
    """One sendDocument: a text file built in memory."""

    filename: str
    content: bytes
    caption: str = ""


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
    """The option values behind a message's buttons (copy buttons and foreign data ignored)."""
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


def _rows(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    width = _columns([button.text for button in buttons])
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


def option_buttons(reply: Reply) -> list[InlineKeyboardButton]:
    buttons = []
    for option in reply.options:
        data = callback_data(reply.token, option.value)
        if data is not None:  # an option too long for a button can still be typed
            buttons.append(InlineKeyboardButton(option.label, callback_data=data))
    return buttons


def copy_buttons(reply: Reply, catalog: Catalog) -> list[InlineKeyboardButton]:
    """One "copy" button per short form field; Telegram copies the value to the clipboard."""
    buttons = []
    for label, value in reply.copyable:
        if value.strip() and len(value) <= MAX_COPY_TEXT:
            buttons.append(InlineKeyboardButton(
                catalog.text("telegram.copy_button", label=label),
                copy_text=CopyTextButton(value)))
    return buttons


def markup_for(reply: Reply, catalog: Catalog) -> InlineKeyboardMarkup | None:
    rows = _rows(copy_buttons(reply, catalog)) + _rows(option_buttons(reply))
    return InlineKeyboardMarkup(rows) if rows else None


# ---- a whole answer -----------------------------------------------------------------------


def plan(replies: list[Reply], catalog: Catalog) -> list[Outgoing]:
    """The messages for one turn, in order. The draft's document goes out right after the
    next-steps part, so the fraud warning (the engine's last part) stays the last message."""
    out: list[Outgoing] = []
    for reply in replies:
        pieces = _pieces(reply)
        markup = markup_for(reply, catalog)
        values = frozenset(option.value for option in reply.options)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            out.append(OutText(piece, markup if last else None, values if last else frozenset()))
        if reply.document is not None:
            out.append(OutDocument(reply.document.filename,
                                   reply.document.content.encode("utf-8"),
                                   catalog.text("telegram.document_caption")[:MAX_CAPTION]))
    return out


def _pieces(reply: Reply) -> list[str]:
    """The reply's text as messages; the complaint text is sent on its own, so a long press
    copies exactly what goes into 12315's text box."""
    if reply.part == "draft" and reply.section in PASTE_SECTIONS and "\n" in reply.text:
        title, _, body = reply.text.partition("\n")
        return split_text(title) + split_text(body)
    pieces = split_text(reply.text)
    return pieces or ([reply.text] if reply.text else [])
