"""The engine's replies as WeChat text, and long texts cut into parts that fit one message.

Pure functions. A passive text reply holds at most 2048 bytes of UTF-8 (about 680 Chinese
characters), so a longer answer — the finished draft always is — is cut at paragraph ends,
else at sentence ends, else (a single run-on sentence) at a character; every part but the
last ends with a line saying how to see the next one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from flows.catalog import Catalog
from flows.draft import sheet_text
from flows.model import Reply

MAX_BYTES = 2048  # WeChat's limit on a text message's Content
# A sentence ends after one of these (kept with the sentence), or at a line break.
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def reply_text(replies: Sequence[Reply], catalog: Catalog,
               link_for: Callable[[int], str | None] | None = None) -> str:
    """One message's worth of replies as plain text: options as numbered lines (the engine
    reads the number back), the finished draft in full, with its page's link when there is one."""
    blocks: list[str] = []
    for reply in replies:
        parts = [reply.text] if reply.text else []
        if reply.sheet is not None:
            link = link_for(reply.sheet.number) if link_for is not None else None
            parts += [link] if link else []
            parts.append(sheet_text(reply.sheet, catalog))
        text = "\n\n".join(parts)
        options = [f"  {index}. {option.label}" for index, option in enumerate(reply.options, 1)]
        if text or options:
            blocks.append("\n".join(filter(None, [text, *options])))
    return "\n\n".join(blocks)


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def paginate(text: str, footer: Callable[[int, int], str], limit: int = MAX_BYTES) -> list[str]:
    """`text` as parts of at most `limit` bytes each; `footer(n, total)` is appended to every
    part but the last (e.g. "（第 1/3 段，回复 1 看下一段）"). Blocks (separated by a blank
    line: the draft's sections) stay whole when they fit a part of their own."""
    if size(text) <= limit:
        return [text]
    budget = limit - size(footer(99, 99)) - 2
    if budget < 16:
        raise ValueError("the footer leaves no room for text")
    bodies: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        candidate = f"{current}\n\n{block}" if current else block
        if size(candidate) <= budget:
            current = candidate
            continue
        if current:
            bodies.append(current)
        if size(block) <= budget:
            current = block
        else:  # a block longer than a part: its lines fill parts, the rest carries on
            *full, current = _pack(_pieces(block, budget), budget)
            bodies += full
    if current.strip():
        bodies.append(current)
    total = len(bodies)
    return [body if number == total else f"{body}\n\n{footer(number, total)}"
            for number, body in enumerate(bodies, start=1)]


def _pieces(text: str, budget: int) -> list[tuple[str, str]]:
    """(joiner, piece) in order: paragraphs, split into sentences or cut where too long; the
    joiner is what stood before the piece in the text ("\\n" or "")."""
    out: list[tuple[str, str]] = []
    for index, paragraph in enumerate(text.split("\n")):
        joiner = "\n" if index else ""
        if size(paragraph) <= budget:
            out.append((joiner, paragraph))
            continue
        for number, sentence in enumerate(filter(None, SENTENCE_END.split(paragraph))):
            for cut_number, cut in enumerate(_cut(sentence, budget)):
                out.append((joiner if number == 0 and cut_number == 0 else "", cut))
    return out


def _cut(sentence: str, budget: int) -> list[str]:
    """A sentence longer than the budget, cut at character boundaries."""
    cuts, current = [], ""
    for char in sentence:
        if size(current + char) > budget:
            cuts.append(current)
            current = ""
        current += char
    return [*cuts, current] if current else cuts


def _pack(pieces: list[tuple[str, str]], budget: int) -> list[str]:
    """Fill each part with as many whole pieces as fit; a part never starts with a blank line."""
    parts: list[str] = []
    current = ""
    for joiner, piece in pieces:
        candidate = current + joiner + piece if current else piece
        if current and size(candidate) > budget:
            parts.append(current.rstrip("\n"))
            current = piece
        else:
            current = candidate
    if current.strip():
        parts.append(current.rstrip("\n"))
    return [part.lstrip("\n") for part in parts if part.strip()]
