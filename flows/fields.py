"""Every question of the interview, declared once.

A field says when it applies, whether it may be skipped, what it offers and how to read an
answer. The engine asks the first applicable field still missing; the summary, the draft and
the completeness check read the same declarations. Wording lives in locale/ under
`field.<name>.prompt`, `.hint` and `.label` (a `_report` variant overrides for 举报).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec

from flows import limitation
from flows import vocabulary as vocab
from flows.catalog import Catalog
from flows.context import Context
from flows.formats import money
from flows.insight import AMOUNT_PARTS, AMOUNT_UNITS, PRETICK_CONFIDENCE, SUGGEST_CONFIDENCE, Insight
from flows.model import Draft
from flows.parsing import fold
from flows.readers import (
    DAILY_RATE,
    DEMAND_ALTERNATIVES,
    EVIDENCE_ITEMS,
    REFUND_DETAIL,
    REPAIR_DETAIL,
    Parsed,
    choice_reader,
    date_label,
    district_in_address,
    filed_for,
    find_places,
    likely_themes,
    looks_registered,
    match_labels,
    problem_reader,
    read_amount,
    read_business_address,
    read_business_name,
    read_channel,
    read_compensation,
    read_contacted,
    read_credit_code,
    read_date,
    read_demands,
    read_discovery_date,
    read_district,
    read_evidence,
    read_for_whom,
    read_name,
    read_optional_amount,
    read_order_number,
    read_phone,
    read_platform,
    read_principal_name,
    read_principal_relation,
    read_product,
    read_store_name,
    read_theme,
    text_reader,
    total_of_parts,
)
from flows.regions import BEIJING, DISTRICT_NAMES
from flows.understanding.text import normalise

Parser = Callable[[str, Context, Draft], Parsed]


class FormSlot(msgspec.Struct, frozen=True):
    """Where a field's answer goes in the finished draft.

    `complaint`/`report`: its row in that kind's 12315 form (rows are sorted by this number;
    None: not a row in that kind's form). A field that is no row of any form says why in
    `elsewhere` (e.g. "text": it feeds the complaint text), so every field is placed on purpose.
    """

    complaint: int | None = None
    report: int | None = None
    elsewhere: str = ""

    def row(self, kind: str) -> int | None:
        return self.complaint if kind == "complaint" else self.report


def row(complaint: int | None = None, report: int | None = None) -> FormSlot:
    return FormSlot(complaint, report)


def not_a_row(why: str) -> FormSlot:
    return FormSlot(elsewhere=why)


class Offer(msgspec.Struct, frozen=True):
    """What a choice question shows: the option codes in order, a line about them, and the
    code offered as a one-tap answer (None: no suggestion)."""

    codes: list[str]
    line: str | None = None
    suggested: str | None = None


Show = Callable[[Any, Catalog], str]
# From the analyzer's reading of the account (and the account itself) to this field's value.
Prefill = Callable[[Insight, str, Context], Any]
# A stored value (e.g. a confirmed suggestion) checked again as if it had been typed.
Recheck = Callable[[Any, Context, Draft], "Parsed"]


class _Declaration(msgspec.Struct, frozen=True):
    """A Field's parts that may be given by position, name and parser first. A Struct makes
    fields keyword-only per class, so the required, keyword-only `form` is on the subclass."""

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
    show: Show | None = None  # how a value reads; default: option labels, else the text
    # The option code a stored value stands for ("北京市朝阳区" → "朝阳区"): a suggested value
    # is offered once, as the one-tap answer, not again among the options.
    choice_of: Callable[[Any], Any] = lambda value: value
    prefill: Prefill | None = None
    recheck: Recheck | None = None
    offer: Callable[[Draft, Catalog], Offer] | None = None  # choices ranked for this draft
    prompt_params: Callable[[Draft], dict[str, Any]] = lambda draft: {}
    advice_moment: str = ""  # advice due before this question (a moment of flows.advice)
    optional_for: tuple[str, ...] = ()  # kinds for which this field may be left empty
    # A fact the user may have to look up (a name, an address, a date, a sum): when it is not
    # at hand, "跳过" puts the question off until the others are answered.
    may_wait: bool = False
    # A long text a reply may add to: "对 我去了大概10次" confirms what was read from the
    # account and adds the rest, instead of replacing it.
    grows: bool = False
    # Answer keys beside this field's own that the reply answering it sets (in Parsed.also)
    # or clears: which demands are alternatives ("换货或者退款都行").
    details: tuple[str, ...] = ()
    # How a value reads with its details beside it (a total with its parts), where the
    # question shows what is suggested or stored; `show` (or the default) elsewhere.
    show_details: Callable[[Any, Mapping[str, Any], Catalog], str] | None = None


class Field(_Declaration, frozen=True, kw_only=True):
    """One question, declared once: the interview, the edit summary, the draft, /status and
    the pre-fill from the account all read this declaration and nothing else."""

    form: FormSlot

    def is_needed(self, draft: Draft) -> bool:
        return self.kind_matches(draft) and self.applies(draft)

    def may_skip(self, draft: Draft) -> bool:
        return self.optional or draft.answer("kind") in self.optional_for

    def kind_matches(self, draft: Draft) -> bool:
        kind = draft.answer("kind")
        return (kind is None and self.name == "kind") or kind in self.kinds

    def option_label(self, code: str, catalog: Catalog) -> str:
        return catalog.text(f"{self.label_prefix}.{code}") if self.label_prefix else code

    def options_for(self, draft: Draft, catalog: Catalog) -> Offer:
        if self.offer is not None:
            return self.offer(draft, catalog)
        return Offer(list(self.choices))




def compensation_limit(draft: Draft) -> float | None:
    """The most the law's punitive measures would give, as a yardstick for 'reasonable'."""
    price = draft.answer("amount")
    if price is None:
        return None
    if draft.answer("theme") == "food_safety":
        return max(10 * price, 1000.0)
    return max(3 * price, 500.0)




