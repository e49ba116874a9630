"""Every question of the interview, declared once.

A field says when it applies, whether it may be skipped, what it offers and how to read an
answer. The engine asks the first applicable field still missing; the summary, the draft and
the completeness check read the same declarations. Wording lives in locale/ under
`field.<name>.prompt`, `.hint` and `.label` (a `_report` variant overrides for 举报).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flows import vocabulary as vocab
from flows.catalog import Catalog
from flows.context import Context
from flows.credit_code import CodeCheck, check_code, normalize_code
from flows.model import Draft
from flows.parsing import amount_without_number, fold, parse_amount, parse_date, parse_phone
from flows.regions import BEIJING, DISTRICT_NAMES, match_district


@dataclass(frozen=True)
class Parsed:
    """The reading of one answer: a value, or an error to explain, maybe a warning or a note."""

    value: Any = None
    error: str | None = None  # catalog key; the question is asked again
    warning: str | None = None  # catalog key; the value waits for the user's confirmation
    note: str | None = None  # catalog key; said after the value is taken
    params: dict[str, Any] = field(default_factory=dict)


Parser = Callable[[str, Context, Draft], Parsed]


@dataclass(frozen=True)
class Field:
    name: str
    parse: Parser
    kinds: tuple[str, ...] = vocab.KINDS
    optional: bool = False
    applies: Callable[[Draft], bool] = lambda draft: True
    choices: Sequence[str] = ()  # option codes
    label_prefix: str = ""  # catalog prefix of option labels ("theme" → theme.quality)
    multi: bool = False
    in_summary: bool = True
    apply: Callable[[Draft, Any], None] | None = None  # extra effect of an accepted answer
    after: Callable[[Any, Draft], str | None] = lambda value, draft: None  # note to say

    def is_needed(self, draft: Draft) -> bool:
        return self.kind_matches(draft) and self.applies(draft)

    def kind_matches(self, draft: Draft) -> bool:
        kind = draft.answer("kind")
        return (kind is None and self.name == "kind") or kind in self.kinds

    def option_label(self, code: str, catalog: Catalog) -> str:
        return catalog.text(f"{self.label_prefix}.{code}") if self.label_prefix else code


# ---- readers ------------------------------------------------------------------------------


def text_reader(min_chars: int, max_chars: int) -> Parser:
    def read(text: str, ctx: Context, draft: Draft) -> Parsed:
        cleaned = re.sub(r"\s+", " ", text.strip())
        if len(cleaned) < min_chars:
            return Parsed(error="error.too_short", params={"min": min_chars})
        if len(cleaned) > max_chars:
            return Parsed(error="error.too_long", params={"max": max_chars, "got": len(cleaned)})
        return Parsed(cleaned)

    return read


def choice_reader(name: str) -> Parser:
    """Typed text matched against the option labels (the engine handles pressed buttons)."""

    def read(text: str, ctx: Context, draft: Draft) -> Parsed:
        spec = FIELDS[name]
        picked = match_labels(spec, text, ctx.catalog)
        if spec.multi:
            return Parsed(picked) if picked else Parsed(error="error.choose_from_options")
        return Parsed(picked[0]) if len(picked) == 1 else Parsed(error="error.choose_from_options")

    return read


def match_labels(spec: Field, text: str, catalog: Catalog) -> list[str]:
    """Codes whose label (or code) appears in the text; an exact match wins outright."""
    typed = fold(text).lower()
    labels = {code: spec.option_label(code, catalog) for code in spec.choices}
    for code, label in labels.items():
        if typed in (label.lower(), code):
            return [code]
    if not spec.multi:
        return [code for code, label in labels.items() if label.lower() in typed][:2]
    found = [code for code, label in labels.items() if label.lower() in typed]
    # "退货退款" also contains "退款": keep the longer reading only.
    return [c for c in found if not any(labels[c] in labels[o] and c != o for o in found)]


def read_district(text: str, ctx: Context, draft: Draft) -> Parsed:
    district = match_district(fold(text))
    if district:
        return Parsed(BEIJING + district)
    place = fold(text).replace(" ", "")
    if 2 <= len(place) <= 30 and re.search(r"[省市州县区旗盟]", place) and "北京" not in place:
        return Parsed(place)
    return Parsed(error="error.district")


def read_platform(text: str, ctx: Context, draft: Draft) -> Parsed:
    picked = match_labels(FIELDS["platform"], text, ctx.catalog)
    if len(picked) == 1:
        return Parsed(ctx.t(f"platform.{picked[0]}"))
    return text_reader(2, 20)(text, ctx, draft)


def read_credit_code(text: str, ctx: Context, draft: Draft) -> Parsed:
    code = normalize_code(text)
    result = check_code(code)
    if result is CodeCheck.MALFORMED:
        return Parsed(error="error.credit_code", params={"got": len(code)})
    if result is CodeCheck.CHECKSUM_FAILED:
        return Parsed(code, warning="warn.credit_checksum")
    return Parsed(code)


def read_order_number(text: str, ctx: Context, draft: Draft) -> Parsed:
    code = fold(text).replace(" ", "")
    if re.fullmatch(r"[A-Za-z0-9_\-]{4,64}", code):
        return Parsed(code)
    return Parsed(error="error.order_number")


def read_date(text: str, ctx: Context, draft: Draft) -> Parsed:
    day = parse_date(text, ctx.today)
    if day is None:
        return Parsed(error="error.date")
    if day > ctx.today:
        return Parsed(error="error.date_future")
    years = years_since(day, ctx.today)
    if years >= 3:
        return Parsed(day.isoformat(), warning="warn.over_three_years")
    if years >= 2:
        return Parsed(day.isoformat(), note="note.over_two_years")
    return Parsed(day.isoformat())


def years_since(day: date, today: date) -> int:
    years = today.year - day.year
    return years - 1 if (today.month, today.day) < (day.month, day.day) else years


def read_amount(text: str, ctx: Context, draft: Draft) -> Parsed:
    amount = parse_amount(text)
    if amount is None:
        return Parsed(error="error.amount")
    if amount <= 0 or amount >= 100_000_000:
        return Parsed(error="error.amount_range")
    return Parsed(amount)


def compensation_limit(draft: Draft) -> float | None:
    """The most the law's punitive measures would give, as a yardstick for 'reasonable'."""
    price = draft.answer("amount")
    if price is None:
        return None
    if draft.answer("theme") == "food_safety":
        return max(10 * price, 1000.0)
    return max(3 * price, 500.0)


