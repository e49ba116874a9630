"""The finished draft: form fields to copy, the complaint text, checks, warnings, next steps.

Everything is plain text (no markup) so it survives forwarding and pasting; each part is
its own reply and stays under MAX_PART characters. The fraud warning is always last.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows import vocabulary as vocab
from flows.catalog import Catalog
from flows.fields import (
    FIELDS,
    compensation_limit,
    display,
    looks_registered,
    money,
    years_since,
)
from flows.insight import Insight
from flows.model import Attachment, Document, Draft, Reply
from flows.overview import label
from flows.parsing import parse_phone
from flows.regions import BEIJING

TEXT_BOX_LIMIT = 400  # the 12315 form's main text box
MAX_PART = 4000
MAX_COPYABLE = 256
MAX_FILES = 4
MAX_FILE_BYTES = 5 * 1024 * 1024
ALLOWED_TYPES = ("jpg", "jpeg", "png", "pdf", "mp3", "mp4")

FORM_ORDER: dict[str, tuple[str, ...]] = {
    "complaint": (
        "for_whom", "business_name", "credit_code", "business_address", "district",
        "complainant_name", "complainant_phone", "complainant_address", "theme", "product",
        "purchase_date", "channel", "store_name", "platform", "order_number", "amount",
    ),
    "report": (
        "business_name", "credit_code", "business_address", "district", "product", "channel",
        "store_name", "platform", "order_number", "violation", "purchase_date", "report_amount",
        "complainant_name", "complainant_phone", "complainant_address",
    ),
}


def render(draft: Draft, catalog: Catalog, today: date) -> list[Reply]:
    """The whole finished draft as replies, in reading order, fraud warning last."""
    kind = draft.answer("kind") or "complaint"
    short, full = complaint_text(draft, catalog)
    parts: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
    fields_text, copyable = _form_fields(draft, kind, catalog)
    parts.append(("fields", fields_text, copyable))
    parts.append(("text", catalog.text(f"draft.text_title_{kind}", count=len(short))
                  + "\n" + short, ()))
    if full != short:
        parts.append(("full_text", catalog.text("draft.full_title", count=len(full))
                      + "\n" + full, ()))
    parts.append(("evidence", _evidence(draft, catalog), ()))
    parts.append(("check", _checklist(draft, kind, catalog), ()))
    warnings = _warnings(draft, catalog, today)
    if warnings:
        parts.append(("warnings", warnings, ()))
    parts.append(("next_steps", _next_steps(draft, kind, catalog), ()))
    parts.append(("fraud", catalog.text("draft.fraud_warning"), ()))
    whole = "\n\n".join(text for _, text, _ in parts)
    document = Document(catalog.text("draft.filename", number=draft.number), whole + "\n")
    replies = []
    for section, text, copy in parts:
        replies.append(Reply(text[:MAX_PART], part="draft", section=section, copyable=copy,
                             document=document if section == "next_steps" else None))
    return replies


def plain_text(draft: Draft, catalog: Catalog, today: date) -> str:
    """The whole draft as one text (what the .txt document holds)."""
    return "\n\n".join(reply.text for reply in render(draft, catalog, today))


# ---- 1. the form fields -------------------------------------------------------------------


def _form_fields(draft: Draft, kind: str, catalog: Catalog
                 ) -> tuple[str, tuple[tuple[str, str], ...]]:
    lines = [catalog.text(f"draft.fields_title_{kind}", number=draft.number)]
    copyable: list[tuple[str, str]] = []
    for name in FORM_ORDER[kind]:
        spec = FIELDS[name]
        if not spec.is_needed(draft) or name not in draft.answers:
            continue
        shown = display(spec, draft.answers[name], catalog)
        field_label = label(spec, draft, catalog)
        lines.append(catalog.text("draft.field_line", label=field_label, value=shown))
        if len(shown) <= MAX_COPYABLE:
            copyable.append((field_label, shown))
    if kind == "complaint":
        demand = demand_phrase(draft, catalog)
        lines.append(catalog.text("draft.field_line", label=catalog.text("draft.demand_label"),
                                  value=demand))
        copyable.append((catalog.text("draft.demand_label"), demand))
    return "\n".join(lines), tuple(copyable)


def demand_phrase(draft: Draft, catalog: Catalog) -> str:
    """'退货退款，并赔偿交通费200元': the demands as one clause."""
    phrases = []
    for code in draft.answer("demands") or []:
        if code == "compensation" and draft.answer("compensation"):
            value = draft.answer("compensation")
            phrases.append(catalog.text("demand_phrase.compensation",
                                        detail=value.get("detail") or "",
                                        amount=money(value["amount"])))
        elif code == "other" and draft.answer("demand_other"):
            phrases.append(_no_final_stop(draft.answer("demand_other")))
        elif code not in ("compensation", "other"):
            phrases.append(catalog.text(f"demand_phrase.{code}"))
    return catalog.text("demand_phrase.joiner").join(phrases)


# ---- 2. the complaint text ----------------------------------------------------------------


def complaint_text(draft: Draft, catalog: Catalog) -> tuple[str, str]:
    """(text for the 400-character box, full text); equal when the full one fits."""
    pieces = _story_pieces(draft, catalog)
    full = "".join(pieces.values())
    if len(full) <= TEXT_BOX_LIMIT:
        return full, full
    if "contact" in pieces:
        pieces["contact"] = catalog.text("story.contacted_short")
    pieces["problem"] = ""
    rest = len("".join(pieces.values()))
    problem = _sentence(draft.answer("problem") or "")
    budget = TEXT_BOX_LIMIT - rest
    if len(problem) > budget:
        problem = problem[: max(budget - 2, 0)] + "……" if budget >= 2 else ""
    pieces["problem"] = problem
    short = "".join(pieces.values())
    if len(short) > TEXT_BOX_LIMIT:
        short = short[: TEXT_BOX_LIMIT - 2] + "……"
    return short, full


def _story_pieces(draft: Draft, catalog: Catalog) -> dict[str, str]:
    kind = draft.answer("kind") or "complaint"
    day = display(FIELDS["purchase_date"], draft.answer("purchase_date"), catalog)
    place = _place(draft, catalog)
    product = draft.answer("product") or ""
    pieces: dict[str, str] = {}
    if kind == "report":
        violation = display(FIELDS["violation"], draft.answer("violation"), catalog)
        pieces["intro"] = catalog.text("story.report_intro", date=day, place=place,
                                       business=draft.answer("business_name") or "",
                                       product=product, violation=violation)
        pieces["problem"] = _sentence(draft.answer("problem") or "")
        pieces["ask"] = catalog.text("story.report_ask")
    else:
        pieces["intro"] = catalog.text("story.intro", date=day, place=place, product=product,
                                       amount=money(draft.answer("amount") or 0))
        pieces["problem"] = _sentence(draft.answer("problem") or "")
        if draft.answer("contacted") == "yes" and draft.answer("contact_result"):
            pieces["contact"] = catalog.text(
                "story.contacted", result=_sentence(draft.answer("contact_result")))
        pieces["demand"] = catalog.text("story.demand", demand=demand_phrase(draft, catalog))
    evidence = draft.answer("evidence") or []
    if evidence:
        names = catalog.text("format.list_separator").join(
            catalog.text(f"evidence.{code}") for code in evidence)
        pieces["evidence"] = catalog.text("story.evidence", evidence=names)
    return pieces


def _place(draft: Draft, catalog: Catalog) -> str:
    business = draft.answer("business_name") or ""
    if draft.answer("channel") == "online":
        order = draft.answer("order_number")
        text = catalog.text("story.place_online", platform=draft.answer("platform") or "",
                            business=business)
        return text + (catalog.text("story.order", order=order) if order else "")
    store = draft.answer("store_name") or business
    if business and business != store:
        return catalog.text("story.place_store_with_business", store=store, business=business)
    return catalog.text("story.place_store", store=store)


def _no_final_stop(text: str) -> str:
    return text.rstrip("。.!！;；，, ")


def _sentence(text: str) -> str:
    stripped = _no_final_stop(text.strip())
    return stripped + "。" if stripped else ""


# ---- 3. evidence --------------------------------------------------------------------------


def _evidence(draft: Draft, catalog: Catalog) -> str:
    have = draft.answer("evidence") or []
    lines = [catalog.text("draft.evidence_title")]
    for code in vocab.EVIDENCE:
        if code == "contract" and code not in have:
            continue  # only service purchases have one; not worth a nag otherwise
        key = "draft.evidence_have" if code in have else "draft.evidence_missing"
        lines.append(catalog.text(key, item=catalog.text(f"evidence.{code}"),
                                  hint=catalog.text(f"evidence_hint.{code}")))
    for index in range(len(draft.attachments)):
        lines.append(catalog.text("draft.attachment_line",
                                  name=attachment_label(draft, index, catalog)))
    lines.append(catalog.text("draft.upload_limits"))
    return "\n".join(lines)


def attachment_label(draft: Draft, index: int, catalog: Catalog) -> str:
    """A file's own name, or for photos and voice messages (which have none) its kind and
    number, so that several photos can be told apart: 照片 1, 照片 2."""
    attachment = draft.attachments[index]
    if attachment.name:
        return attachment.name
    number = sum(1 for earlier in draft.attachments[: index + 1]
                 if not earlier.name and earlier.kind == attachment.kind)
    return catalog.text("upload.numbered", kind=catalog.text(f"upload.kind.{attachment.kind}"),
                        number=number)


def attachment_problems(draft: Draft, attachment: Attachment, catalog: Catalog) -> list[str]:
    """Why this file may not go through 12315's upload as it is."""
    problems = []
    if len(draft.attachments) > MAX_FILES:
        problems.append(catalog.text("upload.too_many", count=len(draft.attachments)))
    if attachment.size is not None and attachment.size > MAX_FILE_BYTES:
        problems.append(catalog.text("upload.too_big", size=f"{attachment.size / 1048576:.1f}"))
    if _file_type(attachment) not in ALLOWED_TYPES:
        problems.append(catalog.text("upload.bad_type"))
    return problems


