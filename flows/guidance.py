"""Where the interview and the draft meet the advice rules (`flows.advice`): the case as the
rules see it, the advice due at a moment (each sentence said once per draft), and the generic
notes that advice makes wrong for this case."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from flows.catalog import Catalog
from flows.insight import Insight
from flows.model import Draft

# The rules (flows.advice, with its cue patterns) are imported when advice is first due, a
# few questions into the interview, not when the chat starts.


def due_now(draft: Draft, moment: str, catalog: Catalog, today: date,
            insight: Insight | None = None) -> list[str]:
    """The advice sentences for `moment` not yet said for this draft; they are then
    recorded as said, so a later question does not repeat them."""
    from flows.advice import advice_for, build_case, render

    case = build_case(draft.answers, insight, draft.answer("kind"), today, _files(draft))
    fresh = advice_for(case, moment, already_shown=draft.advice_shown)
    draft.advice_shown.extend(item.key for item in fresh)
    return render(fresh, catalog)


def replaced_notes(draft: Draft, today: date, insight: Insight | None = None) -> set[str]:
    """Catalog keys of generic notes and warnings this case's advice replaces."""
    from flows.advice import DRAFT, REPLACING_RULES, advice_for, build_case, superseded

    case = build_case(draft.answers, insight, draft.answer("kind"), today, _files(draft))
    return superseded(advice_for(case, DRAFT, REPLACING_RULES)
                      + advice_for(case, "account_read", REPLACING_RULES))


def for_draft(draft: Draft, catalog: Catalog, today: date,
              said_elsewhere: Collection[str] = ()) -> list[str]:
    """Everything that applies, for the draft's 「你可以参考」 section, but the rules (ids)
    whose point another section of the draft already makes (`said_elsewhere`)."""
    from flows.advice import DRAFT, advice_for, build_case, render

    case = build_case(draft.answers, None, draft.answer("kind"), today, _files(draft))
    advice = [item for item in advice_for(case, DRAFT) if item.rule_id not in said_elsewhere]
    return render(advice, catalog)


def side_answers(draft: Draft, text: str, catalog: Catalog, today: date) -> list[str]:
    """The answers to questions of the user's own asked in a reply ("我这种情况能要三倍吗",
    "要先找律师吗"), as sentences; empty when the reply asks none. They are recorded as said,
    like the advice of `due_now`."""
    from flows.advice import build_case, render
    from flows.advice import side_answers as answers_to

    # The reply is context too: "英语培训机构跑路了 钱能要回来吗" before any account is told.
    account = "\n".join(part for part in (draft.answer("narrative"), text) if part)
    case = build_case({**draft.answers, "narrative": account}, None, draft.answer("kind"), today,
                      _files(draft))
    answers = answers_to(text, case)
    # said now, so the advice due with the same reply (the account's) does not say it again
    draft.advice_shown.extend(item.key for item in answers if item.key not in draft.advice_shown)
    return render(answers, catalog)


def _files(draft: Draft) -> tuple[str, ...]:
    """The kinds of the files the user sent for this draft (photo, video …)."""
    return tuple(attachment.kind for attachment in draft.attachments)
