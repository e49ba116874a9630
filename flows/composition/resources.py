"""Loads the word lists in `data/`, once per process.

The words a written complaint is made of (spoken forms and their written twins, fillers,
cues for personal data, purchase and response words) are data, not code, so they can grow
without touching the logic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows.tables import table_rows

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[list[str]]:
    """The rows of a data file of this package."""
    return table_rows(DATA_DIR / name)


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


def _words(name: str) -> tuple[str, ...]:
    return _longest_first([row[0] for row in _rows(name)])


@dataclass(frozen=True)
class SpokenForm:
    """A spoken form, its written twin, and whether it must end its phrase (or start its
    clause) to be replaced."""

    spoken: str
    written: str
    phrase_end: bool
    clause_start: bool = False


@cache
def spoken_written() -> tuple[SpokenForm, ...]:
    """The spoken forms, longest first."""
    forms = {row[0]: SpokenForm(row[0], row[1], len(row) > 2 and row[2] == "end",
                                len(row) > 2 and row[2] == "start")
             for row in _rows("spoken_written.tsv")}
    return tuple(forms[spoken] for spoken in _longest_first(list(forms)))


@cache
def unreachable_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words of a response that never came, the business could not be reached: (words that
    say it anywhere in a clause, words that say it only at a clause's end)."""
    rows = _rows("unreachable_words.txt")
    at_end = {row[0] for row in rows if len(row) > 1 and row[1] == "end"}
    return (_longest_first([row[0] for row in rows if row[0] not in at_end]),
            _longest_first(list(at_end)))


@cache
def fillers() -> tuple[str, ...]:
    return _words("fillers.txt")


@cache
def final_particles() -> tuple[str, ...]:
    return _words("final_particles.txt")


@dataclass(frozen=True)
class RelativeWord:
    """A date word that only means something against the day it was written."""

    word: str
    unit: str  # day | week | month | year
    offset: int


@cache
def relative_words() -> tuple[RelativeWord, ...]:
    rows = {row[0]: RelativeWord(row[0], row[1], int(row[2]))
            for row in _rows("relative_words.tsv")}
    return tuple(rows[word] for word in _longest_first(list(rows)))


@cache
def personal_cues() -> tuple[tuple[str, str], ...]:
    """(cue word, kind of data after it), longest cue first."""
    kinds = {row[0]: row[1] for row in _rows("personal_cues.tsv")}
    return tuple((cue, kinds[cue]) for cue in _longest_first(list(kinds)))


@cache
def purchase_words() -> tuple[str, ...]:
    return _words("purchase_words.txt")


@cache
def demand_cues() -> tuple[str, ...]:
    return _words("demand_cues.txt")


def _sections(name: str) -> dict[str, tuple[str, ...]]:
    """The "[section]" parts of a word list, each longest word first."""
    sections: dict[str, list[str]] = {}
    current = ""
    for row in _rows(name):
        word = row[0]
        if word.startswith("[") and word.endswith("]"):
            current = word[1:-1]
            sections[current] = []
        else:
            sections[current].append(word)
    return {section: _longest_first(words) for section, words in sections.items()}


@cache
def response_cues() -> dict[str, tuple[str, ...]]:
    """{'actor': …, 'action': …, 'contact': …}: the sections of response_cues.txt."""
    return _sections("response_cues.txt")


@cache
def harm_words() -> tuple[str, ...]:
    return _words("harm_words.txt")


@cache
def product_references() -> tuple[tuple[str, str], ...]:
    """(ending of a product's name, how the text refers back to it), longest ending first."""
    refs = {row[0]: row[1] for row in _rows("product_words.tsv")}
    return tuple((ending, refs[ending]) for ending in _longest_first(list(refs)))


@cache
def demand_words() -> tuple[tuple[str, str], ...]:
    """(word, demand code), longest word first."""
    codes = {row[0]: row[1] for row in _rows("demand_words.tsv")}
    return tuple((word, codes[word]) for word in _longest_first(list(codes)))


@cache
def alternative_words() -> tuple[str, ...]:
    return _words("alternative_words.txt")


@cache
def remaining_fee_words() -> tuple[str, ...]:
    return _words("remaining_fee_words.txt")


@cache
def fraud_words() -> tuple[str, ...]:
    return _words("fraud_words.txt")


@cache
def loss_words() -> tuple[str, ...]:
    return _words("loss_words.txt")