def _file_type(attachment: Attachment) -> str:
    if attachment.kind == "photo":
        return "jpg"
    if "." in attachment.name:
        return attachment.name.rsplit(".", 1)[1].lower()
    return attachment.mime.rsplit("/", 1)[-1].lower().replace("mpeg", "mp3")


# ---- 4. completeness ----------------------------------------------------------------------


def missing_items(draft: Draft, kind: str) -> dict[str, list[str]]:
    """For each check, the fields it still lacks (empty list: satisfied)."""
    def lacking(*names: str) -> list[str]:
        return [n for n in names if FIELDS[n].is_needed(draft) and not draft.answer(n)]

    checks = {
        "complainant": lacking("complainant_name", "complainant_phone", "complainant_address"),
        "business": lacking("business_name", "business_address"),
        "facts": lacking("purchase_date", "district", "product", "problem",
                         "amount" if kind == "complaint" else "violation"),
    }
    if kind == "complaint":
        checks["demand"] = lacking("demands") or lacking("compensation", "demand_other")
    return checks


def _checklist(draft: Draft, kind: str, catalog: Catalog) -> str:
    lines = [catalog.text("draft.check_title")]
    missing = missing_items(draft, kind)
    for check, lacks in missing.items():
        if lacks:
            names = catalog.text("format.list_separator").join(
                label(FIELDS[n], draft, catalog) for n in lacks)
            lines.append(catalog.text("draft.check_missing",
                                      item=catalog.text(f"check.{check}"), missing=names))
        else:
            lines.append(catalog.text("draft.check_ok", item=catalog.text(f"check.{check}")))
    lines.append(catalog.text("draft.keys_title"))
    lines.extend(_five_keys(draft, kind, catalog))
    complete = not any(missing.values())
    lines.append(catalog.text("draft.check_ready" if complete else "draft.check_not_ready"))
    return "\n".join(lines)


