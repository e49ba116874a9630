"""Every question of the interview, declared once.

A field says when it applies, whether it may be skipped, what it offers and how to read an
answer. The engine asks the first applicable field still missing; the summary, the draft and
the completeness check read the same declarations. Wording lives in locale/ under
`field.<name>.prompt`, `.hint` and `.label` (a `_report` variant overrides for 举报).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flows import vocabulary as vocab
from flows.catalog import Catalog
from flows.context import Context
from flows.model import Draft
from flows.readers import (
    Parsed,
    choice_reader,
    read_amount,
    read_business_address,
    read_compensation,
    read_credit_code,
    read_date,
    read_demands,
    read_district,
    read_evidence,
    read_optional_amount,
    read_order_number,
    read_phone,
    read_platform,
    text_reader,
)
from flows.regions import DISTRICT_NAMES

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


def years_since(day: date, today: date) -> int:
    years = today.year - day.year
    return years - 1 if (today.month, today.day) < (day.month, day.day) else years


def compensation_limit(draft: Draft) -> float | None:
    """The most the law's punitive measures would give, as a yardstick for 'reasonable'."""
    price = draft.answer("amount")
    if price is None:
        return None
    if draft.answer("theme") == "food_safety":
        return max(10 * price, 1000.0)
    return max(3 * price, 500.0)


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
    Field("kind", choice_reader("kind", vocab.KINDS), choices=vocab.KINDS, label_prefix="kind",
          after=lambda v, d: "note.report_explained" if v == "report" else None),
    Field("for_whom", choice_reader("for_whom", vocab.FOR_WHOM), kinds=COMPLAINT,
          choices=vocab.FOR_WHOM, label_prefix="for_whom",
          after=lambda v, d: "note.authorisation" if v == "other" else None),
    Field("narrative", text_reader(8, 2000, "narrative")),
    Field("business_name", text_reader(2, 100, "business_name"),
          after=lambda v, d: None if looks_registered(v) else "note.shop_name"),
    Field("business_address", read_business_address),
    Field("credit_code", read_credit_code, optional=True),
    Field("district", read_district, choices=DISTRICT_NAMES),
    Field("channel", choice_reader("channel", vocab.CHANNELS), choices=vocab.CHANNELS,
          label_prefix="channel"),
    Field("store_name", text_reader(2, 60, "store_name"),
          applies=lambda d: d.answer("channel") == "store"),
    Field("platform", read_platform, choices=vocab.PLATFORMS, label_prefix="platform",
          applies=lambda d: d.answer("channel") == "online"),
    Field("order_number", read_order_number, optional=True,
          applies=lambda d: d.answer("channel") == "online"),
    Field("product", text_reader(1, 50, "product")),
    Field("purchase_date", read_date),
    Field("amount", read_amount, kinds=COMPLAINT),
    Field("report_amount", read_optional_amount, kinds=REPORT, optional=True),
    Field("problem", text_reader(4, 1500, "problem")),
    Field("theme", choice_reader("theme", vocab.THEMES), kinds=COMPLAINT, choices=vocab.THEMES,
          label_prefix="theme"),
    Field("violation", choice_reader("violation", vocab.VIOLATIONS), kinds=REPORT,
          choices=vocab.VIOLATIONS, label_prefix="violation"),
    Field("contacted", choice_reader("contacted", ("yes", "no")), kinds=COMPLAINT,
          choices=("yes", "no"), label_prefix="contacted",
          after=lambda v, d: "note.contact_first" if v == "no" else None),
    Field("contact_result", text_reader(2, 500, "contact_result"), kinds=COMPLAINT,
          applies=lambda d: d.answer("contacted") == "yes"),
    Field("demands", read_demands, kinds=COMPLAINT, choices=vocab.DEMANDS,
          label_prefix="demand", multi=True),
    Field("compensation", read_compensation, kinds=COMPLAINT,
          applies=lambda d: "compensation" in (d.answer("demands") or [])),
    Field("demand_other", text_reader(2, 200, "demand_other"), kinds=COMPLAINT,
          applies=lambda d: "other" in (d.answer("demands") or [])),
    Field("evidence", read_evidence, choices=vocab.EVIDENCE, label_prefix="evidence",
          multi=True, after=lambda v, d: "note.no_evidence" if v == [] else None),
    Field("reuse_profile", choice_reader("reuse_profile", ("yes", "no")), choices=("yes", "no"),
          label_prefix="reuse_profile", in_summary=False, applies=_has_profile_to_offer,
          apply=_fill_from_profile),
    Field("complainant_name", text_reader(2, 30, "complainant_name")),
    Field("complainant_phone", read_phone),
    Field("complainant_address", text_reader(5, 40, "complainant_address")),
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
