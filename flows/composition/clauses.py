"""Cuts free text into sentences and clauses, and puts kept clauses back together.

Chat text marks its pauses with anything: spaces, commas, ASCII or full-width stops, runs of
"。。" or "！！！", line breaks. Everything downstream works on clauses, and writes them back
with one comma between clauses and one full stop after each sentence, so a composed text
never shows "。。" or a sentence without its end.
"""

from __future__ import annotations

import html
import re

from flows.composition.resources import ends_a_question

COMMA = "\uff0c"
FULL_STOP = "\u3002"
QUESTION_MARK = "\uff1f"
SENTENCE_ENDS = "\u3002\uff01\uff1f"

_WIDE_ALNUM = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                *range(0xFF41, 0xFF5B))}
_SENTENCE_BREAK = re.compile(r"(?:[。！？!?；;\n\r]|\.{3,}|…+|~+|(?<=[^\x00-\x7f])\.(?![A-Za-z0-9]))+")
# Emoji (with their skin tones, joiners and variation marks) and WeChat's text stickers
# ([捂脸]) stand where chat puts a pause: they break a clause and are never written.
_EMOJI = (r"(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\u20E3]"
          r"|\[[\u4e00-\u9fff]{1,4}\])+")
_CLAUSE_BREAK = re.compile(r"[，,：:]+|" + _EMOJI
                           + r"|(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")
_OPENING, _CLOSING = "（(【“", "）)】”"  # kept with the clause they open or close
_BRACKETS = 3  # the first three: a pause within them does not end a clause (quotes may run on)
_TRIM = " \t\u3000，,、：:；;。.！!？?~…—-()（）\"“”'‘’"


def narrow_alnum(text: str) -> str:
    """Full-width digits and letters (１２９９) become ASCII, HTML entities (&ldquo;) their
    characters; punctuation stays as written."""
    return html.unescape(text).translate(_WIDE_ALNUM)


def split(text: str) -> list[list[str]]:
    """Sentences, each a list of non-empty clauses. A comma in brackets does not end a clause:
    "买了3盒共4980元（现金3000元，微信转账1980元）" is one."""
    sentences = []
    for sentence in _SENTENCE_BREAK.split(narrow_alnum(text)):
        clauses = [_trimmed(c) for c in _clause_texts(sentence)]
        clauses = [c for c in clauses if c]
        if clauses:
            sentences.append(clauses)
    return sentences


def _clause_texts(sentence: str) -> list[str]:
    """The sentence cut at its pauses, except within brackets that close again (where a
    pause typed as a space is written as a comma)."""
    opening, closing = _OPENING[:_BRACKETS], _CLOSING[:_BRACKETS]
    paired = all(sentence.count(o) == sentence.count(c) for o, c in zip(opening, closing,
                                                                        strict=True))
    pieces, piece, depth, position = [], "", 0, 0
    for found in _CLAUSE_BREAK.finditer(sentence):
        before = sentence[position:found.start()]
        for char in before if paired else "":
            depth += (char in opening) - (char in closing and depth > 0)
        piece += before
        position = found.end()
        if depth == 0:
            pieces.append(piece)
            piece = ""
        else:
            piece += found.group() if found.group().strip() else COMMA
    pieces.append(piece + sentence[position:])
    return pieces


def _trimmed(clause: str) -> str:
    """The clause without the punctuation around it; a bracket it closes or opens stays
    ("微信转账1980元）" after "…（现金3000元,")."""
    text = clause.strip(_TRIM)
    for opening, closing in zip(_OPENING, _CLOSING, strict=True):
        if clause.rstrip(_TRIM.replace(closing, "")).endswith(closing) and (
                text.count(opening) > text.count(closing)):
            text += closing
        if clause.lstrip(_TRIM.replace(opening, "")).startswith(opening) and (
                text.count(closing) > text.count(opening)):
            text = opening + text
    return text


def join_clauses(clauses: list[str]) -> str:
    """One written sentence: clauses joined by commas, one full stop at the end."""
    kept = [_trimmed(c) for c in clauses]
    text = COMMA.join(c for c in kept if c)
    for opening, closing in ("（）", "()", "“”", "【】"):
        if text.count(opening) != text.count(closing):
            text = text.replace(opening, "").replace(closing, "")
    if not text:
        return ""
    # a question kept in the text is rhetorical ("难道水箱只能用5个月吗"): it keeps its mark
    return text + (QUESTION_MARK if ends_a_question(text) else FULL_STOP)


def join(sentences: list[list[str]]) -> str:
    return "".join(join_clauses(clauses) for clauses in sentences)


def sentences_of(text: str) -> list[str]:
    """A written text's sentences, each with its end mark."""
    return [s for s in re.findall(rf"[^{SENTENCE_ENDS}]+[{SENTENCE_ENDS}]*", text) if s.strip()]


def without_final_stop(text: str) -> str:
    return text.strip().strip(_TRIM)