def _fill_from_profile(draft: Draft, value: Any) -> None:
    if value == "yes":
        draft.answers.update(draft.suggestions.get("profile", {}))


def _district_from_address(draft: Draft, address: Any) -> None:
    """The business's address often names its district: the district question then offers
    it (ticked when named outright, "北京市朝阳区…"), so the user confirms it with one tap."""
    found = district_in_address(str(address))
    if found is None:
        # "广州市天河区天河路385号": a business outside Beijing; its city is offered, not ticked
        places = find_places(fold(str(address)).lower())
        if places and places[0].start <= 3 and not places[0].value.startswith(BEIJING):
            draft.suggestions["district"] = places[0].value
            if "district" in draft.sure:
                draft.sure.remove("district")
        return
    district, outright = found
    if draft.suggestions.get("district") != district:  # the address outweighs the account
        draft.suggestions["district"] = district
        if "district" in draft.sure:
            draft.sure.remove("district")
    if outright and "district" not in draft.sure:
        draft.sure.append("district")


def suggest_from_answers(draft: Draft) -> None:
    """The suggestions earlier answers give, made again after the account is read anew (a
    story typed at a later question replaces what was read from the first one)."""
    address = draft.answer("business_address")
    if address:
        _district_from_address(draft, address)


def _for_someone_else(draft: Draft) -> bool:
    return draft.answer("for_whom") == "other"


def _has_profile_to_offer(draft: Draft) -> bool:
    names = ("complainant_name", "complainant_phone", "complainant_address")
    return "profile" in draft.suggestions and not any(n in draft.answers for n in names)


def _profile_params(draft: Draft) -> dict[str, Any]:
    profile = draft.suggestions.get("profile", {})
    return {"name": profile.get("complainant_name", ""),
            "phone": profile.get("complainant_phone", ""),
            "address": profile.get("complainant_address", "")}


# ---- how answers read -----------------------------------------------------------------------


def show_date(value: Any, catalog: Catalog) -> str:
    """2025年10月1日, or 2025年10月 for a date given only to the month."""
    return date_label(value, catalog)


def show_money(value: Any, catalog: Catalog) -> str:
    return catalog.text("format.money", amount=money(value))


