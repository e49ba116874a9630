"""What the user sees of their work in progress: the question, the summary, the draft list."""

from __future__ import annotations

from datetime import date

from flows import case_view
from flows.actions import EditField, Finished, NoneOfThese, Pick, Resume, UseSuggested, encode
from flows.catalog import Catalog
from flows.commands import command_value, draft_option
from flows.fields import FIELDS, Field, display, display_beside, kind_text, needed_fields, next_missing, title
from flows.model import Draft, Option, Reply, Session

MAX_LISTED_WITH_BUTTONS = 5
MAX_SUGGESTION_LABEL = 24
# draft.suggestions[SUGGESTION_SOURCES]: field name -> the field whose answer gave its
# suggestion (the business address gives the district); any other suggestion was read from
# the user's account.
SUGGESTION_SOURCES = "sources"
# The source of a suggestion typed at another question ahead of its own: "换个新的或者退钱都行"
# at the address question is kept for the demands question.
EARLIER_REPLY = "earlier_reply"
# a report begun from a finished complaint: the complaint's answers offered again
FROM_COMPLAINT = "from_complaint"


def field_text(spec: Field, draft: Draft, part: str, catalog: Catalog) -> str | None:
    """`field.<name>.<part>`, preferring the 举报 wording when this draft is a report."""
    return kind_text(draft, f"field.{spec.name}.{part}", catalog)


def label(spec: Field, draft: Draft, catalog: Catalog) -> str:
    return field_text(spec, draft, "label", catalog) or spec.name


def question(spec: Field, draft: Draft, picked: list[str], catalog: Catalog
             ) -> tuple[str, tuple[Option, ...]]:
    """The prompt of one field, its hint, what we already know of it, and the options."""
    prompt = field_text(spec, draft, "prompt", catalog) or spec.name
    params = spec.prompt_params(draft)
    lines = [prompt.format(**params) if params else prompt]
    hint = field_text(spec, draft, "hint", catalog)
    if hint:
        lines.append(catalog.text("question.hint", hint=hint))
    options: list[Option] = []
    offer = spec.options_for(draft, catalog)
    answer = draft.answers.get(spec.name)
    shows_answer = spec.multi and bool(picked) and isinstance(answer, list) and (
        picked == [code for code in answer if code in spec.choices])
    if shows_answer:  # back at a multi-select: its answer ticked, as it stands
        lines.append(catalog.text("question.current_picked", value=catalog.text(
            "format.list_separator").join(spec.option_label(c, catalog) for c in picked)))
    elif spec.name in draft.answers:
        lines.append(catalog.text("question.current", value=display_beside(
            spec, draft.answers[spec.name], draft.answers, catalog)))
    elif spec.name in draft.suggestions and offer.suggested is None:
        # The sentence that quotes it ends with its own full stop: no "。。".
        shown = display_beside(spec, draft.suggestions[spec.name], draft.suggestions,
                               catalog).rstrip(
            catalog.text("format.sentence_ends"))
        sure = spec.name in draft.sure
        lines.append(_suggestion_line(spec, draft, shown, sure, catalog))
        if sure:
            options.append(_use_suggested(shown, catalog))
        else:  # not sure: offered, but only a deliberate tap takes it
            options.append(_use_suggested(shown, catalog, "option.maybe_suggested"))
    if offer.line:
        lines.append(offer.line)
    codes = list(offer.codes)
    if spec.name in draft.suggestions and offer.suggested is None and (
            spec.name not in draft.answers):
        suggested_code = spec.choice_of(draft.suggestions[spec.name])
        if suggested_code in codes:  # offered once, as the one-tap answer above
            codes.remove(suggested_code)
    if offer.suggested is not None and spec.name not in draft.answers:
        options.append(_use_suggested(spec.option_label(offer.suggested, catalog), catalog))
        codes.remove(offer.suggested)
    if spec.multi and picked and not shows_answer:
        lines.append(catalog.text("question.picked", value=catalog.text(
            "format.list_separator").join(spec.option_label(c, catalog) for c in picked)))
    for code in codes:
        text = spec.option_label(code, catalog)
        if spec.multi and code in picked:
            text = catalog.text("option.picked", label=text)
        options.append(Option(encode(Pick(code)), text))
    if spec.multi:
        if spec.name == "evidence":
            options.append(Option(encode(NoneOfThese()), catalog.text("option.no_evidence")))
        options.append(Option(encode(Finished()), catalog.text("option.done")))
    if spec.may_skip(draft):
        lines.append(catalog.text("question.optional"))
        options.append(Option(command_value("skip"), catalog.text("option.skip")))
    return "\n".join(lines), tuple(options)


def suggestion_source(draft: Draft, name: str) -> str | None:
    """The field whose answer suggested `name`'s value; None when the account did."""
    sources = draft.suggestions.get(SUGGESTION_SOURCES) or {}
    source = sources.get(name)
    return source if source in FIELDS else None