@cache
def clause_start_fillers() -> tuple[str, ...]:
    return _words("clause_start_fillers.txt")


@cache
def problem_words() -> tuple[str, ...]:
    return _words("problem_words.txt")


@cache
def product_followers() -> tuple[tuple[str, str], ...]:
    """(word right after the product's name, how the two are referred back to)."""
    refs = {row[0]: row[1] for row in _rows("product_followers.tsv")}
    return tuple((word, refs[word]) for word in _longest_first(list(refs)))


@cache
def response_openers() -> frozenset[str]:
    return frozenset(_words("response_openers.txt"))


@cache
def speech_verbs() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(verbs that start what was said, words that only begin like one)."""
    words = _words("speech_verbs.txt")
    return (tuple(w for w in words if not w.startswith("-")),
            tuple(w[1:] for w in words if w.startswith("-")))


@cache
def contact_parties() -> tuple[str, ...]:
    return _words("contact_parties.txt")


@cache
def product_name_continuations() -> tuple[str, ...]:
    return _words("product_name_continuations.txt")


@cache
def name_introductions() -> tuple[str, ...]:
    """Words right before a name that introduce it ("叫", "写的"): there it stays as written."""
    return _words("name_introductions.txt")


@cache
def name_sayings() -> tuple[str, ...]:
    """The introductions that say a name (叫, 写的), not a brand (品牌)."""
    return _longest_first([row[0] for row in _rows("name_introductions.txt")
                           if len(row) > 1 and row[1] == "says"])


@cache
def service_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(words that make a product's name a service anywhere in it, words that do so only at
    its end, words that do so only at its start)."""
    rows = _rows("service_words.txt")
    at = {row[0]: row[1] for row in rows if len(row) > 1}
    return (_longest_first([row[0] for row in rows if row[0] not in at]),
            _longest_first([word for word, where in at.items() if where == "end"]),
            _longest_first([word for word, where in at.items() if where == "start"]))


@cache
def person_words() -> tuple[str, ...]:
    """People a purchase clause may name besides the buyer (我母亲, 孩子)."""
    return _words("person_words.txt")


@cache
def place_prepositions() -> tuple[str, ...]:
    """Words a shop's answer may start with that the intro already says (在)."""
    return _words("place_prepositions.txt")


@cache
def measure_words() -> tuple[str, ...]:
    """Measure words after a number that make it a quantity (盒, 节, 次)."""
    return _words("measure_words.txt")


@cache
def subjectless_acts() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """((start of the business's words or acts typed without who, how it is written after the
    subject), longest first; words that only begin like one)."""
    rows = _rows("subjectless_acts.tsv")
    starts = {row[0]: (row[1] if len(row) > 1 and row[1] else row[0])
              for row in rows if not row[0].startswith("-")}
    return (tuple((start, starts[start]) for start in _longest_first(list(starts))),
            tuple(row[0][1:] for row in rows if row[0].startswith("-")))


@cache
def time_words() -> tuple[str, ...]:
    """Words of time a clause may start with before its subject (现在, 后来)."""
    return _words("time_words.txt")


@cache
def date_particles() -> tuple[str, ...]:
    """Chat particles typed right after a date (2026年3月吧)."""
    return _words("date_particles.txt")


@cache
def feelings() -> frozenset[str]:
    """Exclamations of feeling ("绝了", "太恶心了"): no fact, dropped when a whole clause."""
    return frozenset(_words("feelings.txt"))


@cache
def chat_clauses() -> frozenset[str]:
    """Clauses that say nothing about the case ("投诉", "就是这样"): dropped when whole."""
    return frozenset(_words("chat_clauses.txt"))


@cache
def demonstratives() -> tuple[str, ...]:
    """Words that point at a shop in speech (那个, 这家)."""
    return _words("demonstratives.txt")


@cache
def kind_endings() -> tuple[str, ...]:
    """How a description typed after a product's name ends (那种), longest first."""
    return _words("kind_endings.txt")


@cache
def description_starts() -> tuple[str, ...]:
    """How a description typed after a product's name may start (做的是), longest first."""
    return _words("description_starts.txt")


@cache
def compensation_measures() -> tuple[tuple[str, str], ...]:
    """(a legal measure's spoken name, its written name): 假一赔三 → 三倍赔偿."""
    return tuple((row[0], row[1]) for row in _rows("compensation_measures.tsv"))