def show_paid(value: Any, beside: Mapping[str, Any], catalog: Catalog) -> str:
    """The sum paid, as the total of its payments when it is one ("两笔合计 12800元（9800元＋3000元）")."""
    parts = beside.get(AMOUNT_PARTS)
    if parts and len(parts) >= 2 and round(sum(parts), 2) == round(float(value), 2):
        return total_of_parts(parts, catalog)
    units = beside.get(AMOUNT_UNITS)
    if units and round(units[0] * units[1], 2) == round(float(value), 2):  # "4980元（3×1660元）"
        return catalog.text("reply.format.unit_times", total=show_money(value, catalog),
                            count=units[0], unit=show_money(units[1], catalog))
    return show_money(value, catalog)


def show_compensation(value: Any, catalog: Catalog) -> str:
    if value.get("items"):  # "医药费38元、惩罚性赔偿1000元（共1038元）"
        listed = catalog.text("format.list_separator").join(
            _with_basis(item, catalog.text("format.compensation", detail=item.get("detail") or "",
                                           amount=money(item["amount"])).replace(" ", ""), catalog)
            if item.get("amount") is not None  # "邻居维修费（以实际发生为准）"
            else catalog.text("format.compensation_pending", detail=item.get("detail") or "")
            for item in value["items"])
        if sum(item.get("amount") is not None for item in value["items"]) < 2:
            return listed
        return catalog.text("format.compensation_items", items=listed,
                            total=money(value["amount"]))
    return _with_basis(value, catalog.text("format.compensation", detail=value.get("detail") or "",
                                           amount=money(value["amount"])).strip(), catalog)


def _with_basis(value: Any, shown: str, catalog: Catalog) -> str:
    """A sum with how it was worked out, when it was: "违约金 6100元（每天100元×61天）"."""
    basis = value.get("basis")
    return catalog.text("format.compensation_basis", sum=shown, basis=basis) if basis else shown


def show_district(value: Any, catalog: Catalog) -> str:
    """A Beijing district is stored by its name; the catalog may give it another label."""
    return catalog.maybe(f"district.{value}") or str(value)


# ---- pre-fill from the account ----------------------------------------------------------------

def fact_value(insight: Insight, key: str) -> Any:
    """A fact the analyzer read with enough confidence to offer, else None."""
    found = insight.facts.get(key)
    if found is None or found.confidence < SUGGEST_CONFIDENCE or found.value in (None, "", []):
        return None
    return found.value


class FromFact(msgspec.Struct, frozen=True):
    """A pre-fill from one of the analyzer's facts, turned into the value the field stores.
    It is pre-ticked (one tap or "对" takes it) only when the analyzer is sure of the fact;
    otherwise it is offered as a possibility that the user must pick on purpose."""

    key: str
    convert: Callable[[Any, Context], Any] = lambda value, ctx: value

    def __call__(self, insight: Insight, account: str, ctx: Context) -> Any:
        value = fact_value(insight, self.key)
        return None if value is None else self.convert(value, ctx)

    def sure(self, insight: Insight) -> bool:
        found = insight.facts.get(self.key)
        return found is not None and found.confidence >= PRETICK_CONFIDENCE


def fact(key: str) -> FromFact:
    return FromFact(key)


class FromWords(msgspec.Struct, frozen=True):
    """A pre-fill from the option words an account uses ("没有营业执照" → 无证经营): the first
    option named is offered, never pre-ticked, since an account may name several."""

    field: str
    choices: tuple[str, ...]

    def __call__(self, insight: Insight, account: str, ctx: Context) -> Any:
        found = match_labels(account, ctx.catalog, self.field, self.choices, self.field)
        return found[0] if found else None

    def sure(self, insight: Insight) -> bool:
        return False


def _platform_code(name: Any, ctx: Context) -> Any:
    """Known platforms are stored by code (shown in the user's language), others by name."""
    return next((code for code in vocab.PLATFORMS
                 if ctx.catalog.text(f"platform.{code}") == name), name)


def _demand_codes(demands: Any, ctx: Context) -> Any:
    return [code for code in demands if code in vocab.DEMANDS] or None