def _five_keys(draft: Draft, kind: str, catalog: Catalog) -> list[str]:
    """The guide's five keys to a complaint that succeeds, each ✓ or what to do."""
    results: list[tuple[str, str | None]] = []
    results.append(("facts", None if not missing_items(draft, kind)["facts"] else "key.facts_fix"))
    results.append(("evidence", None if draft.answer("evidence") else "key.evidence_fix"))
    name = draft.answer("business_name") or ""
    results.append(("target", None if looks_registered(name) else "key.target_fix"))
    if kind == "complaint":
        limit = compensation_limit(draft)
        claim = (draft.answer("compensation") or {}).get("amount")
        reasonable = claim is None or limit is None or claim <= limit
        results.append(("reasonable", None if reasonable else "key.reasonable_fix"))
    phone_ok = bool(parse_phone(draft.answer("complainant_phone") or ""))
    results.append(("reachable", "key.reachable_note" if phone_ok else "key.reachable_fix"))
    lines = []
    for key, fix in results:
        title = catalog.text(f"key.{key}")
        if fix is None:
            lines.append(catalog.text("draft.key_ok", key=title))
        elif fix.endswith("_note"):
            lines.append(catalog.text("draft.key_ok_note", key=title, note=catalog.text(fix)))
        else:
            lines.append(catalog.text("draft.key_fix", key=title, fix=catalog.text(fix)))
    return lines