def read_compensation(text: str, ctx: Context, draft: Draft) -> Parsed:
    amount = parse_amount(text)
    if amount is None or amount <= 0:
        return Parsed(error="error.compensation")
    value = {"amount": amount, "detail": amount_without_number(text)[:40]}
    limit = compensation_limit(draft)
    if limit is not None and amount > limit:
        key = "warn.compensation_food" if draft.answer("theme") == "food_safety" else (
            "warn.compensation_high")
        return Parsed(value, warning=key, params={"limit": money(limit)})
    return Parsed(value)


def read_phone(text: str, ctx: Context, draft: Draft) -> Parsed:
    phone = parse_phone(text)
    return Parsed(phone) if phone else Parsed(error="error.phone")


def read_evidence(text: str, ctx: Context, draft: Draft) -> Parsed:
    if fold(text) in ctx.t("evidence.none_words").split("|"):
        return Parsed([], note="note.no_evidence")
    return choice_reader("evidence")(text, ctx, draft)


def money(amount: float) -> str:
    """1299.0 → '1299', 1299.5 → '1299.50': how people write sums of yuan."""
    return f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"


def looks_registered(name: str) -> bool:
    """A registered business name usually ends in one of these; a shop name usually does not."""
    return bool(re.search(r"公司|有限|集团|厂|合作社|经营部|商行|个体|工作室|中心|事务所|医院|学校", name))


def _fill_from_profile(draft: Draft, value: Any) -> None:
    if value == "yes":
        draft.answers.update(draft.suggestions.get("profile", {}))


def _has_profile_to_offer(draft: Draft) -> bool:
    names = ("complainant_name", "complainant_phone", "complainant_address")
    return "profile" in draft.suggestions and not any(n in draft.answers for n in names)


# ---- the interview, in the order it is asked ---------------------------------------------

COMPLAINT = ("complaint",)
REPORT = ("report",)