_date_fact = FromFact("purchase_date", lambda day, ctx: day.isoformat())
_district_fact = FromFact("district", lambda district, ctx: BEIJING + district)
_channel_fact = FromFact("channel", lambda channel, ctx: channel if channel in vocab.CHANNELS
                         else None)
_platform_fact = FromFact("platform", _platform_code)
_demands_fact = FromFact("demands", _demand_codes)
_compensation_fact = FromFact("compensation_amount",
                              lambda amount, ctx: {"amount": float(amount), "detail": ""})
_contacted_fact = FromFact("contacted", lambda contacted, ctx: "yes" if contacted else "no")


def _for_whom_from_account(insight: Insight, account: str, ctx: Context) -> Any:
    """"我帮我爸投诉 …" told before the question: for someone else."""
    return "other" if filed_for(account, ctx.catalog) else None


def _relation_from_account(insight: Insight, account: str, ctx: Context) -> Any:
    return filed_for(account, ctx.catalog)


# Fields whose pre-fill is cut from the account itself, around the facts read from it.
FROM_ACCOUNT = ("problem", "contact_result")


def _problem_from_account(insight: Insight, account: str, ctx: Context) -> Any:
    """The sentences of the account about the problem, without what the form already states
    (date, place, price, demand, the user's own details); the whole account if none are left.
    The composition is imported here, with the first account, not when the chat starts."""
    from flows.composition import problem_from_account

    facts = prefills(insight, account, ctx, leave_out=FROM_ACCOUNT)
    return problem_from_account(account, facts, ctx.today, catalog=ctx.catalog) or account


def _response_from_account(insight: Insight, account: str, ctx: Context) -> Any:
    from flows.composition import response_from_account

    facts = prefills(insight, account, ctx, leave_out=FROM_ACCOUNT)
    return response_from_account(account, facts, ctx.today, catalog=ctx.catalog) or None


def _recheck_date(value: Any, ctx: Context, draft: Draft) -> Parsed:
    return FIELDS["purchase_date"].parse(value, ctx, draft)


def _recheck_compensation(value: Any, ctx: Context, draft: Draft) -> Parsed:
    if value.get("items") or value.get("basis"):  # already read with what each sum is for
        return Parsed(value)
    return FIELDS["compensation"].parse(f"{value['detail']}{value['amount']}", ctx, draft)


# ---- themes, ranked by the analyzer -----------------------------------------------------------

def _theme_prefill(insight: Insight, account: str, ctx: Context) -> Any:
    """The best theme, only when the calibrated model is sure enough for one tap."""
    return insight.themes[0].theme if insight.one_tap and insight.themes else None


def _reasons(ranked: dict[str, Any], draft: Draft) -> list[str]:
    """The words behind a theme, less what was bought and from whom: "价格收费（依据：手机）"
    names the product, not why the price is in dispute."""
    named = " ".join(str(draft.answer(name) or draft.suggestions.get(name) or "")
                     for name in ("product", "store_name", "business_name"))
    return [word for word in ranked.get("keywords", []) if word not in named]


def _grounded(ranked: dict[str, Any], draft: Draft) -> bool:
    """Whether a theme has words behind it: a reason other than what was bought, or a word of
    the theme word lists (保健品 for 虚假宣传, though it is what was bought)."""
    from flows.understanding import resources  # loads the word lists on first use

    lexicon = resources.theme_lexicon()
    return bool(_reasons(ranked, draft)) or any(
        ranked["theme"] in (theme for theme, _ in lexicon.get(word, ()))
        for word in ranked.get("keywords", []))


