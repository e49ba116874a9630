"""The edit summary: every answer so far, numbered; pick one to change it, then come back.
Dialog state `Reviewing`."""

from __future__ import annotations

from flows import interview, overview
from flows.actions import Action, EditField, Resume, encode
from flows.change_request import ChangeRequest, read_change, read_changes
from flows.fields import FIELDS, Field, Parsed, kind_text, next_missing
from flows.model import Asking, Draft, Option, Reply, Reviewing
from flows.parsing import fold
from flows.readers import EVIDENCE_ITEMS, has_any, words
from flows.turn import Turn


def show_summary(turn: Turn, draft: Draft) -> None:
    turn.enter(Reviewing())
    token = turn.new_token()
    text, options = overview.summary(draft, turn.ctx.catalog)
    turn.question(text, options, token)


def show_after_change(turn: Turn, draft: Draft, key: str = "edit.more") -> None:
    """After a change from the summary: what next, in one line and two buttons; the numbers
    of the summary still work ("5 北京市…"). `key`: the line (a change not understood says so
    the same short way, not with the whole list again)."""
    turn.enter(Reviewing(after_change=True))
    finished = next_missing(draft) is None
    options = (turn.command_option("edit", "option.edit_more"),
               Option(encode(Resume()), kind_text(
                   draft, "option.show_draft" if finished else "option.resume",
                   turn.ctx.catalog) or ""))
    turn.question(turn.t(key), options, turn.new_token())


def on_text(turn: Turn, text: str) -> None:
    draft = turn.draft()
    if draft is None:
        turn.menu("idle.menu")
        return
    if not changed_in_words(turn, draft, text, at_summary=True):
        show_after_change(turn, draft, "edit.unclear")


def changed_in_words(turn: Turn, draft: Draft, text: str, *, at_summary: bool) -> bool:
    """"名字写错了 应该是刘佳", "5 北京市…", "我还要举报他们": changes said in words, made at
    once, or a report asked for (a finished complaint); False when `text` is none of these.
    At the summary (`at_summary`) the list's numbers count and a named answer alone opens its
    question; at the finished draft a change needs new content or words that say it is one."""
    catalog = turn.ctx.catalog
    if several := read_changes(draft, text, catalog):
        make_changes(turn, draft, several)
        return True
    change = read_change(draft, text, catalog, numbers=at_summary)
    if change is not None and (at_summary or change.content or change.says_change):
        make_change(turn, draft, change)
        return True
    if (not at_summary or next_missing(draft) is None) and draft.answer("kind") == "complaint" and (
            has_any(fold(text), catalog, "reply.words.report_asked")):
        from flows.navigation import report_from  # navigation leads here too

        report_from(turn, draft)  # "我还要举报他们": a report with this complaint's facts
        return True
    return False


def make_changes(turn: Turn, draft: Draft, changes: list[ChangeRequest]) -> None:
    """Each change in turn, their confirmations together; one not taken stays open."""
    done: list[Reply] = []
    for change in changes[:-1]:
        make_change(turn, draft, change)
        state = turn.state
        if not (isinstance(state, Reviewing) and state.after_change):
            turn.replies[:0] = done
            return  # not taken: its question is open, the rest would be lost on screen
        done += [reply for reply in turn.replies if not reply.options]
        turn.replies.clear()
    make_change(turn, draft, changes[-1])
    turn.replies[:0] = done


def make_change(turn: Turn, draft: Draft, change: ChangeRequest) -> None:
    """Open the question of the answer named; its new content, if given, is answered at once
    (through the question's reader: a typo is refused there and the question stays open)."""
    if len(change.fields) > 1:  # a name two answers go by alike: which one?
        ask_which(turn, draft, [spec.name for spec in change.fields])
        return
    spec = change.fields[0]
    edit_field(turn, draft, spec.name)
    if change.content and turn.state.mode == "asking" and _adds(turn, draft, spec, change):
        return
    if change.content and turn.state.mode == "asking":  # "5 浙江省杭州市…", "门店改成…"
        turn.replies.clear()
        interview.on_text(turn, change.content)
        state = turn.state
        if isinstance(state, Asking) and state.field == spec.name and spec.choices:
            # not taken: the question's own options are on screen now, not the menu's
            turn.replies.insert(0, Reply(turn.t("edit.now_changing", label=overview.label(
                spec, draft, turn.ctx.catalog))))


def ask_which(turn: Turn, draft: Draft, names: list[str]) -> None:
    turn.enter(Reviewing(which=names))
    turn.question(turn.t("edit.which"), tuple(
        Option(encode(EditField(name)), overview.label(FIELDS[name], draft, turn.ctx.catalog))
        for name in names if name in FIELDS), turn.new_token())


def _adds(turn: Turn, draft: Draft, spec: Field, change: ChangeRequest) -> bool:
    """"证据里还有闺女录的直播视频 你没写上": what a change of several options says is there too
    is added to the answer, not put in its place. False when it says no such thing."""
    old = draft.answers.get(spec.name)
    said = f"{change.after_name} {change.content}"
    if not spec.multi or not isinstance(old, list) or not any(
            word in said for word in words(turn.ctx.catalog, "edit.words.adding")):
        return False
    parsed = spec.parse(change.content, turn.ctx, draft)
    if parsed.error or parsed.warning or not isinstance(parsed.value, list):
        return False
    also = interview.named_beside(old, parsed, spec, turn)
    if (before := draft.answers.get(EVIDENCE_ITEMS)) and also.get(EVIDENCE_ITEMS):
        also[EVIDENCE_ITEMS] = list(dict.fromkeys([*before, *parsed.also[EVIDENCE_ITEMS]]))
    elif before:
        also[EVIDENCE_ITEMS] = list(before)
    turn.replies.clear()
    interview.take(turn, draft, spec, Parsed(list(dict.fromkeys([*old, *parsed.value])),
                                             note=parsed.note, params=parsed.params, also=also))
    return True


def on_action(turn: Turn, action: Action) -> None:
    draft = turn.draft()
    if draft is None:
        turn.menu("idle.menu")
    elif isinstance(action, Resume):
        interview.resume(turn, draft)
    elif isinstance(action, EditField):
        edit_field(turn, draft, action.name)
    else:
        turn.say("error.stale_button")
        show_summary(turn, draft)


def edit_field(turn: Turn, draft: Draft, name: str) -> None:
    spec = FIELDS.get(name)
    if spec is None or not spec.is_needed(draft):
        turn.say("error.stale_button")
        show_summary(turn, draft)
        return
    interview.ask(turn, spec, back_to_summary=True)


def reask(turn: Turn) -> None:
    draft = turn.draft()
    state = turn.state
    if draft is None:
        turn.menu("idle.menu")
    elif isinstance(state, Reviewing) and state.after_change:
        show_after_change(turn, draft)  # /start: the two buttons the user last saw, same numbers
    elif isinstance(state, Reviewing) and state.which:
        ask_which(turn, draft, state.which)  # likewise "你想改的是哪一项？"
    else:
        show_summary(turn, draft)


def back(turn: Turn) -> None:
    draft = turn.draft()
    if draft is None:
        turn.menu("back.nothing")
    else:
        interview.resume(turn, draft)