def _suggestion_line(spec: Field, draft: Draft, shown: str, sure: bool, catalog: Catalog) -> str:
    """The sentence that offers a suggestion, naming where it came from: the user's account
    ("我从你的描述里看到…") or another answer ("你填的商家地址在…")."""
    mood = "sure" if sure else "maybe"
    if (draft.suggestions.get(SUGGESTION_SOURCES) or {}).get(spec.name) == EARLIER_REPLY:
        return catalog.text(f"question.from_earlier_reply.{mood}", value=shown)
    if (draft.suggestions.get(SUGGESTION_SOURCES) or {}).get(spec.name) == FROM_COMPLAINT:
        return catalog.text(f"question.from_complaint.{mood}", value=shown)
    source = suggestion_source(draft, spec.name)
    if source is None:
        return catalog.text("question.suggested" if sure else "question.maybe", value=shown)
    for_the_pair = catalog.maybe(f"question.from_answer.{source}.{spec.name}.{mood}", value=shown)
    return for_the_pair or catalog.text(f"question.from_answer.{mood}", value=shown,
                                        source=label(FIELDS[source], draft, catalog))


def _use_suggested(shown: str, catalog: Catalog, key: str = "option.use_suggested") -> Option:
    short = shown if len(shown) <= MAX_SUGGESTION_LABEL else (
        shown[: MAX_SUGGESTION_LABEL - 1] + "…")
    return Option(encode(UseSuggested()), catalog.text(key, value=short))


def summary(draft: Draft, catalog: Catalog) -> tuple[str, tuple[Option, ...]]:
    """Every answer so far, numbered, each one pickable to change it."""
    lines = [catalog.text("edit.title", number=draft.number)]
    options: list[Option] = []
    for index, spec in enumerate(summary_fields(draft), start=1):
        value = draft.answers.get(spec.name)
        shown = catalog.text("format.skipped") if value is None else display(spec, value, catalog)
        lines.append(catalog.text("edit.line", index=index, label=label(spec, draft, catalog),
                                  value=_one_line(shown)))
        options.append(Option(encode(EditField(spec.name)), catalog.text(
            "edit.option", index=index, label=label(spec, draft, catalog))))
    lines.append(catalog.text("edit.how"))
    finished = next_missing(draft) is None
    options.append(Option(encode(Resume()), kind_text(
        draft, "option.show_draft" if finished else "option.resume", catalog) or ""))
    return "\n".join(lines), tuple(options)


def summary_fields(draft: Draft) -> list[Field]:
    """The answers the summary lists, in its order (its numbers)."""
    return [spec for spec in needed_fields(draft) if spec.in_summary and (
        spec.name in draft.answers or spec.name in draft.skipped)]


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def status(session: Session, catalog: Catalog, today: date) -> Reply:
    """The user's drafts and cases, newest first: state, case number and the next date that
    matters, with buttons to go on with each."""
    drafts = sorted(session.drafts.values(), key=lambda d: (d.updated_at, d.number), reverse=True)
    if not drafts:
        return Reply(catalog.text("drafts.empty"), options=(
            Option(command_value("new"), catalog.text("option.new")),))
    lines = [catalog.text("drafts.title", count=len(drafts))]
    options: list[Option] = []
    for draft in drafts:
        lines += _status_lines(draft, catalog, today)
        if len(options) < 2 * MAX_LISTED_WITH_BUTTONS:
            options += _status_options(draft, catalog)
    lines.append(catalog.text("drafts.how"))
    return Reply("\n".join(lines), options=tuple(options))


def _status_lines(draft: Draft, catalog: Catalog, today: date) -> list[str]:
    theme = draft.answers.get("theme") or draft.answers.get("violation")
    theme_text = (display(FIELDS["theme" if "theme" in draft.answers else "violation"],
                          theme, catalog) if theme else catalog.text("drafts.no_theme"))
    kind = draft.answers.get("kind")
    lines = [catalog.text(
        "drafts.line", number=draft.number,
        kind=catalog.text(f"kind.{kind}") if kind else catalog.text("drafts.no_kind"),
        business=_one_line(title(draft, catalog), 30), theme=theme_text)]
    state = case_view.state_label(draft, catalog)
    case = draft.case
    if case is None:
        lines.append(catalog.text("drafts.state_draft", state=state,
                                  date=case_view.day_text(draft.updated_at.date(), catalog)))
    else:
        lines.append(catalog.text(
            "drafts.state_case", state=state, date=case_view.day_text(case.changed_on, catalog),
            case_number=case.number or catalog.text("case.card.no_number")))
    upcoming = case_view.next_line(draft, catalog, today)
    if upcoming:
        lines.append(catalog.text("drafts.next", text=upcoming))
    return lines


def _status_options(draft: Draft, catalog: Catalog) -> list[Option]:
    number = draft.number
    if draft.case is not None:
        return [draft_option("case", number, catalog, "case.option.card"),
                draft_option("open", number, catalog)]
    if draft.finished:
        return [draft_option("open", number, catalog),
                draft_option("submit", number, catalog, "option.submitted_number")]
    return [draft_option("continue", number, catalog), draft_option("delete", number, catalog)]