def _theme_offer(draft: Draft, catalog: Catalog) -> Offer:
    """Themes ranked by the analyzer; a confident top one is offered as a one-tap answer."""
    ranking = draft.theme_ranking
    codes = list(vocab.THEMES)
    if not ranking:
        return Offer(codes)
    ranked = [item["theme"] for item in ranking if item["theme"] in codes]
    codes = ranked + [code for code in codes if code not in ranked]
    top = ranking[0]
    separator = catalog.text("format.list_separator")
    if draft.suggestions.get("theme") == top["theme"]:
        reasons = separator.join(_reasons(top, draft)[:4])
        key = "suggest.theme_with_reasons" if reasons else "suggest.theme"
        return Offer(codes, catalog.text(key, theme=catalog.text(f"theme.{top['theme']}"),
                                         reasons=reasons), top["theme"])
    likely = likely_themes(draft)
    if not likely:
        return Offer(codes)
    # Unsure: a theme with grounds goes before one the model only scored ("价格收费" for a
    # phone's screen, its one word 手机 being what was bought), so option 1 is the likeliest.
    grounded = [item for item in likely if _grounded(item, draft)]
    likely = grounded + [item for item in likely if item not in grounded]
    first = [item["theme"] for item in likely if item["theme"] in codes]
    codes = first + [code for code in codes if code not in first]
    shown = []
    for item in likely:
        theme, reasons = catalog.text(f"theme.{item['theme']}"), _reasons(item, draft)
        shown.append(catalog.text("suggest.theme_reason", theme=theme,
                                  reasons=separator.join(reasons[:3])) if reasons else theme)
    names = separator.join(shown)
    return Offer(codes, catalog.text("suggest.theme_weak", themes=names))


# ---- demands, in the order that fits the purchase ------------------------------------------------

def buys_a_service(draft: Draft) -> bool:
    """Whether what was bought is a service (a gym card, a course, a decoration job): the
    product answered decides; without one, the account."""
    from flows.advice.cues import find as find_cue  # advice loads on first use, not at start

    text = normalise(str(draft.answer("product") or draft.answer("narrative") or ""))
    return any(find_cue(cue, text) for cue in ("service", "prepaid"))


def _demand_offer(draft: Draft, catalog: Catalog) -> Offer:
    """A service is refunded, not returned: its demand options start with the refund."""
    return Offer(list(vocab.SERVICE_DEMANDS if buys_a_service(draft) else vocab.DEMANDS))


# ---- the interview, in the order it is asked ---------------------------------------------

COMPLAINT = ("complaint",)
REPORT = ("report",)
IN_TEXT = "text"  # feeds the complaint text rather than a row of the form
STEERS = "interview"  # steers the interview; its effect shows elsewhere

