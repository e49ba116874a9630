"""Spoken account → written clauses: fillers out, spoken forms in their written form,
relative dates resolved against the day the account was written.

Only replacements whose meaning is certain are made (data/spoken_written.tsv); nothing is
paraphrased. Works clause by clause, on the output of `clauses.split`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from flows.catalog import Catalog
from flows.composition.resources import (
    asides,
    bare_sum_verbs,
    bot_questions,
    chat_clauses,
    clause_start_fillers,
    date_particles,
    ends_a_question,
    feeling_heads,
    feelings,
    filing_starts,
    filing_statements,
    fillers,
    final_particles,
    loss_words,
    not_for_complaint,
    relative_words,
    spoken_written,
    time_words,
    total_words,
)
from flows.dates import find_dates

_LIST_NUMBER = re.compile(r"^(?:[(（]?\d{1,2}[)）]|\d{1,2}[、.](?!\d)|第[一二三四五六七八九十]+$)\s*")
_PHRASE_ENDS = r"了啊吧呢的呀哦嘛给，。！？, "
_EVERY = re.compile(r"[每隔]\s*(?:个)?$")
_DATE_END = re.compile(r"\d\s*[年月日号]$")
LONGEST_QUESTION = 24  # a longer clause may tell facts besides the question it asks


def date_text(day: date, catalog: Catalog) -> str:
    return catalog.text("format.date", y=day.year, m=day.month, d=day.day)


def resolve_relative_dates(text: str, written_on: date, catalog: Catalog) -> str:
    """Relative date words (前天, 上周三, 10月1号, 上个月, 去年) become absolute dates, and
    every day is written one way (2025-10-01, 2025年10月1号 → 2025年10月1日)."""
    out, position = [], 0
    for mention in find_dates(text, written_on):
        if _EVERY.search(text[:mention.start]):
            continue
        written = (catalog.text("compose.period.month", y=mention.day.year, m=mention.day.month)
                   if mention.precision == "month" else date_text(mention.day, catalog))
        out.append(text[position:mention.start] + written)  # 去年五月: a month, not 5月1日
        position = mention.end
    out.append(text[position:])
    text = "".join(out)
    for word in relative_words():
        if word.word in text:
            text = text.replace(word.word, _period_text(word.unit, word.offset, written_on,
                                                         catalog))
    return text


def _period_text(unit: str, offset: int, written_on: date, catalog: Catalog) -> str:
    if unit == "day":
        return date_text(written_on + timedelta(days=offset), catalog)
    if unit == "week":
        monday = written_on - timedelta(days=written_on.weekday()) + timedelta(weeks=offset)
        return catalog.text("compose.period.week", start=date_text(monday, catalog),
                            end=date_text(monday + timedelta(days=6), catalog))
    if unit == "month":
        month_index = written_on.year * 12 + written_on.month - 1 + offset
        return catalog.text("compose.period.month", y=month_index // 12, m=month_index % 12 + 1)
    return catalog.text("compose.period.year", y=written_on.year + offset)


def relative_words_in(text: str) -> list[str]:
    """The relative date words still in `text` (for checks)."""
    return [word.word for word in relative_words() if word.word in text]


# A count right after an aside's words ("说过了7天") makes them part of what was said.
_COUNT_AFTER = re.compile(r"\s*[\d一二两三四五六七八九十半几]")


def written_clause(clause: str) -> str:
    """One clause without fillers and final particles, spoken forms written; "" for a clause
    that only vents ("离谱") or complains about the question ("都说了")."""
    for filler in fillers():
        clause = clause.replace(filler, "")
    changed = True
    while changed:
        changed = False
        for filler in (*asides(), *clause_start_fillers()):
            # "说过了7天不给退" tells what was said; "都说了联系不上" complains of the question
            told = filler in asides() and _COUNT_AFTER.match(clause[len(filler):])
            if clause.startswith(filler) and not told:
                clause, changed = clause[len(filler):].lstrip(), True
    for form in spoken_written():
        clause = _replace_once(clause, form.spoken, form.written, form.phrase_end,
                               form.clause_start)
    clause = re.sub(r"(\d)\s*块(?!钱)", r"\1元", clause)
    particles = "|".join(map(re.escape, date_particles()))
    clause = re.sub(rf"(\d\s*[年月日号])(?:{particles})", r"\1", clause)  # 2026年3月吧
    clause = _bare_sum(clause)
    clause = _LIST_NUMBER.sub("", clause)
    for particle in final_particles():
        if clause.endswith(particle) and len(clause) > len(particle) + 1:
            clause = clause[: -len(particle)]
            break
    clause = clause.strip()
    return "" if only_feeling(clause) or clause in chat_clauses() else clause


def only_feeling(clause: str) -> bool:
    """Whether a clause only vents: a feeling ("离谱") or a name for the business ("骗子",
    "打发要饭的"), maybe after a head that adds no fact ("简直是", "他们就是")."""
    if clause in feelings():
        return True
    return any(clause.startswith(head) and clause[len(head):] in feelings()
               for head in feeling_heads())


def with_losses_named(clauses: list[str]) -> list[str]:
    """A loss named alone after the sum it cost ("看了花了120元", "药费") goes into that sum's
    clause ("看了", "花了药费120元"); the visit before the payment stays a clause of its own."""
    verbs = "|".join(re.escape(verb) for verb in bare_sum_verbs())
    out: list[str] = []
    for clause in clauses:
        paid = re.search(rf"({verbs})\s*(\d+(?:\.\d+)?\s*元)$", out[-1]) if out else None
        if clause in loss_words() and paid:
            before = out[-1][:paid.start()].rstrip()
            out[-1:] = [before] if before else []
            out.append(paid.group(1) + clause + paid.group(2))
            continue
        out.append(clause)
    return out


@cache
def _bare_sum_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A number after a verb of paying (ending the clause or before the total), and a total
    ending the clause: built once from the word lists."""
    verbs = "|".join(re.escape(verb) for verb in bare_sum_verbs())
    total = "|".join(re.escape(word) for word in total_words())
    return (re.compile(rf"((?:{verbs})\s*\d+(?:\.\d+)?)(?=$|{total})"),
            re.compile(rf"((?:{total})\s*\d+(?:\.\d+)?)$"))