@cache
def measure_stems() -> tuple[str, ...]:
    """How a compensation's name may end without its 赔偿 (惩罚性, 倍)."""
    return _words("measure_stems.txt")


@cache
def shop_endings() -> tuple[str, ...]:
    """How a shop's name may end that already says it is a shop (旗舰店, 超市)."""
    return _words("shop_endings.txt")


@cache
def feeling_heads() -> tuple[str, ...]:
    """What may stand before a feeling or a name for the business in a clause that only
    vents ("简直是骗子", "他们就是黑店"), longest first."""
    return _words("feeling_heads.txt")


@cache
def asides() -> tuple[str, ...]:
    """What a user says about being asked again ("都说了"), longest first."""
    return _words("asides.txt")


@cache
def shop_name_cues() -> tuple[str, ...]:
    """Words that start a clause saying what the shop is called ("店叫")."""
    return _words("shop_name_cues.txt")


@cache
def not_for_complaint() -> tuple[str, ...]:
    """Clause starts that say nothing about the case: hearsay, words to the bot."""
    return _words("not_for_complaint.txt")


@cache
def filing_statements() -> tuple[str, ...]:
    """The endings of a short clause that only says who is filing ("我帮我爸投诉")."""
    return _words("filing_statements.txt")


@cache
def filing_starts() -> tuple[str, ...]:
    """How a clause that only says who is filing starts ("我", "帮")."""
    return _words("filing_starts.txt")


@cache
def bot_questions() -> dict[str, tuple[str, ...]]:
    """{'end': words that end a question, 'not_end': endings that only look like one,
    'question': question forms, 'topic': words of what the user may do or get, 'kept' and
    'speech': words of a question that is part of the case}."""
    return _sections("bot_questions.txt")


def ends_a_question(text: str) -> bool:
    """Whether `text` ends as a question does (…吗, …么 but not …什么)."""
    words = bot_questions()
    return text.endswith(words["end"]) and not text.endswith(words["not_end"])


@cache
def total_words() -> tuple[str, ...]:
    """Words that say a sum is the total ("一共12800")."""
    return _words("total_words.txt")


@cache
def price_leads() -> tuple[str, ...]:
    """What may stand before a price that ends a purchase clause ("花了", "一共")."""
    return _words("price_leads.txt")


@cache
def bare_sum_verbs() -> tuple[str, ...]:
    """Verbs of paying after which a bare number is a sum of money (花了38)."""
    return _words("bare_sum_verbs.txt")


@cache
def principal_pronouns() -> dict[str, str]:
    """{relation as a complaint writes it: the pronoun that stands for that person}."""
    return {row[0]: row[1] for row in _rows("principal_pronouns.tsv")}


@cache
def relation_words() -> tuple[str, ...]:
    """How people name a relative (妈, 母亲, 老爸): flows/data/relations.tsv, both columns."""
    rows = table_rows(DATA_DIR.parent.parent / "data" / "relations.tsv")
    return _longest_first([word for row in rows for word in row[:2]])


@cache
def demand_askings() -> tuple[str, ...]:
    """How a demand's detail may start by asking ("我想让他们"), longest first."""
    return _words("demand_askings.txt")


@cache
def repair_verbs() -> tuple[tuple[str, str], ...]:
    """(verb ending a repair said with 把, how it is written before the thing), longest first."""
    forms = {row[0]: row[1] for row in _rows("repair_verbs.tsv")}
    return tuple((said, forms[said]) for said in _longest_first(list(forms)))


@cache
def as_incurred() -> tuple[str, ...]:
    """How a compensation's detail says its sum is settled as incurred ("实际花多少算多少")."""
    return _words("as_incurred.txt")


@cache
def further_payments() -> tuple[str, ...]:
    """Words before a further payment for the same purchase (又补了, 续了)."""
    return _words("further_payments.txt")


@cache
def offer_refusals() -> dict[str, str]:
    """What the user says to refuse the business's offer (我没要) → how it is written
    (我没有接受; itself when already written), longest first."""
    forms = {row[0]: row[1] if len(row) > 1 else row[0] for row in _rows("offer_refusals.txt")}
    return {said: forms[said] for said in _longest_first(list(forms))}


@cache
def offer_starts() -> tuple[tuple[str, str], ...]:
    """(how an offer without its speaker starts, how it is written), longest first."""
    forms = {row[0]: row[1] for row in _rows("offer_starts.tsv")}
    return tuple((start, forms[start]) for start in _longest_first(list(forms)))