_FIELD_LIST: tuple[Field, ...] = (
    Field("kind", choice_reader("kind", vocab.KINDS), choices=vocab.KINDS, label_prefix="kind",
          after=lambda v, d: "note.report_explained" if v == "report" else None,
          form=not_a_row("the draft's title and wording")),
    Field("for_whom", read_for_whom, kinds=COMPLAINT, prefill=_for_whom_from_account,
          choices=vocab.FOR_WHOM, label_prefix="for_whom",
          after=lambda v, d: "note.authorisation" if v == "other" else None,
          form=row(complaint=10)),
    # For someone else: the complaint is written as 我代我母亲王某某投诉.
    Field("principal_name", read_principal_name, may_wait=True, kinds=COMPLAINT,
          applies=_for_someone_else, form=row(complaint=12)),
    Field("principal_relation", read_principal_relation, kinds=COMPLAINT,
          applies=_for_someone_else, prefill=_relation_from_account, form=row(complaint=14)),
    Field("narrative", text_reader(8, 2000, "narrative"), form=not_a_row(IN_TEXT)),
    Field("business_name", read_business_name, may_wait=True, prefill=fact("business_name"),
          after=lambda v, d: None if looks_registered(v) else "note.shop_name",
          form=row(complaint=20, report=10)),
    Field("business_address", read_business_address, may_wait=True, apply=_district_from_address,
          form=row(complaint=40, report=30)),
    Field("credit_code", read_credit_code, optional=True, form=row(complaint=30, report=20)),
    Field("district", read_district, may_wait=True, choices=DISTRICT_NAMES, show=show_district,
          choice_of=lambda value: str(value).removeprefix(BEIJING),
          prefill=_district_fact, form=row(complaint=50, report=40)),
    Field("channel", read_channel, choices=vocab.CHANNELS,
          label_prefix="channel", prefill=_channel_fact, form=row(complaint=120, report=60)),
    Field("store_name", read_store_name, may_wait=True,
          applies=lambda d: d.answer("channel") == "store", prefill=fact("store_name"),
          form=row(complaint=130, report=70)),
    Field("platform", read_platform, may_wait=True, choices=vocab.PLATFORMS, label_prefix="platform",
          applies=lambda d: d.answer("channel") == "online", prefill=_platform_fact,
          form=row(complaint=140, report=80)),
    Field("order_number", read_order_number, optional=True,
          applies=lambda d: d.answer("channel") == "online", prefill=fact("order_number"),
          form=row(complaint=150, report=90)),
    Field("product", read_product, may_wait=True, prefill=fact("product"),
          form=row(complaint=100, report=50)),
    Field("purchase_date", read_date, may_wait=True, show=show_date, prefill=_date_fact, recheck=_recheck_date,
          form=row(complaint=110, report=110)),
    Field("discovered_on", read_discovery_date, may_wait=True, kinds=COMPLAINT, show=show_date,
          applies=limitation.purchase_is_old, form=row(complaint=115, report=115)),
    Field("amount", read_amount, may_wait=True, kinds=COMPLAINT, show=show_money, prefill=fact("amount"),
          details=(AMOUNT_PARTS, AMOUNT_UNITS), show_details=show_paid, form=row(complaint=160)),
    Field("report_amount", read_optional_amount, kinds=REPORT, optional=True, show=show_money,
          form=row(report=120)),
    Field("problem", problem_reader(), prefill=_problem_from_account, grows=True,
          form=not_a_row(IN_TEXT)),
    Field("theme", read_theme, kinds=COMPLAINT, choices=vocab.THEMES,
          label_prefix="theme", prefill=_theme_prefill, offer=_theme_offer,
          form=row(complaint=90)),
    Field("violation", choice_reader("violation", vocab.VIOLATIONS), kinds=REPORT,
          choices=vocab.VIOLATIONS, label_prefix="violation", form=row(report=100),
          prefill=FromWords("violation", tuple(v for v in vocab.VIOLATIONS if v != "other"))),
    Field("contacted", read_contacted, kinds=COMPLAINT,
          choices=("yes", "no"), label_prefix="contacted", prefill=_contacted_fact,
          after=lambda v, d: "note.contact_first" if v == "no" else None,
          form=not_a_row(IN_TEXT)),
    Field("contact_result", text_reader(2, 500, "contact_result"), kinds=COMPLAINT, grows=True,
          applies=lambda d: d.answer("contacted") == "yes", prefill=_response_from_account,
          form=not_a_row(IN_TEXT)),
    Field("demands", read_demands, kinds=COMPLAINT, choices=vocab.DEMANDS,
          details=(DEMAND_ALTERNATIVES, REFUND_DETAIL, REPAIR_DETAIL),
          label_prefix="demand", multi=True, prefill=_demands_fact, offer=_demand_offer,
          advice_moment="demand_question", form=not_a_row("the demand row and the text")),
    Field("compensation", read_compensation, kinds=COMPLAINT, show=show_compensation,
          applies=lambda d: "compensation" in (d.answer("demands") or []),
          prefill=_compensation_fact, recheck=_recheck_compensation, details=(DAILY_RATE,),
          form=not_a_row("the demand row and the text")),
    Field("demand_other", text_reader(2, 200, "demand_other"), kinds=COMPLAINT,
          applies=lambda d: "other" in (d.answer("demands") or []),
          form=not_a_row("the demand row and the text")),
    Field("evidence", read_evidence, choices=vocab.EVIDENCE, label_prefix="evidence",
          details=(EVIDENCE_ITEMS,),
          multi=True, advice_moment="evidence_question",
          after=lambda v, d: "note.no_evidence" if v == [] else None,
          form=not_a_row("the evidence list and the text")),
    Field("reuse_profile", choice_reader("reuse_profile", ("yes", "no")), choices=("yes", "no"),
          label_prefix="reuse_profile", in_summary=False, applies=_has_profile_to_offer,
          optional_for=REPORT,  # a reporter may leave all of it out (DOMAIN.md §11)
          apply=_fill_from_profile, prompt_params=_profile_params, form=not_a_row(STEERS)),
    # A report may be made without a name (DOMAIN.md §11): the reporter may skip these.
    Field("complainant_name", read_name, advice_moment="identity_question",
          optional_for=REPORT, form=row(complaint=60, report=130)),
    Field("complainant_phone", read_phone, optional_for=REPORT,
          form=row(complaint=70, report=140)),
    Field("complainant_address", text_reader(5, 40, "complainant_address"), optional_for=REPORT,
          form=row(complaint=80, report=150)),
)

