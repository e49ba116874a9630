"""The advice rules, declared as data: when each applies, what it says, when it is shown.

A rule cites the section of DOMAIN.md it comes from. Its `say` lines are catalog keys under
`advice.` (texts in locale/<locale>/advice.toml) with the fillers for their placeholders; a
line whose filler knows nothing (no price yet) is left out, so a rule can give a general line
early and a computed one once the amount is known. Adding a rule = one declaration here and
its text in the catalog.

Priorities (lower first): emergencies 0–9, where to go 10–19, what the law allows 20–39,
evidence 40–59, other tips 60+.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from flows.advice.case import AdviceCase
from flows.advice.conditions import (
    ALWAYS,
    BOUGHT_IT,
    HAS_AMOUNT,
    HAS_PURCHASE,
    HAS_SESSION_SUM,
    HAS_TERM_SUM,
    TIME_CARD,
    VISIT_CARD,
    Condition,
    Filler,
    asked_for,
    bought_within,
    channel_is,
    evidence_kinds,
    fault_days,
    fault_within,
    has_file,
    kind_is,
    mentions,
    months_left,
    multiple_with_floor,
    per_session,
    platform_name,
    price,
    product_is,
    referred_to,
    remaining_count,
    term_months,
    theme_is,
    unused_balance,
    unused_term_balance,
)
from flows.catalog import Catalog

# When advice is shown: right after the account is read, at the evidence question, at the
# demand question, at the reporter's name question (a 举报 may stay anonymous), in the draft.
ACCOUNT_READ = "account_read"
EVIDENCE_QUESTION = "evidence_question"
DEMAND_QUESTION = "demand_question"
IDENTITY_QUESTION = "identity_question"
DRAFT = "draft"
MOMENTS = (ACCOUNT_READ, EVIDENCE_QUESTION, DEMAND_QUESTION, IDENTITY_QUESTION, DRAFT)


@dataclass(frozen=True)
class Say:
    """One catalog key and how to fill its placeholders; `only_if` narrows it further."""

    key: str
    params: Mapping[str, Filler] = field(default_factory=dict)
    only_if: Condition = ALWAYS


@dataclass(frozen=True)
class Rule:
    """One piece of case advice: when it applies, what it says, at which moments, how urgent
    (lower `priority` is shown first) and which section of DOMAIN.md it rests on."""

    id: str
    moments: tuple[str, ...]
    when: Condition
    say: tuple[Say, ...]
    priority: int
    source: str  # the DOMAIN.md section, e.g. "§11"
    # Catalog keys of the interview's generic notes this advice makes wrong for the case
    # (no "talk to the business first" when the owner vanished with the money).
    replaces: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.moments) - set(MOMENTS)
        if unknown or not self.moments or not self.say:
            raise ValueError(f"rule {self.id}: needs moments from {MOMENTS} and something to say")


@dataclass(frozen=True)
class Advice:
    """One piece of advice to show: render it with `catalog.text(key, **params)`."""

    rule_id: str
    key: str
    params: Mapping[str, str]
    priority: int
    source: str
    replaces: tuple[str, ...] = ()


# ---- conditions shared by several rules ------------------------------------------------------

COMPLAINT = kind_is("complaint")
REPORT = kind_is("report")
FOOD = theme_is("food_safety")
ONLINE = channel_is("online") | mentions("distance_sale")
LIVESTREAM = mentions("livestream")
SANBAO_FAULT = product_is("sanbao_goods") & ~product_is("service") & mentions("performance_fault")
PREPAID = mentions("prepaid")
PREPAID_STOPPED = PREPAID & mentions("business_gone")
DECEIVED_OF_MONEY = mentions("scam")
# the owner named as gone ("老板跑了"), or the shop closed and nobody there to be reached
# ("突然关门了，人都找不着了"): either alone is an ordinary complaint
OWNER_VANISHED = mentions("owner_vanished") | (mentions("shop_closed") & mentions("people_gone"))
CURE_CLAIMS = mentions("cure_claim") & (mentions("health_product") | mentions("elderly"))
FALSE_CLAIMS = (theme_is("false_ad", "counterfeit") | mentions("false_claims")) & ~FOOD
HARMED = mentions("harm")
# someone already saw a doctor ("去社区医院看了"): keep the records rather than "see one first"
SAW_DOCTOR = mentions("saw_doctor")
FLIGHT = mentions("flight") | referred_to("airline")
AGENCY_FEE = FLIGHT & mentions("travel_agency") & mentions("agency_fee")
CITY_MATTER = mentions("city_matter")
# Advice that assumes a purchase (keep the receipt, the leftovers, the order page) fits a
# complaint and a reporter who bought; a reporter who only saw it gets advice on what they saw.
BUYER = COMPLAINT | BOUGHT_IT
NON_BUYING_REPORTER = REPORT & ~BOUGHT_IT
# a reporter afraid the business will learn who reported it: one answer instead of two
WORRIED_REPORTER = mentions("identity_worry")
VIDEO = mentions("video") | LIVESTREAM | has_file("video")
# which refund sum fits a prepaid card: by the visit, by the time, or (unknown) both ways
ONLY_VISITS = VISIT_CARD & ~TIME_CARD
ONLY_TIME = TIME_CARD & ~VISIT_CARD

# Emergencies: as soon as the account is read, again once the problem has been described in
# full (before the demand), and in the draft.
URGENT = (ACCOUNT_READ, DEMAND_QUESTION, DRAFT)

RULES: tuple[Rule, ...] = (
    # ---- emergencies first -----------------------------------------------------------------
    Rule("police.deceit", URGENT, DECEIVED_OF_MONEY,
         (Say("advice.police.deceit"),), priority=0, source="§6, §9, §11",
         replaces=("note.contact_first",)),
    Rule("police.owner_vanished", URGENT, OWNER_VANISHED,
         (Say("advice.police.owner_vanished"),), priority=0, source="§11",
         replaces=("note.contact_first",)),
    Rule("health.see_doctor", URGENT, HARMED,
         (Say("advice.health.see_doctor", only_if=~SAW_DOCTOR),
          Say("advice.health.keep_records", only_if=SAW_DOCTOR)),
         priority=1, source="§11"),
    Rule("cure_claims.false_ad", (ACCOUNT_READ, DRAFT), CURE_CLAIMS,
         (Say("advice.cure_claims.false_ad"),), priority=2, source="§11"),
    # ---- where the matter goes ---------------------------------------------------------------
    Rule("referral.city_12345", (ACCOUNT_READ, DRAFT), CITY_MATTER,
         (Say("advice.referral.city_12345"),
          Say("advice.referral.keep_consumer_part", only_if=HAS_PURCHASE)),
         priority=10, source="§6, §11"),
    Rule("flight.carrier_refund", (ACCOUNT_READ, DEMAND_QUESTION, DRAFT),
         FLIGHT & mentions("carrier_caused"),
         (Say("advice.flight.carrier_refund"),), priority=11, source="§6, §11"),
    Rule("flight.agency_fee", (ACCOUNT_READ, DRAFT), AGENCY_FEE,
         (Say("advice.flight.agency_fee", {"platform": platform_name}),),
         priority=12, source="§11", replaces=("scope.warning", "warning.out_of_scope")),
    Rule("report.anonymity", (IDENTITY_QUESTION, DRAFT), REPORT & ~WORRIED_REPORTER,
         (Say("advice.report.anonymity"),), priority=13, source="§11"),
    Rule("report.anonymity_asked", (ACCOUNT_READ,),
         REPORT & mentions("anonymity") & ~WORRIED_REPORTER,
         (Say("advice.report.anonymity"),), priority=13, source="§11"),
    Rule("report.identity_worry", (ACCOUNT_READ, IDENTITY_QUESTION, DRAFT),
         REPORT & WORRIED_REPORTER,
         (Say("advice.report.identity_worry"),), priority=13, source="§11"),
    Rule("report.no_purchase_needed", (ACCOUNT_READ, DRAFT),
         REPORT & (theme_is("unlicensed") | mentions("unlicensed")),
         (Say("advice.report.no_purchase_needed"),), priority=14, source="§1, §11"),
    # ---- what the law allows -----------------------------------------------------------------
    Rule("sanbao.within_7_days", (ACCOUNT_READ, DEMAND_QUESTION, DRAFT),
         COMPLAINT & SANBAO_FAULT & fault_within(7),
         (Say("advice.sanbao.within_7_days", {"days": fault_days}),),
         priority=20, source="§3, §11"),
    Rule("sanbao.within_15_days", (ACCOUNT_READ, DEMAND_QUESTION, DRAFT),
         COMPLAINT & SANBAO_FAULT & fault_within(15, after=7),
         (Say("advice.sanbao.within_15_days", {"days": fault_days}),),
         priority=20, source="§3, §11"),
    Rule("online.no_reason_return", (ACCOUNT_READ, DEMAND_QUESTION, DRAFT),
         COMPLAINT & ONLINE & bought_within(7) & ~FOOD & ~mentions("no_reason_exception")
         & ~product_is("service") & ~PREPAID,
         (Say("advice.online.no_reason_return"),), priority=21, source="§3, §11"),
    Rule("prepaid.refund_balance", (ACCOUNT_READ, DEMAND_QUESTION, DRAFT),
         COMPLAINT & PREPAID_STOPPED,
         (Say("advice.prepaid.refund_balance"),
          Say("advice.prepaid.balance_sum", {"remaining": remaining_count,
                                             "each": per_session, "total": unused_balance},
              only_if=HAS_SESSION_SUM & ~TIME_CARD),
          Say("advice.prepaid.term_sum", {"price": price, "months": term_months,
                                          "left": months_left, "total": unused_term_balance},
              only_if=HAS_TERM_SUM & ~VISIT_CARD),
          Say("advice.prepaid.balance_how_visits",
              only_if=ONLY_VISITS & ~HAS_SESSION_SUM),
          Say("advice.prepaid.balance_how_time", only_if=ONLY_TIME & ~HAS_TERM_SUM),
          Say("advice.prepaid.balance_how", only_if=~ONLY_VISITS & ~ONLY_TIME)),
         priority=22, source="§3, §11"),
    Rule("prepaid.refund_on_refusal", (DEMAND_QUESTION, DRAFT),
         COMPLAINT & PREPAID & ~mentions("business_gone") & (asked_for("refund")
                                                            | asked_for("return_refund")),
         (Say("advice.prepaid.refund_on_refusal"),), priority=23, source="§3"),
    Rule("food.compensation", (DEMAND_QUESTION, DRAFT), COMPLAINT & FOOD,
         (Say("advice.food.compensation"),
          Say("advice.food.compensation_sum", {"price": price,
                                               "sum": multiple_with_floor(10, 1000)},
              only_if=HAS_AMOUNT)),
         priority=24, source="§3, §11"),
    Rule("fraud.triple", (DEMAND_QUESTION, DRAFT), COMPLAINT & FALSE_CLAIMS,
         (Say("advice.fraud.triple"),
          Say("advice.fraud.triple_sum", {"price": price, "sum": multiple_with_floor(3, 500)},
              only_if=HAS_AMOUNT)),
         priority=25, source="§3, §11"),
    Rule("platform.seller_identity", (DEMAND_QUESTION, DRAFT),
         COMPLAINT & (LIVESTREAM | (ONLINE & mentions("seller_unreachable"))),
         (Say("advice.platform.seller_identity"),), priority=26, source="§11"),
    Rule("quality.burden_of_proof", (EVIDENCE_QUESTION, DRAFT),
         COMPLAINT & product_is("burden_goods") & bought_within(183)
         & (theme_is("quality") | mentions("performance_fault")),
         (Say("advice.quality.burden_of_proof"),), priority=27, source="§3"),
    # ---- evidence that matters for this case -------------------------------------------------
    Rule("report.evidence", (EVIDENCE_QUESTION, DRAFT), NON_BUYING_REPORTER,
         (Say("advice.report.evidence"),), priority=40, source="§1, §11",
         replaces=("note.no_evidence",)),
    Rule("food.keep_evidence", (ACCOUNT_READ, EVIDENCE_QUESTION, DRAFT), FOOD & BUYER,
         # the medical records are said by health.see_doctor when someone was harmed
         (Say("advice.food.keep_evidence", only_if=~HARMED),
          Say("advice.food.keep_evidence_food", only_if=HARMED)),
         priority=40, source="§11"),
    Rule("livestream.evidence", (ACCOUNT_READ, EVIDENCE_QUESTION, DRAFT), LIVESTREAM & BUYER,
         (Say("advice.livestream.evidence"),), priority=41, source="§11"),
    Rule("prepaid.evidence", (EVIDENCE_QUESTION, DRAFT), PREPAID & BUYER,
         (Say("advice.prepaid.evidence"),), priority=42, source="§11"),
    Rule("fraud.evidence", (EVIDENCE_QUESTION,), COMPLAINT & FALSE_CLAIMS & ~LIVESTREAM,
         (Say("advice.fraud.evidence"),), priority=43, source="§11"),
    Rule("sanbao.test_report", (EVIDENCE_QUESTION, DRAFT),
         COMPLAINT & SANBAO_FAULT & fault_within(15),
         (Say("advice.sanbao.test_report"),), priority=44, source="§11"),
    Rule("evidence.video_size", (EVIDENCE_QUESTION, DRAFT), VIDEO,
         (Say("advice.evidence.video_size"),), priority=45, source="§4"),
    Rule("evidence.combine_pdf", (EVIDENCE_QUESTION, DRAFT), evidence_kinds(3),
         (Say("advice.evidence.combine_pdf"),), priority=46, source="§4"),
)

# The draft's check section states the legal measure of a compensation asked for (a finding
# of flows.composition.review_demands); the rule saying the same is then left out of the
# draft's 「你可以参考」 section, so the point is made once.
MEASURE_RULES = {"food_measure": "food.compensation", "fraud_measure": "fraud.triple"}


# The rules that replace a generic note: all a look for replaced notes needs to evaluate
# (every turn of the interview asks), rather than every rule.
REPLACING_RULES = tuple(rule for rule in RULES if rule.replaces)


def advice_for(case: AdviceCase, moment: str, rules: tuple[Rule, ...] = RULES,
               already_shown: Collection[str] = ()) -> list[Advice]:
    """The advice to show at `moment` (one of MOMENTS), emergencies first, each key once.

    `already_shown`: keys the user saw at an earlier moment of this interview, left out so a
    question does not repeat what was said after the account (the draft passes none: it
    collects everything)."""
    if moment not in MOMENTS:
        raise ValueError(f"unknown moment {moment!r}; expected one of {MOMENTS}")
    shown: list[Advice] = []
    seen: set[str] = set(already_shown)
    for rule in sorted(rules, key=lambda r: r.priority):
        if moment not in rule.moments or not rule.when(case):
            continue
        shown += lines_said(rule.id, rule.say, case, seen, rule.priority, rule.source, rule.replaces)
    return shown


def lines_said(rule_id: str, say: Sequence[Say], case: AdviceCase, seen: set[str], priority: int,
         source: str, replaces: tuple[str, ...] = ()) -> list[Advice]:
    """The lines of one rule (or side question) that apply to this case and are not in
    `seen`, each with its parameters filled; `seen` records them. A line whose parameter
    cannot be filled (no price known) is left out."""
    shown: list[Advice] = []
    for line in say:
        if line.key in seen or not line.only_if(case):
            continue
        params = {name: fill(case) for name, fill in line.params.items()}
        if any(value is None for value in params.values()):
            continue
        seen.add(line.key)
        shown.append(Advice(rule_id, line.key, params, priority, source, replaces))
    return shown


def fired_rules(case: AdviceCase, rules: tuple[Rule, ...] = RULES) -> dict[str, list[str]]:
    """rule id -> the moments it fires at, for every rule that fires at any moment."""
    fired: dict[str, list[str]] = {}
    for moment in MOMENTS:
        for advice in advice_for(case, moment, rules):
            moments = fired.setdefault(advice.rule_id, [])
            if moment not in moments:
                moments.append(moment)
    return fired


def superseded(advice: list[Advice]) -> set[str]:
    """Catalog keys of generic notes to leave out because this advice replaces them."""
    return {key for item in advice for key in item.replaces}


def draft_section(advice: list[Advice], catalog: Catalog) -> list[str]:
    """The draft's 「你可以参考」 section: a title and one line per advice; empty when none."""
    if not advice:
        return []
    return [catalog.text("advice.section_title"),
            *(catalog.text("advice.line", text=sentence) for sentence in render(advice, catalog))]


def render(advice: list[Advice], catalog: Catalog) -> list[str]:
    """Each piece of advice as a sentence of the catalog, in the order given."""
    return [catalog.text(item.key, **item.params) for item in advice]