_FIELD_LIST: tuple[Field, ...] = (
    Field("kind", choice_reader("kind"), choices=vocab.KINDS, label_prefix="kind",
          after=lambda v, d: "note.report_explained" if v == "report" else None),
    Field("for_whom", choice_reader("for_whom"), kinds=COMPLAINT, choices=vocab.FOR_WHOM,
          label_prefix="for_whom",
          after=lambda v, d: "note.authorisation" if v == "other" else None),
    Field("narrative", text_reader(8, 2000)),
    Field("business_name", text_reader(2, 100),
          after=lambda v, d: None if looks_registered(v) else "note.shop_name"),
    Field("business_address", text_reader(4, 100)),
    Field("credit_code", read_credit_code, optional=True),
    Field("district", read_district, choices=DISTRICT_NAMES),
    Field("channel", choice_reader("channel"), choices=vocab.CHANNELS, label_prefix="channel"),
    Field("store_name", text_reader(2, 60), applies=lambda d: d.answer("channel") == "store"),
    Field("platform", read_platform, choices=vocab.PLATFORMS, label_prefix="platform",
          applies=lambda d: d.answer("channel") == "online"),
    Field("order_number", read_order_number, optional=True,
          applies=lambda d: d.answer("channel") == "online"),
    Field("product", text_reader(2, 50)),
    Field("purchase_date", read_date),
    Field("amount", read_amount, kinds=COMPLAINT),
    Field("report_amount", read_amount, kinds=REPORT, optional=True),
    Field("problem", text_reader(4, 1500)),
    Field("theme", choice_reader("theme"), kinds=COMPLAINT, choices=vocab.THEMES,
          label_prefix="theme"),
    Field("violation", choice_reader("violation"), kinds=REPORT, choices=vocab.VIOLATIONS,
          label_prefix="violation"),
    Field("contacted", choice_reader("contacted"), kinds=COMPLAINT, choices=("yes", "no"),
          label_prefix="contacted",
          after=lambda v, d: "note.contact_first" if v == "no" else None),
    Field("contact_result", text_reader(2, 500), kinds=COMPLAINT,
          applies=lambda d: d.answer("contacted") == "yes"),
    Field("demands", choice_reader("demands"), kinds=COMPLAINT, choices=vocab.DEMANDS,
          label_prefix="demand", multi=True),
    Field("compensation", read_compensation, kinds=COMPLAINT,
          applies=lambda d: "compensation" in (d.answer("demands") or [])),
    Field("demand_other", text_reader(2, 200), kinds=COMPLAINT,
          applies=lambda d: "other" in (d.answer("demands") or [])),
    Field("evidence", read_evidence, choices=vocab.EVIDENCE, label_prefix="evidence",
          multi=True, after=lambda v, d: "note.no_evidence" if v == [] else None),
    Field("reuse_profile", choice_reader("reuse_profile"), choices=("yes", "no"),
          label_prefix="reuse_profile", in_summary=False, applies=_has_profile_to_offer,
          apply=_fill_from_profile),
    Field("complainant_name", text_reader(2, 30)),
    Field("complainant_phone", read_phone),
    Field("complainant_address", text_reader(5, 40)),
)

FIELDS: dict[str, Field] = {spec.name: spec for spec in _FIELD_LIST}
ORDER: tuple[str, ...] = tuple(FIELDS)
PROFILE_FIELDS = ("complainant_name", "complainant_phone", "complainant_address")


def needed_fields(draft: Draft) -> list[Field]:
    return [spec for spec in _FIELD_LIST if spec.is_needed(draft)]


def next_missing(draft: Draft) -> Field | None:
    """The first question this draft still needs: docassemble's rule, in a line."""
    for spec in needed_fields(draft):
        if spec.name not in draft.answers and spec.name not in draft.skipped:
            return spec
    return None


def is_report(draft: Draft) -> bool:
    return draft.answer("kind") == "report"


def kind_text(draft: Draft, key: str, catalog: Catalog) -> str | None:
    """The text under `key`, preferring its `_report` variant (举报 wording) for a report;
    None when the catalog has neither."""
    if is_report(draft):
        variant = catalog.maybe(f"{key}_report")
        if variant is not None:
            return variant
    return catalog.maybe(key)


def title(draft: Draft, catalog: Catalog) -> str:
    """What a draft is called in lists: its business, else its shop, else its product."""
    for name in ("business_name", "store_name", "product"):
        if draft.answers.get(name):
            return str(draft.answers[name])
    return catalog.text("drafts.untitled")


def display(spec: Field, value: Any, catalog: Catalog) -> str:
    """An answer as the user would write it: labels for codes, 2025年10月1日, 1299元."""
    if value is None:
        return ""
    if spec.name in ("purchase_date",):
        day = date.fromisoformat(value)
        return catalog.text("format.date", y=day.year, m=day.month, d=day.day)
    if spec.name in ("amount", "report_amount"):
        return catalog.text("format.money", amount=money(value))
    if spec.name == "compensation":
        return catalog.text("format.compensation", detail=value.get("detail") or "",
                            amount=money(value["amount"])).strip()
    if spec.multi:
        if not value:
            return catalog.text("format.none")
        return catalog.text("format.list_separator").join(
            spec.option_label(code, catalog) for code in value)
    if spec.label_prefix and spec.name != "platform" and value in spec.choices:
        return spec.option_label(value, catalog)
    return str(value)