FIELDS: dict[str, Field] = {spec.name: spec for spec in _FIELD_LIST}
ORDER: tuple[str, ...] = tuple(FIELDS)
PROFILE_FIELDS = ("complainant_name", "complainant_phone", "complainant_address")


def needed_fields(draft: Draft) -> list[Field]:
    return [spec for spec in _FIELD_LIST if spec.is_needed(draft)]


def next_missing(draft: Draft) -> Field | None:
    """The first question this draft still needs (docassemble's rule, in a line); the ones
    put off for later come when no other is left, in the order they were put off."""
    missing = [spec for spec in needed_fields(draft)
               if spec.name not in draft.answers and spec.name not in draft.skipped]
    now = [spec for spec in missing if spec.name not in draft.later]
    if now:
        return now[0]
    return min(missing, key=lambda spec: draft.later.index(spec.name), default=None)


def improves(name: str, old: Any, new: Any) -> bool:
    """Whether `new`, said in passing, should replace the answer `old`: a registered business
    name replacing a shop's name (the user went and found the licence), or a compensation
    named item by item with the demands ("重做防水；赔延期违约金6100元；邻居维修费按实际")
    replacing the one given before."""
    if name == "compensation":
        return old is not None and isinstance(new, dict) and bool(new.get("items")) and old != new
    return (name == "business_name" and old is not None and not looks_registered(str(old))
            and looks_registered(str(new)))


def may_put_off(spec: Field, draft: Draft) -> bool:
    """Whether question `spec` may wait until the end: a fact to look up, with another
    question left to answer meanwhile."""
    return spec.may_wait and any(
        other.name != spec.name and other.name not in draft.answers
        and other.name not in draft.skipped for other in needed_fields(draft))


def form_rows(draft: Draft, kind: str) -> list[Field]:
    """The fields that are rows of this kind's 12315 form, in the form's order."""
    placed = [spec for spec in _FIELD_LIST if spec.form.row(kind) is not None]
    return sorted(placed, key=lambda spec: spec.form.row(kind) or 0)


def sure_of(name: str, insight: Insight) -> bool:
    """Whether the pre-fill of field `name` may be taken with one tap or a "对"."""
    sure = getattr(FIELDS[name].prefill, "sure", None)
    return sure(insight) if sure is not None else True


def prefills(insight: Insight, account: str, ctx: Context,
             leave_out: Sequence[str] = ()) -> dict[str, Any]:
    """Every field's value read from the account, by field name (fields with none left out)."""
    found: dict[str, Any] = {}
    for spec in _FIELD_LIST:
        if spec.prefill is not None and spec.name not in leave_out:
            value = spec.prefill(insight, account, ctx)
            if value not in (None, "", []):
                found[spec.name] = value
    return found


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


def display_beside(spec: Field, value: Any, beside: Mapping[str, Any], catalog: Catalog) -> str:
    """An answer or suggestion as the question shows it, with the details kept beside it."""
    if spec.show_details is not None and value is not None:
        return spec.show_details(value, beside, catalog)
    return display(spec, value, catalog)


def display(spec: Field, value: Any, catalog: Catalog) -> str:
    """An answer as the user would write it: labels for codes, 2025年10月1日, 1299元."""
    if value is None:
        return ""
    if spec.show is not None:
        return spec.show(value, catalog)
    if spec.multi:
        if not value:
            return catalog.text("format.none")
        return catalog.text("format.list_separator").join(
            spec.option_label(code, catalog) for code in value)
    if spec.label_prefix and value in spec.choices:
        return spec.option_label(value, catalog)
    return str(value)