def _bare_sum(clause: str) -> str:
    """"花了38" → "花了38元": after a verb of paying, a number ending the clause or followed by
    the total ("又补了3000一共12800" → "又补了3000元一共12800元") is money."""
    after_verb, total = _bare_sum_patterns()
    clause = after_verb.sub(r"\1元", clause)
    if "元" in clause:  # a total of the sums just written as money
        clause = total.sub(r"\1元", clause)
    return clause


def off_the_case(clause: str) -> bool:
    """Whether a written clause says nothing about the case: hearsay ("听说食品能赔十倍"),
    words to the bot ("我再说一遍")."""
    if clause.startswith(not_for_complaint()):
        return True
    # "我帮我爸投诉": who is filing, which the form's first line says
    return (len(clause) <= FILING_STATEMENT_CHARS and clause.startswith(filing_starts())
            and clause.endswith(filing_statements()))


# The longest clause read as only saying who is filing.
FILING_STATEMENT_CHARS = 12


def questions_to_bot(clauses: list[str]) -> list[bool]:
    """Which written clauses of one sentence ask the bot what the user may do or get
    ("我这种情况能要三倍吗", "钱能要回来吗", "我能不能就不付了", "这算诈骗吗"). A rhetorical
    question, a condition, and what was asked or said to the business are part of the case
    (data/bot_questions.txt says how they are told apart); so is a long clause, which may
    carry facts besides its question."""
    words = bot_questions()
    asked: list[bool] = []
    quoting = reported = False  # the rest of the sentence / the questions right after
    for clause in clauses:
        question = ends_a_question(clause) or any(form in clause for form in words["question"])
        speech = any(word in clause for word in words["speech"])
        asked.append(question and not (quoting or reported or speech)
                     and len(clause) <= LONGEST_QUESTION
                     and any(word in clause for word in words["topic"])
                     and not any(word in clause for word in words["kept"]))
        quoting = quoting or clause.endswith(words["speech"])
        reported = speech or (reported and question)
    return asked


def _replace_once(text: str, spoken: str, written: str, phrase_end: bool,
                  clause_start: bool = False) -> str:
    """`spoken` → `written`, except where the written form already stands (so a text written
    twice reads the same: 不支持退款 stays, 不支持退 becomes it), for a form that must end
    its phrase, where more of the phrase follows (不给退押金 is not 拒绝退款押金), and for a
    form that must start its clause, after anything but a date or a time word (老板人跑了
    keeps its 人; 2026年10月人就没了 and 现在人都找不着了 do not)."""
    out, position = [], 0
    while (found := text.find(spoken, position)) >= 0:
        after = text[found + len(spoken):found + len(spoken) + 1]
        continues = phrase_end and bool(after) and after not in _PHRASE_ENDS
        before = text[:found].rstrip()
        inside = clause_start and bool(before) and not (
            _DATE_END.search(before) or before.endswith(time_words()))
        if (continues or inside or text.startswith(written, found)
                or text[:found + len(spoken)].endswith(written)):
            out.append(text[position:found + len(spoken)])
        else:
            out.append(text[position:found] + written)
        position = found + len(spoken)
    out.append(text[position:])
    return "".join(out)