# ---- 5. warnings --------------------------------------------------------------------------


def _warnings(draft: Draft, catalog: Catalog, today: date) -> str:
    lines = []
    bought = draft.answer("purchase_date")
    if bought:
        years = years_since(date.fromisoformat(bought), today)
        if years >= 3:
            lines.append(catalog.text("warning.over_three_years"))
        elif years >= 2:
            lines.append(catalog.text("warning.over_two_years"))
    if draft.referral:
        lines.append(catalog.text("warning.out_of_scope",
                                  **referral_params(draft.referral, catalog)))
    if draft.answer("for_whom") == "other":
        lines.append(catalog.text("warning.authorisation"))
    if not lines:
        return ""
    return "\n".join([catalog.text("draft.warnings_title"), *lines])


def referral_params(referral: dict[str, Any], catalog: Catalog) -> dict[str, str]:
    topic = referral["topic"]
    return {
        "what": catalog.text(f"scope.{topic}.what"),
        "agency": catalog.text(f"scope.{topic}.agency"),
        "hotline": vocab.OUT_OF_SCOPE_TOPICS[topic],
        "advice": catalog.maybe(f"scope.{topic}.advice") or "",
    }


# ---- 6. next steps ------------------------------------------------------------------------


def _next_steps(draft: Draft, kind: str, catalog: Catalog) -> str:
    return catalog.text(f"draft.next_steps_{kind}")


# ---- from an analyzer's insight to suggestions -------------------------------------------


def suggestions_from(insight: Insight, min_confidence: float) -> dict[str, Any]:
    """Map the analyzer's facts onto field names and the values those fields store."""
    found: dict[str, Any] = {}
    facts = {k: f.value for k, f in insight.facts.items()
             if f.confidence >= min_confidence and f.value not in (None, "", [])}
    for name in ("business_name", "store_name", "product", "platform", "order_number", "amount"):
        if name in facts:
            found[name] = facts[name]
    if "purchase_date" in facts:
        found["purchase_date"] = facts["purchase_date"].isoformat()
    if facts.get("channel") in vocab.CHANNELS:
        found["channel"] = facts["channel"]
    if "district" in facts:
        found["district"] = BEIJING + facts["district"]
    demands = [code for code in facts.get("demands", []) if code in vocab.DEMANDS]
    if demands:
        found["demands"] = demands
    if "compensation_amount" in facts:
        found["compensation"] = {"amount": float(facts["compensation_amount"]), "detail": ""}
    if "contacted" in facts:
        found["contacted"] = "yes" if facts["contacted"] else "no"
    return found
