"""A change asked for in a reply: which answer it names and the new content it carries.

"5 北京市朝阳区…" names answer 5 of the summary; "名字写错了 应该是刘佳", "购买时间改成11月18号",
"商家名字我查到了 叫北京某某有限公司" name an answer by its label or a common way of saying it
(`edit.names.<field>` in the catalog) and bring the new content after a word that introduces it
(`edit.words.to`: 应该是/改成…, else `edit.words.is`: 是/叫, after the name) or straight after
the name ("电话 13912345678"). "门店写错了" names its answer without content.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import msgspec

from flows.catalog import Catalog
from flows.fields import FIELDS, Field
from flows.model import Draft
from flows.overview import label, summary_fields
from flows.parsing import fold
from flows.readers import SENTENCE_ENDS, looks_like_a_question, words

# "5 北京市…", "改 5 …", "第5 …": a number of the summary, then what it should now read
_NUMBERED = re.compile(r"(?:[^\d\s]{1,2}\s*)?(\d{1,2})(?:[\s.、,，:：]+(.+))?")
# a name may be listed for a second field, behind the one that has it plainly: "~店名"
FALLBACK = "~"


class ChangeRequest(msgspec.Struct, frozen=True):
    """The answers a reply names (one, or several it cannot tell apart), the new content
    ("" when none came), and whether it says an answer is wrong or is to change (错了,
    改成…): a reply at the finished draft is a change only then or with content."""

    fields: tuple[Field, ...]
    content: str = ""
    says_change: bool = False
    # all that follows the name ("钱不对 保健品一共4980 8200是住院花的": not just 住院花的)
    after_name: str = ""


def read_change(draft: Draft, text: str, catalog: Catalog, *, numbers: bool = True
                ) -> ChangeRequest | None:
    """The change `text` asks for; None when it names no answer. `numbers`: the summary's
    numbers are on screen, so "5 …" means its answer 5."""
    typed = " ".join(fold(text).split())
    fields = summary_fields(draft)
    numbered = _NUMBERED.fullmatch(typed) if numbers else None
    if numbered and 1 <= int(numbered.group(1)) <= len(fields):
        return ChangeRequest((fields[int(numbered.group(1)) - 1],),
                             (numbered.group(2) or "").strip(), says_change=True)
    names = _names(fields, draft, catalog)
    to = _first(typed, words(catalog, "edit.words.to"), catalog)
    if to is not None and (named := _named(typed[: to[0]], names)):
        return ChangeRequest(named[0], _content(typed[to[1]:], catalog), says_change=True)
    named = _named(typed, names)
    if not named:
        return None
    specs, end = named
    rest = typed[end:]
    wrong = words(catalog, "edit.words.wrong")
    says_change = any(word in typed for word in wrong)
    after_name = _without_leading(rest, wrong + words(catalog, "edit.words.fillers"))
    if (is_ := _first(rest, words(catalog, "edit.words.is"), catalog)) is not None:
        content = _content(rest[is_[1]:], catalog)
        return ChangeRequest(specs, content, says_change=says_change or bool(content),
                             after_name=_content(after_name, catalog))
    content = after_name
    particles = "".join(words(catalog, "edit.words.particles"))
    if len(content.strip(SENTENCE_ENDS + particles)) < 2:
        content = ""  # "门店写错了 要改一下吧": no new content
    return ChangeRequest(specs, _content(content, catalog), says_change=says_change)


def read_changes(draft: Draft, text: str, catalog: Catalog) -> list[ChangeRequest]:
    """Two or more changes in one reply ("名字就写悦颜美容 地址是西城区金融街…"): the reply cut
    before each later name that starts a clause and is followed by its new content; [] unless
    every part is a change of its own answer with content."""
    typed = " ".join(fold(text).split())
    names = _names(summary_fields(draft), draft, catalog)
    markers = (*words(catalog, "edit.words.is"), *words(catalog, "edit.words.to"))
    cuts = set()
    for name, _, _ in names:
        for match in re.finditer(re.escape(name), typed):
            start, after = match.start(), typed[match.end():].lstrip()
            if start > 0 and typed[start - 1] in " ,，;；。、" and after.startswith(markers):
                cuts.add(start)
    if not cuts:
        return []
    bounds = [0, *sorted(cuts), len(typed)]
    changes = [read_change(draft, typed[left:right], catalog, numbers=False)
               for left, right in itertools.pairwise(bounds)]
    if any(change is None or len(change.fields) != 1 or not change.content
           for change in changes):
        return []
    found = [change for change in changes if change is not None]
    named = {change.fields[0].name for change in found}
    if len(named) < len(found):
        return []
    if {"complainant_name", "business_address"} <= named and "business_name" not in named:
        # "名字就写悦颜美容 地址是…": a name said beside the business's address is the business's
        found = [msgspec.structs.replace(change, fields=(FIELDS["business_name"],))
                 if change.fields[0].name == "complainant_name" else change for change in found]
    return found


def plain_names(spec: Field, catalog: Catalog) -> list[str]:
    """The everyday names `edit.names.<field>` gives an answer (订单号, 电话), folded, without
    those marked FALLBACK and those of one character."""
    names = (catalog.maybe(f"edit.names.{spec.name}") or "").split("|")
    return [fold(name) for name in names if len(name) >= 2 and not name.startswith(FALLBACK)]


def _names(fields: list[Field], draft: Draft, catalog: Catalog
           ) -> list[tuple[str, bool, Field]]:
    """(name, plain, field) for every way the summary's answers may be called: the label
    shown, and `edit.names.<field>` (a name marked FALLBACK is not plain)."""
    found = []
    wrong = words(catalog, "edit.words.wrong")
    for spec in fields:
        found.append((fold(label(spec, draft, catalog)), True, spec))
        # a one-character name only with what says it is wrong: "钱不对 …", "钱错了 …"
        for short in (catalog.maybe(f"edit.short_names.{spec.name}") or "").split("|"):
            found.extend((fold(short) + word, True, spec) for word in wrong if short)
        # an everyday name likewise, or before 查到了/是…: "东西写的不对 是…", "日子查着了 …"
        for usual in (catalog.maybe(f"edit.everyday_names.{spec.name}") or "").split("|"):
            found.extend((fold(usual) + word, True, spec) for word in (
                *wrong, *words(catalog, "edit.words.found")) if usual)
        for name in (catalog.maybe(f"edit.names.{spec.name}") or "").split("|"):
            plain = not name.startswith(FALLBACK)
            name = fold(name.removeprefix(FALLBACK))
            if len(name) >= 2:
                found.append((name, plain, spec))
    return found


def _named(text: str, names: list[tuple[str, bool, Field]]
           ) -> tuple[tuple[Field, ...], int] | None:
    """The fields the longest name in `text` belongs to (a plain name before a fallback),
    and where the first of its mentions ends; None when no name is in it."""
    hits = [(len(name), plain, spec, text.find(name) + len(name))
            for name, plain, spec in names if name in text]
    if not hits:
        return None
    best = max((length, plain) for length, plain, _, _ in hits)
    top = [(spec, end) for length, plain, spec, end in hits if (length, plain) == best]
    specs = tuple(dict.fromkeys(spec for spec, _ in top))
    return specs, min(end for _, end in top)


def _first(text: str, markers: tuple[str, ...], catalog: Catalog) -> tuple[int, int] | None:
    """Where the first of `markers` in `text` starts and ends (the longest at a place); one
    inside a word of `edit.words.not_a_marker` (the 是 of 不是, 还是) does not count."""
    inside = [match.span() for word in words(catalog, "edit.words.not_a_marker")
              for match in re.finditer(re.escape(word), text)]
    found = []
    for marker in markers:
        for match in re.finditer(re.escape(marker), text):
            start, end = match.span()
            if not any(left <= start and end <= right for left, right in inside):
                found.append((start, -end))
    if not found:
        return None
    start, end = min(found)
    return start, -end


def _without_leading(text: str, fillers: tuple[str, ...]) -> str:
    """`text` without the 写错了/不对/要改一下 it starts with."""
    rest = text.strip(SENTENCE_ENDS)
    longest_first = sorted(fillers, key=len, reverse=True)
    while True:
        filler = next((word for word in longest_first if rest.startswith(word)), None)
        if filler is None:
            return rest
        rest = rest[len(filler):].strip(SENTENCE_ENDS)


def _content(text: str, catalog: Catalog) -> str:
    """The new content, without the old value named after it ("60000 不是86000"); none in a
    question ("金额是多少啊")."""
    for word in words(catalog, "edit.words.not_the_old"):
        text = re.split(r"[\s,，、;；]+" + re.escape(word), text, maxsplit=1)[0]
    text = text.strip(SENTENCE_ENDS + "、:：")
    bare = text.strip(SENTENCE_ENDS + "".join(words(catalog, "edit.words.particles")))
    if looks_like_a_question(text, catalog) or bare in words(catalog, "edit.words.asking"):
        return ""  # "金额是多少啊", "电话是什么": asked, not changed
    return text


def said_midway(draft: Draft, text: str, catalog: Catalog, *,
                answers_question: Callable[[], bool]) -> ChangeRequest | None:
    """A change of an earlier answer said in the middle of the interview ("金额改成4980",
    "钱不对 保健品一共4980 8200是住院花的"): one answer named, new content, and words that
    say it is a change (改成/应该是…, 不对/错了…). A reply that would answer the question asked
    (`answers_question`, asked only once the reply reads as a change: it parses the reply) is
    taken as a change only when it opens with the answer's name and says nothing more than the
    change ("金额改成4980"), so "商品应该是原装屏 结果是翻新的" stays an answer."""
    change = read_change(draft, text, catalog, numbers=False)
    if change is None or len(change.fields) != 1 or not change.content:
        return None
    typed = " ".join(fold(text).split())
    if not any(word in typed for word in (*words(catalog, "edit.words.to"),
                                          *words(catalog, "edit.words.wrong"))):
        return None
    if not answers_question():
        return change
    opens = any(typed.startswith(name) for name, _, spec in _names(summary_fields(draft), draft,
                                                                    catalog)
                if spec is change.fields[0])
    single = not re.search(r"[\s,，;；。、]", change.content)
    return change if opens and single else None
