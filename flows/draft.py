"""The finished draft: form fields to copy, the complaint text, checks, warnings, next steps.

Everything is plain text (no markup) so it survives forwarding and pasting. The draft is
handed to channels as a `DraftSheet` (rows and sections), so each lays it out within its
own limits (message sizes, copy buttons, a page). The fraud warning is always last.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from flows import guidance, limitation
from flows import vocabulary as vocab
from flows.catalog import Catalog
from flows.fields import (
    FIELDS,
    buys_a_service,
    compensation_limit,
    display,
    form_rows,
    kind_text,
    looks_registered,
)
from flows.model import Attachment, Document, Draft, DraftSheet, FormRow, Section
from flows.overview import label
from flows.parsing import parse_phone

if TYPE_CHECKING:
    from flows.composition import ComplaintText

# The composition (flows.composition) is imported by the functions that write with it, when
# a draft is first finished or a demand first summed up, not when the chat starts.
MAX_FILES = 4
MAX_FILE_BYTES = 5 * 1024 * 1024
ALLOWED_TYPES = ("jpg", "jpeg", "png", "pdf", "mp3", "mp4")

def render(draft: Draft, catalog: Catalog, today: date) -> DraftSheet:
    """The whole finished draft as structure, in reading order, the fraud warning last."""
    kind = draft.answer("kind") or "complaint"
    written = complaint_text(draft, catalog, today)
    short, full = written.short, written.full
    sections = [Section("text", catalog.text(f"draft.text_title_{kind}", count=len(short)),
                        short)]
    if full != short:
        notice = written.left_out_notice(catalog)
        sections.append(Section("full_text", catalog.text("draft.full_title", count=len(full)),
                                "\n\n".join(filter(None, (full, notice)))))
    for key, text in (("evidence", _evidence(draft, catalog)),
                      ("check", _checklist(draft, kind, catalog)),
                      ("warnings", _warnings(draft, catalog, today)),
                      ("advice", _advice(draft, catalog, today)),
                      ("next_steps", _next_steps(draft, kind, catalog))):
        if text:
            head, _, body = text.partition("\n")
            sections.append(Section(key, head, body))
    sections.append(Section("fraud", "", catalog.text("draft.fraud_warning")))
    title = catalog.text(f"draft.fields_title_{kind}", number=draft.number)
    rows = _form_rows(draft, kind, catalog)
    whole = as_text(title, rows, sections, catalog)
    filename = kind_text(draft, "draft.filename", catalog) or ""
    document = Document(filename.format(number=draft.number), whole + "\n")
    return DraftSheet(draft.number, title, rows, tuple(sections), document)


def as_text(title: str, rows: Sequence[FormRow], sections: Sequence[Section],
            catalog: Catalog) -> str:
    """The draft as one plain text: what the .txt file holds and a text channel prints."""
    fields = "\n".join([title, *(catalog.text("draft.field_line", label=row.label,
                                                value=row.value) for row in rows)])
    parts = [fields, *("\n".join(filter(None, (s.title, s.body))) for s in sections)]
    return "\n\n".join(parts)


def sheet_text(sheet: DraftSheet, catalog: Catalog) -> str:
    return as_text(sheet.title, sheet.rows, sheet.sections, catalog)


# ---- 1. the form fields -------------------------------------------------------------------


def _form_rows(draft: Draft, kind: str, catalog: Catalog) -> tuple[FormRow, ...]:
    rows: list[FormRow] = []
    for spec in form_rows(draft, kind):
        if spec.is_needed(draft) and spec.name in draft.answers:
            rows.append(FormRow(label(spec, draft, catalog),
                                display(spec, draft.answers[spec.name], catalog)))
    if kind == "complaint":
        rows.append(FormRow(catalog.text("draft.demand_label"), demand_phrase(draft, catalog)))
    return tuple(rows)


def demand_phrase(draft: Draft, catalog: Catalog, today: date | None = None) -> str:
    """'退货退款，并赔偿交通费200元': the demands as one clause, overlaps merged."""
    from flows.composition import demand_phrase as compose_demand

    return compose_demand(draft.answers, catalog, today)


# ---- 2. the complaint text ----------------------------------------------------------------


def complaint_text(draft: Draft, catalog: Catalog, today: date) -> ComplaintText:
    """投诉内容 written from the answers (see `flows.composition`): the full text, the version
    for the 400-character box, and what the short one left out."""
    from flows.composition import compose

    account_date = draft.account_date or draft.created_at.date()
    return compose(draft.answers, account=draft.answer("narrative") or "",
                   account_date=account_date, today=today, catalog=catalog)


# ---- 3. evidence --------------------------------------------------------------------------


# What a reporter, who may have bought nothing, is asked to add: what they saw, not a receipt.
REPORT_EVIDENCE_WANTED = ("photos", "other")


def _evidence(draft: Draft, catalog: Catalog) -> str:
    have = draft.answer("evidence") or []
    report = draft.answer("kind") == "report"
    own_words = [str(item) for item in draft.answer("evidence_items") or [] if str(item).strip()]
    lines = [catalog.text("draft.evidence_title")]
    service = buys_a_service(draft)
    for code in vocab.EVIDENCE:
        if code == "contract" and code not in have:
            continue  # only service purchases have one; not worth a nag otherwise
        if code == "messages" and code not in have and draft.answer("contacted") == "no":
            continue  # no talk with the business yet, so no record of one to ask for
        if report and code not in have and code not in REPORT_EVIDENCE_WANTED:
            continue  # no nag for a receipt or a chat with the shop
        key = "draft.evidence_have" if code in have else "draft.evidence_missing"
        item = evidence_text(draft, f"evidence.{code}", catalog, service) or code
        hint = evidence_text(draft, f"evidence_hint.{code}", catalog, service) or ""
        if code == "other" and code in have and own_words:
            # what the user named (医院的票, 检测报告), not the generic 如广告宣传截图
            hint = catalog.text("format.list_separator").join(own_words)
        lines.append(catalog.text(key, item=item, hint=hint))
    for index in range(len(draft.attachments)):
        lines.append(catalog.text("draft.attachment_line",
                                  name=attachment_label(draft, index, catalog)))
    lines.append(catalog.text("draft.upload_limits"))
    return "\n".join(lines)


def evidence_text(draft: Draft, key: str, catalog: Catalog, service: bool) -> str | None:
    """An evidence label or hint as this draft needs it: a report's wording, or for a service
    (`service`: `buys_a_service`, read once per draft) its own ("问题照片/视频", not a
    product's flaw)."""
    if draft.answer("kind") != "report" and service:
        variant = catalog.maybe(f"{key}_service")
        if variant is not None:
            return variant
    return kind_text(draft, key, catalog)


def missing_evidence(draft: Draft) -> list[str]:
    """The pieces a complaint most needs that the evidence section marks as still missing
    (a receipt, photos of the problem, the talk with the business once there was one)."""
    have = draft.answer("evidence") or []
    wanted = ("receipt", "photos", *(("messages",) if draft.answer("contacted") != "no" else ()))
    return [code for code in wanted if code not in have]


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
        # A field left empty on purpose (an optional one, or a purchase question for a
        # reporter who bought nothing) is not lacking: the interview lets only those be skipped.
        return [n for n in names if FIELDS[n].is_needed(draft) and not draft.answer(n)
                and n not in draft.skipped]

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

    def item(check: str) -> str:
        return kind_text(draft, f"check.{check}", catalog) or catalog.text(f"check.{check}")

    for check, lacks in missing.items():
        if lacks:
            names = catalog.text("format.list_separator").join(
                label(FIELDS[n], draft, catalog) for n in lacks)
            lines.append(catalog.text("draft.check_missing", item=item(check), missing=names))
        else:
            lines.append(catalog.text("draft.check_ok", item=item(check)))
    lines.append(kind_text(draft, "draft.keys_title", catalog) or "")
    lines.extend(_five_keys(draft, kind, catalog))
    complete = not any(missing.values())
    lines.append(catalog.text("draft.check_ready" if complete else "draft.check_not_ready"))
    return "\n".join(lines)


def _five_keys(draft: Draft, kind: str, catalog: Catalog) -> list[str]:
    """The guide's five keys to a complaint that succeeds, each ✓ or what to do."""
    results: list[tuple[str, str | None]] = []
    results.append(("facts", None if not missing_items(draft, kind)["facts"] else "key.facts_fix"))
    missing = missing_evidence(draft) if kind == "complaint" else []
    # "✓ 证据完整" only when the evidence section marks none of the main pieces ☐
    results.append(("evidence", "key.evidence_fix" if not draft.answer("evidence")
                    else "key.evidence_partial" if missing else None))
    name = draft.answer("business_name") or ""
    results.append(("target", None if looks_registered(name) else "key.target_fix"))
    from flows.composition import punitive_claim, review_demands

    findings = review_demands(draft.answers) if kind == "complaint" else []
    doubts = [f for f in findings if f.action == "question" or f.code == "above_measure"]
    if kind == "complaint":
        limit = compensation_limit(draft)
        # the part the measure bounds: 住院费 and other losses are claimed besides it
        claim = punitive_claim(draft.answers)
        too_much = claim is not None and limit is not None and claim > limit
        # the compensation above the legal measure, or a doubt about the demands themselves
        # ("换货 and 退款": which one?), each said as what it is
        results.append(("reasonable", "key.reasonable_fix" if too_much else
                        "key.reasonable_doubt" if doubts else None))
    phone = draft.answer("complainant_phone") or ""
    if kind == "report" and not phone:
        # a reporter may leave no phone: not given, not wrong (DOMAIN.md §11)
        results.append(("reachable", "key.reachable_none_report"))
    else:
        results.append(("reachable", "key.reachable_note" if parse_phone(phone)
                        else "key.reachable_fix"))
    lines = []
    for key, fix in results:
        title = kind_text(draft, f"key.{key}", catalog) or key
        if fix is None:
            lines.append(catalog.text("draft.key_ok", key=title))
        elif fix.endswith("_note"):
            lines.append(catalog.text("draft.key_ok_note", key=title, note=catalog.text(fix)))
        elif fix.endswith("_none_report"):
            lines.append(catalog.text("draft.key_note", key=title, note=catalog.text(fix)))
        else:
            fix_text = kind_text(draft, fix, catalog) or catalog.text(fix)
            if fix == "key.evidence_partial":
                service = buys_a_service(draft)
                fix_text = catalog.text(fix, missing=catalog.text("format.list_separator").join(
                    evidence_text(draft, f"evidence.{code}", catalog, service) or code
                    for code in missing))
            lines.append(catalog.text("draft.key_fix", key=title, fix=fix_text))
        if key == "reasonable":
            lines += [catalog.text("advice.line", text=f.text(catalog)) for f in findings]
    return lines


# ---- 5. warnings --------------------------------------------------------------------------


def _warnings(draft: Draft, catalog: Catalog, today: date) -> str:
    lines = []
    standing = limitation.for_draft(draft, today)
    if standing is not None and standing.stage in ("limit_passed", "advised_passed"):
        found = "found" if draft.answer("discovered_on") else "bought"
        stage = "three" if standing.stage == "limit_passed" else "two"
        lines.append(catalog.text(f"warning.over_{stage}_years_{found}",
                                  date=display(FIELDS["purchase_date"], standing.start.isoformat(),
                                               catalog)))
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


# ---- 6. advice that fits the case, apart from the complaint text ---------------------------


def _advice(draft: Draft, catalog: Catalog, today: date) -> str:
    sentences = guidance.for_draft(draft, catalog, today, _said_in_check(draft))
    if not sentences:
        return ""
    title = kind_text(draft, "advice.section_title", catalog) or ""
    return "\n".join([title,
                      *(catalog.text("advice.line", text=sentence) for sentence in sentences)])


def _said_in_check(draft: Draft) -> set[str]:
    """The advice rules whose point the check section already makes (the legal measure of the
    compensation asked for), left out of 「你可以参考」 so it is said once."""
    if (draft.answer("kind") or "complaint") != "complaint":
        return set()
    from flows.advice.rules import MEASURE_RULES
    from flows.composition import review_demands

    return {MEASURE_RULES[f.code] for f in review_demands(draft.answers) if f.code in MEASURE_RULES}


# ---- 7. next steps ------------------------------------------------------------------------


def _next_steps(draft: Draft, kind: str, catalog: Catalog) -> str:
    return catalog.text(f"draft.next_steps_{kind}")
