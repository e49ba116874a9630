"""The interview: ask the next question the draft needs, read the answer, keep it.

Dialog state `Asking`. The next question is always the first applicable field the draft still
lacks (`flows.fields.next_missing`), so the order comes from the declarations, not from here.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from flows import draft as drafting
from flows import guidance, overview
from flows.actions import (
    Action,
    Change,
    Finished,
    Keep,
    NoneOfThese,
    Pick,
    UseSuggested,
    decode,
    encode,
)
from flows.catalog import Catalog
from flows.change_request import plain_names, said_midway
from flows.commands import command_value, draft_option
from flows.fields import (
    FIELDS,
    PROFILE_FIELDS,
    Field,
    Parsed,
    display,
    improves,
    may_put_off,
    needed_fields,
    next_missing,
    prefills,
    suggest_from_answers,
    sure_of,
)
from flows.insight import Insight
from flows.model import (
    Asking,
    Clarifying,
    Draft,
    DraftMenu,
    Option,
    Pending,
    Reply,
    ScopeWarning,
)
from flows.parsing import fold
from flows.readers import (
    BUYING_QUESTIONS,
    CORRECTION,
    EVIDENCE_ITEMS,
    NO_SHOP,
    SENTENCE_ENDS,
    account_says_not_a_buyer,
    core,
    has_any,
    is_a_pause,
    looks_like_a_question,
    looks_like_address,
    looks_registered,
    non_answer,
    strip_lead_in,
    without_asides,
    words,
)
from flows.turn import Turn


def _asking(turn: Turn) -> Asking:
    state = turn.state
    assert isinstance(state, Asking)
    return state


# ---- asking ------------------------------------------------------------------------------------


# Parsed.reason of a value the user kept after its warning.
PAST_WARNING = "kept_past_warning"


def ask(turn: Turn, spec: Field, *, keep_picked: bool = False,
        back_to_summary: bool | None = None, offer_later: bool = False) -> None:
    draft = turn.draft()
    assert draft is not None
    previous = turn.state if isinstance(turn.state, Asking) else None
    same_question = previous is not None and previous.field == spec.name
    picked = list(previous.picked) if previous is not None and keep_picked else []
    answer = draft.answers.get(spec.name)
    if spec.multi and not keep_picked and isinstance(answer, list):
        picked = [code for code in answer if code in spec.choices]  # 上一步: ticked as it is
    if back_to_summary is None:
        back_to_summary = previous.back_to_summary if same_question and previous else False
    turn.enter(Asking(field=spec.name, picked=picked, back_to_summary=back_to_summary))
    # Advice is due when a question is first asked; going back to it (上一步) or changing
    # it is no moment for advice again (the finished draft has given it all meanwhile).
    if spec.advice_moment and not same_question and spec.name not in draft.answers:
        for sentence in guidance.due_now(draft, spec.advice_moment, turn.ctx.catalog,
                                         turn.ctx.today):
            turn.replies.append(Reply(sentence))
    # Asking the same question again keeps its token, so its earlier buttons still work.
    token = str(turn.dialog.turn) if same_question else turn.new_token()
    text, options = overview.question(spec, draft, picked, turn.ctx.catalog)
    if offer_later:  # "不知道" to a fact that can be looked up: it may wait till the end
        options = (*options, Option(command_value("skip"), turn.t("option.later")))
    turn.question(text, options, token)


def advance(turn: Turn, draft: Draft, back_to_summary: bool = False,
            changed: bool = False) -> None:
    """After an answer: back to the summary it was changed from (after a change, only what
    to do next: the whole list again is a long scroll on a phone), else the next question."""
    if back_to_summary:
        from flows.editing import show_after_change, show_summary  # they call each other

        (show_after_change if changed else show_summary)(turn, draft)
        return
    resume(turn, draft)


def resume(turn: Turn, draft: Draft) -> None:
    spec = next_missing(draft)
    if spec is None:
        finish(turn, draft)
        return
    if spec.name in draft.later:
        turn.say("reply.note.back_to_later", field=turn.t(f"field.{spec.name}.label"))
    ask(turn, spec, back_to_summary=False)


# ---- answering ---------------------------------------------------------------------------------


def on_text(turn: Turn, text: str) -> None:
    state, draft = _asking(turn), turn.draft()
    if draft is None:
        turn.menu("idle.menu")
        return
    spec = FIELDS[state.field]
    typed = fold(text)
    agrees = typed in turn.t("confirm.yes_words").split("|")
    if state.pending is not None:
        # The warning's own buttons, typed (a channel without buttons, or a user who types):
        # "没问题，就这样" or a yes keeps the value, "我改一下" or a no asks again.
        if agrees or typed == fold(turn.t("option.keep")):
            on_action(turn, Keep())
            return
        if typed == fold(turn.t("option.change")) or typed in turn.t("confirm.no_words").split("|"):
            on_action(turn, Change())
            return
        again = spec.parse(text, msgspec.structs.replace(turn.ctx, chosen=state.back_to_summary),
                           draft)
        if not again.error and again.value == state.pending.value:
            on_action(turn, Keep())  # "确定 9800", "对 就是9800": the value warned about, kept
            return
    state.pending = None
    if spec.name in draft.answers and core(text, turn.ctx.catalog) in words(
            turn.ctx.catalog, "reply.words.unchanged"):
        turn.say("reply.note.unchanged")  # "不用改": asked again to change, kept as it is
        advance(turn, draft, state.back_to_summary)
        return
    if says_skip(text, turn):  # "还没查到 先跳过": the words of the skip button, in a sentence
        skip(turn)
        return
    if is_a_pause(text, turn.ctx.catalog):  # "等会 我先问下我爸": the answer comes later
        pause(turn, draft, spec)
        return
    if changed_midway(turn, draft, spec, text):  # "金额改成4980" at the demands question
        return
    if answered := guidance.side_answers(draft, text, turn.ctx.catalog, turn.ctx.today):
        # "我这种情况能要三倍吗": answered first; what else the reply says is the answer
        turn.replies.extend(Reply(sentence) for sentence in answered)
        rest = without_asides(text, turn.ctx.catalog)
        if asks_only(text, turn.ctx.catalog) or (rest == text and non_answer(
                text, turn.ctx.catalog) in ("question", None) and (
                looks_like_a_question(text, turn.ctx.catalog))):
            ask(turn, spec, keep_picked=True)  # the question again, with what it suggests
            return
        text, typed = rest, fold(rest)
    elif asks_only(text, turn.ctx.catalog) and non_answer(text, turn.ctx.catalog) is None and (
            not spec.parse(text, turn.ctx, draft).error):
        # "这算诈骗不 能报警不" with no answer ready: still no answer to keep (a reader that
        # refuses it says why its own way: "会不会被店家知道" at the name)
        how = turn.ctx.catalog.maybe(f"field.{spec.name}.hint") or ""
        take(turn, draft, spec, Parsed(error="reply.error.question", reason="question",
                                       params={"how": how}))
        return
    if spec.name == REUSE_PROFILE and _contact_left_out(turn, draft, text):
        return
    if spec.name == "complainant_phone" and (known := _known_phone(draft, text)) != text:
        turn.say("reuse_profile.known_phone", phone=known)  # "还是那个136的"
        text = known
    text = _others_named(turn, draft, spec, text)
    if not text:  # "订单号是3912…" and nothing else: this question again
        ask(turn, spec, keep_picked=True)
        return
    typed = fold(text)
    opener, rest = opening_yes_or_no(text, turn)
    if opener == "yes" and rest and spec.name in draft.suggestions:
        confirm_with_more(turn, draft, spec, rest)  # "对 我去了大概10次"
        return
    if opener is not None and rest:  # "不对，是…", or a yes with nothing shown to agree to
        text, typed = rest, fold(rest)
    if agrees and spec.name in draft.suggestions and spec.name not in draft.answers:
        on_action(turn, UseSuggested())  # a yes to what was shown, sure or not
    elif spec.multi and typed in turn.t("option.done_words").split("|"):
        on_action(turn, Finished())
    else:
        numbered = options_by_number(text, turn) if spec.multi else None
        # a question picked to change from the summary: a long reply is its answer
        ctx = msgspec.structs.replace(turn.ctx, chosen=True) if state.back_to_summary else (
            turn.ctx)
        parsed = (spec.parse(text, ctx, draft) if numbered is None
                  else _numbered_answer(numbered, spec, turn, draft))
        if agrees and parsed.error and spec.name in draft.answers:
            # "对" to "现在填的是：…" (after 上一步): the answer shown is kept, like 不用改
            turn.say("reply.note.unchanged")
            advance(turn, draft, state.back_to_summary)
            return
        if parsed.story and spec.name != "narrative":
            keep_story(turn, draft, spec, text, parsed)
            return
        if spec.name == "kind" and not parsed.error and "narrative" not in draft.answers and (
                account := _account_beside_kind(text, turn)):
            keep_story(turn, draft, spec, account, parsed)  # "美团外卖吃出蟑螂了 要投诉"
            return
        if spec.name == THEME and numbered is None and _guessed_choice(text, spec, parsed, turn):
            # "去找了 说我人为损坏 还要我再掏200" read as 商品质量: asked, not taken silently
            parsed = Parsed(parsed.value, warning="warning.theme_guess", params={"said": text})
        if parsed.drop:  # "不是维修": no longer ticked, nor offered
            state.picked = [code for code in state.picked if code not in parsed.drop]
            suggested = draft.suggestions.get(spec.name)
            if isinstance(suggested, list):
                kept = [code for code in suggested if code not in parsed.drop]
                if kept:
                    draft.suggestions[spec.name] = kept
                else:
                    draft.suggestions.pop(spec.name)
        if spec.multi and parsed.value and state.picked and state.picked != (
                draft.answers.get(spec.name)):
            # Typed after ticking some: what was typed is added to what was ticked (not to
            # the answer shown ticked when the question came back: typed, it replaces it).
            added = [code for code in parsed.value if code not in state.picked]
            parsed = Parsed([*state.picked, *added], warning=parsed.warning, note=parsed.note,
                            params=parsed.params, aside=parsed.aside,
                            also=named_beside(state.picked, parsed, spec, turn))
        take(turn, draft, spec, _with_business_beside(text, spec, parsed, turn))


THEME = "theme"  # many options alike: one read from a sentence is confirmed first


def _account_beside_kind(text: str, turn: Turn) -> str:
    """"美团外卖吃出蟑螂了 要投诉": a short account beside the words that pick the kind is the
    start of the account (a long one is read as an account anyway); "" when there is none."""
    catalog = turn.ctx.catalog
    kinds = {word for kind in ("complaint", "report")
             for word in words(catalog, f"reply.kind.{kind}") if not word.startswith("=")}
    particles = "".join(words(catalog, "edit.words.particles")) + SENTENCE_ENDS
    clauses = [clause for clause in re.split(r"[\s,，;；。!！?？]+", fold(text)) if clause]
    rest = [clause for clause in clauses if clause.strip(particles) not in kinds
            and clause.strip(particles).removeprefix("我") not in kinds]
    account = " ".join(rest)
    if len(rest) == len(clauses) or len(account.strip(particles)) < 5 or not (
            has_any(account, catalog, "reply.story.trouble")
            or has_any(account, catalog, "reply.story.purchase")):
        return ""
    return account


def _others_named(turn: Turn, draft: Draft, spec: Field, text: str) -> str:
    """"对 哎订单号我找着了 是3912876540213398765": a number said for another open question,
    named (订单号, 电话, 购买时间…): answered there if that question was put off or skipped,
    else kept for it; the reply without it is returned (the rest answers this question)."""
    catalog = turn.ctx.catalog
    typed = " ".join(fold(text).split())
    leads = sorted((*words(catalog, "edit.words.found"), *words(catalog, "edit.words.is"),
                    *words(catalog, "edit.words.fillers")), key=len, reverse=True)
    for other in needed_fields(draft):
        if other.name in (spec.name, "narrative") or other.name in draft.answers or other.choices:
            continue
        for name in sorted(plain_names(other, catalog), key=len, reverse=True):
            at = typed.find(name)
            if at < 0:
                continue
            after = typed[at + len(name):].lstrip()
            while lead := next((word for word in leads if after.startswith(word)), None):
                after = after[len(lead):].lstrip()
            said = re.match(r"[^\s,，;；。]+", after)
            if said is None or not re.search(r"\d", said.group()):
                continue
            parsed = other.parse(said.group(), turn.ctx, draft)
            if parsed.error or parsed.warning or parsed.value is None:
                continue
            label = overview.label(other, draft, catalog)
            if other.name in (*draft.skipped, *draft.later):  # its question came already
                draft.answers[other.name] = parsed.value
                for put_off in (draft.skipped, draft.later):
                    if other.name in put_off:
                        put_off.remove(other.name)
                turn.say("reply.note.also_answered", label=label,
                         value=display(other, parsed.value, catalog))
            else:
                keep_for_later(draft, spec, {other.name: parsed.value})
                turn.say("reply.note.kept_for_later", labels=label)
            turn.touch(draft)
            return (typed[:at] + after[said.end():]).strip()
    return text
BUSINESS = ("business_name", "business_address")


def _with_business_beside(text: str, spec: Field, parsed: Parsed, turn: Turn) -> Parsed:
    """"…找着执照了 是杭州暖冬服饰有限公司 浙江省杭州市余杭区良渚街道好运路88号" at another
    question: the licence's registered name and address go with the answer (and replace a
    shop's name and address given before), as typed at the address question."""
    if spec.name in BUSINESS or parsed.error or parsed.warning or parsed.value is None:
        return parsed
    catalog = turn.ctx.catalog
    name = address = ""
    for part in re.split(r"[\s,，;；。]+", fold(text)):
        part = strip_lead_in(part, catalog)
        if not address and looks_like_address(part, catalog) and not looks_registered(part):
            address = part
        elif not name and looks_registered(part) and len(part) >= 6 and not looks_like_address(
                part, catalog):
            name = part
    if not name or not address:
        return parsed
    return msgspec.structs.replace(parsed, also={
        **parsed.also, "business_name": name, "business_address": address})


def _guessed_choice(text: str, spec: Field, parsed: Parsed, turn: Turn) -> bool:
    """An option read from a sentence that does not name it: not its label, nor one short
    clause ("质量不好")."""
    if parsed.error or parsed.warning or parsed.note or not isinstance(parsed.value, str) or (
            parsed.value not in spec.choices):
        return False
    typed = fold(text)
    if fold(spec.option_label(parsed.value, turn.ctx.catalog)) in typed:
        return False
    clauses = [clause for clause in re.split(r"[\s,，;；。.？?！!…~]+", typed) if clause]
    return len(clauses) > 1 or len(typed) > 8


def changed_midway(turn: Turn, draft: Draft, spec: Field, text: str) -> bool:
    """"金额改成4980", "钱不对 保健品一共4980 8200是住院花的": an earlier answer changed in
    words, as at the finished draft; then the question asked again. False (nothing done) when
    the reply is no such change, or its new content does not pass that answer's checks."""
    state = _asking(turn)
    if state.back_to_summary:
        return False
    change = said_midway(draft, text, turn.ctx.catalog,
                         answers_question=lambda: not spec.parse(text, turn.ctx, draft).error)
    if change is None:
        return False
    other = change.fields[0]
    if other.name in (spec.name, "narrative") or other.name not in draft.answers:
        return False
    chosen = msgspec.structs.replace(turn.ctx, chosen=True)
    parsed = other.parse(change.content, chosen, draft)
    if parsed.error and change.after_name and change.after_name != change.content:
        parsed = other.parse(change.after_name, chosen, draft)  # "钱不对 一共4980 8200是住院的"
    if (parsed.error or parsed.warning or parsed.clarify is not None or parsed.skip
            or parsed.story or parsed.value is None):
        return False
    asked, picked = state.field, list(state.picked)
    turn.enter(Asking(field=other.name))
    commit(turn, draft, other, parsed.value, parsed, back_to=asked)
    turn.enter(Asking(field=asked, picked=picked))
    if spec.is_needed(draft):
        turn.say("reply.note.changed_midway")
        ask(turn, spec, keep_picked=True)
    else:  # the change made the question moot ("渠道改成网上"): the next one
        resume(turn, draft)
    return True


def asks_only(text: str, catalog: Catalog) -> bool:
    """"这算诈骗不 能报警不", "能要回来不 这种": every clause asks the bot something (吗/呢, a
    question word, a bare 不/没 at its end, or 算不算), so the reply is no answer to keep."""
    clauses = [clause for clause in re.split(r"[\s,，;；。.？?！!…~]+", fold(text)) if clause]
    return bool(clauses) and all(_asks(clause, catalog) for clause in clauses)


def _asks(clause: str, catalog: Catalog) -> bool:
    if looks_like_a_question(clause, catalog):
        return True
    for idiom in words(catalog, "reply.words.not_asking"):
        clause = clause.replace(idiom, " ")
    tags = words(catalog, "reply.words.question_tags")
    if len(clause.strip("".join(tags))) >= 2 and clause.endswith(tags) and not clause.endswith(
            words(catalog, "reply.words.not_question_tags")):
        return True
    # "算不算", "有没有": a word, 不 or 没, the same word again
    either = "|".join(re.escape(tag) for tag in tags)
    return any(found.group(1) not in tags
               for found in re.finditer(rf"(\w)(?:{either})\1", clause))


def _numbered_answer(numbered: tuple[list[str], str], spec: Field, turn: Turn,
                     draft: Draft) -> Parsed:
    """"1 2 4 还有医院的票": the options numbered, and those the words after them name."""
    codes, rest = numbered
    also: dict[str, Any] = {}
    if rest:
        more = spec.parse(rest, turn.ctx, draft)
        also = named_beside(codes, more, spec, turn)
        codes += [code for code in (more.value or []) if code not in codes]
    return Parsed(codes, add=True, also=also)


def named_beside(ticked: list[str], parsed: Parsed, spec: Field, turn: Turn) -> dict[str, Any]:
    """What a typed reply says beside its value, with the pieces it names ("屏幕黑屏的照片")
    joined by the options ticked or numbered with it that it does not name ("合同/协议"): the
    complaint lists what the user named, so a ticked option must not drop out of it."""
    named = parsed.also.get(EVIDENCE_ITEMS)
    if not named:
        return dict(parsed.also)
    covered = set(parsed.value or [])
    ticked_names = [spec.option_label(code, turn.ctx.catalog) for code in ticked
                    if code not in covered]
    return {**parsed.also, EVIDENCE_ITEMS: list(dict.fromkeys([*ticked_names, *named]))}


def options_by_number(text: str, turn: Turn) -> tuple[list[str], str] | None:
    """"1 2 4 5 还有医院的票" → (the codes of options 1, 2, 4 and 5, "还有医院的票"): several
    numbers of the options shown, "1234" (one digit per option) or one number followed by
    words ("1 还有屏幕黑屏的照片"); None when no option number leads the reply."""
    folded = fold(text)
    found = re.match(r"\s*(\d{1,2}(?:\s*[\s,，、.]\s*\d{1,2})+)(?!\d)(?P<rest>.*)", folded)
    # "1 还有…": a number and then words, not a count ("3 张照片")
    found = found or re.match(r"\s*(\d{1,2})(?:\s+|[,，、.])\s*(?![\d张个份条段次页])(?P<rest>\S.*)",
                              folded)
    run = re.fullmatch(r"\s*([1-9]{2,9})\s*", folded)  # "1234": options 1, 2, 3 and 4
    offered = turn.dialog.offered.values
    if not (found or run) or not offered:
        return None
    numbers = ([int(n) for n in run.group(1)] if run
               else [int(n) for n in re.findall(r"\d{1,2}", found.group(1))])
    if not all(1 <= n <= len(offered) for n in numbers) or (run and len(set(numbers)) < len(numbers)):
        return None
    if run:
        found = run
    codes = [action.code for n in numbers
             if isinstance(action := decode(offered[n - 1]), Pick)]
    rest = "" if run else found.group("rest")
    return list(dict.fromkeys(codes)), rest.strip(SEPARATORS)


def says_skip(text: str, turn: Turn) -> bool:
    """"还没查到 先跳过", "先不填了": a skip said in words, with nothing else to take."""
    folded = fold(text)
    found = [word for word in words(turn.ctx.catalog, "reply.words.skip_intent") if word in folded]
    if not found:
        return False
    rest = folded
    for word in sorted(found, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return not rest.strip(SEPARATORS) or non_answer(rest, turn.ctx.catalog) in (
        "dont_know", "none", "empty")


def opening_yes_or_no(text: str, turn: Turn) -> tuple[str | None, str]:
    """"对 我去了大概10次" → ("yes", "我去了大概10次"); "不对，是羊毛的" → ("no", "是羊毛的"): a
    yes or no that opens a longer reply, and the rest of it."""
    folded = fold(text).strip()
    for kind in ("no", "yes"):  # "不对" before "对"
        for opener in sorted(words(turn.ctx.catalog, f"confirm.{kind}_openers"), key=len,
                             reverse=True):
            if folded.lower().startswith(opener):
                rest = folded[len(opener):]
                if rest[:1] in SEPARATORS and rest.strip(SEPARATORS):
                    return kind, rest.strip(SEPARATORS)
    return None, ""


SEPARATORS = SENTENCE_ENDS + "、:："  # between a yes and what follows it


def confirm_with_more(turn: Turn, draft: Draft, spec: Field, more: str) -> None:
    """A yes to what was read, with more said: a long text takes the rest as an addition,
    several options take the ones named too; elsewhere the rest is chatter ("对 微信付的")."""
    suggested = recheck(turn, draft, spec)
    added = spec.parse(more, turn.ctx, draft)
    if suggested.error or suggested.value is None:
        on_text(turn, more)
        return
    if not added.error and added.value and spec.grows:
        first = str(suggested.value).rstrip(SEPARATORS)
        joined = turn.t("format.sentences", first=first, then=str(added.value))
        take(turn, draft, spec, Parsed(joined, note="reply.note.added_to_suggestion"))
    elif not added.error and added.value and spec.multi:
        union = list(dict.fromkeys([*suggested.value, *added.value]))
        take(turn, draft, spec, Parsed(union, also=suggested.also))
    elif not added.error and added.value == suggested.value:  # "对，打不通": what came with it
        take(turn, draft, spec, Parsed(suggested.value, also=suggested.also,
                                       aside={**suggested.aside, **added.aside}))
    else:
        take(turn, draft, spec, suggested)


def on_action(turn: Turn, action: Action) -> None:
    state, draft = _asking(turn), turn.draft()
    if draft is None:
        turn.menu("idle.menu")
        return
    spec = FIELDS[state.field]
    pending = state.pending
    if pending is not None and isinstance(action, Keep | Change):
        state.pending = None
        if isinstance(action, Keep):
            commit(turn, draft, spec, pending.value, Parsed(pending.value, reason=PAST_WARNING))
        else:
            ask(turn, spec)
        return
    if state.clarifying is not None and isinstance(action, Pick | NoneOfThese):
        offered = state.clarifying.values
        state.clarifying = None
        if isinstance(action, Pick) and action.code in offered:
            take(turn, draft, spec, Parsed(action.code))
        else:
            ask(turn, spec)
        return
    if isinstance(action, UseSuggested) and spec.name in draft.suggestions:
        take(turn, draft, spec, recheck(turn, draft, spec))
    elif spec.multi and isinstance(action, Finished):
        if not state.picked:
            turn.say("error.pick_one")
            ask(turn, spec)
            return
        take(turn, draft, spec, Parsed(list(state.picked)))
    elif spec.multi and isinstance(action, NoneOfThese):
        take(turn, draft, spec, Parsed([]))
    elif spec.multi and isinstance(action, Pick) and action.code in spec.choices:
        picked = state.picked
        if action.code in picked:  # pressed again: unticked, and said so
            picked.remove(action.code)
            turn.say("question.unpicked", label=spec.option_label(action.code, turn.ctx.catalog))
        else:
            picked.append(action.code)
        ask(turn, spec, keep_picked=True)
    elif isinstance(action, Pick) and action.code in spec.choices:
        label = spec.option_label(action.code, turn.ctx.catalog)
        take(turn, draft, spec, spec.parse(label, turn.ctx, draft))
    else:
        turn.say("error.stale_button")
        reask(turn)


def recheck(turn: Turn, draft: Draft, spec: Field) -> Parsed:
    """A confirmed suggestion still passes the field's checks (dates, sums, limits)."""
    value = draft.suggestions[spec.name]
    if spec.recheck:
        return spec.recheck(value, turn.ctx, draft)
    # the details typed with it ("换个新的或者退钱都行" early: either is still accepted)
    return Parsed(value, also={key: draft.suggestions[key] for key in spec.details
                               if draft.suggestions.get(key)})


def take(turn: Turn, draft: Draft, spec: Field, parsed: Parsed) -> None:
    state = _asking(turn)
    if parsed.clarify is not None:
        clarify = parsed.clarify
        state.clarifying = Clarifying(question=clarify.question, params=dict(clarify.params),
                                      values=list(clarify.options), none_label=clarify.none_label)
        show_clarifying(turn, state.clarifying, turn.new_token())
        return
    if parsed.skip and parsed.reason == "not_a_buyer":
        if parsed.note:
            turn.say(parsed.note, **parsed.params)
        skip_purchase_questions(turn, draft)
        return
    if parsed.error:
        said = turn.t(parsed.error, **parsed.params)
        if parsed.reason == CORRECTION:  # "不是 名字是急速手机维修": an earlier answer corrected
            draft.answers.update(parsed.also)
            turn.touch(draft)
        elif kept := keep_for_later(draft, spec, parsed.also):
            turn.touch(draft)
            said += turn.t("reply.note.kept_for_later", labels=turn.t(
                "format.list_separator").join(overview.label(FIELDS[name], draft, turn.ctx.catalog)
                                              for name in kept))
        for key in spec.details:  # "一天100" asked for its days: the rate, for the next reply
            if parsed.also.get(key):
                draft.suggestions[key] = parsed.also[key]
        offer_later = (parsed.reason in ("dont_know", "question") and not state.back_to_summary
                       and may_put_off(spec, draft))
        if offer_later:
            said += turn.t("reply.note.can_put_off")
        turn.replies.append(Reply(said))
        ask(turn, spec, keep_picked=True, offer_later=offer_later)  # a typo keeps the ticks
        return
    if parsed.skip and (spec.may_skip(draft) or parsed.reason == NO_SHOP):
        if parsed.note:
            turn.say(parsed.note, **parsed.params)
        leave_empty(turn, draft, spec)
        return
    if parsed.skip:  # "none" to a question that needs an answer
        refuse_skip(turn, draft, spec)
        return
    if parsed.warning:
        keep_for_later(draft, spec, parsed.also)  # "拼多多" as the business: the platform too
        state.pending = Pending(field=spec.name, value=parsed.value, warning=parsed.warning,
                                params=dict(parsed.params))
        show_pending(turn, spec, state.pending, parsed.params, turn.new_token())
        return
    commit(turn, draft, spec, parsed.value, parsed)


def show_clarifying(turn: Turn, clarifying: Clarifying, token: str) -> None:
    options = [Option(encode(Pick(value)), value) for value in clarifying.values]
    if clarifying.none_label:
        options.append(turn.option(NoneOfThese(), clarifying.none_label))
    turn.question(turn.t(clarifying.question, **clarifying.params), tuple(options), token)


def keep_story(turn: Turn, draft: Draft, spec: Field, text: str, parsed: Parsed) -> None:
    """A whole account typed at a question: kept as (more of) the account and read, then the
    open question again, now with what was read from it."""
    account = draft.answer("narrative")
    account = f"{account}\n{text}" if account else text
    draft.answers["narrative"] = account
    if "narrative" in draft.skipped:
        draft.skipped.remove("narrative")
    turn.touch(draft)
    learn_from_account(turn, draft, account)
    turn.say("reply.note.story_kept")
    if parsed.value is not None and not parsed.error:  # the story named the option plainly
        commit(turn, draft, spec, parsed.value, Parsed(parsed.value))
    else:
        ask(turn, spec)


def skip_purchase_questions(turn: Turn, draft: Draft) -> None:
    """A reporter who bought nothing: the questions about buying are left out, and the one
    this was said at (what was involved, or when, may still be asked otherwise)."""
    leave_out_buying(draft, also=_asking(turn).field)
    turn.touch(draft)
    advance(turn, draft, _asking(turn).back_to_summary)


# An answer's own note that already makes the point of the field's after-note.
SAYS_IT_ALREADY = {"note.shop_name": "reply.note.kept_shop_name"}


def keep_the_shops_sign(draft: Draft, name: Any) -> None:
    """A registered name replacing a shop's sign ("暖冬旗舰店" → 杭州暖冬服饰有限公司): the sign
    stays as the shop's name, which the complaint writes beside its operator."""
    old = draft.answers.get("business_name")
    if (old and old != name and not looks_registered(str(old)) and looks_registered(str(name))
            and not draft.answers.get("store_name")):
        draft.answers["store_name"] = old


def leave_out_buying(draft: Draft, also: str | None = None) -> None:
    for name in (*BUYING_QUESTIONS, *((also,) if also else ())):
        if name in FIELDS and name not in draft.answers and name not in draft.skipped:
            draft.skipped.append(name)
        draft.suggestions.pop(name, None)


def show_pending(turn: Turn, spec: Field, pending: Pending, params: dict[str, Any],
                 token: str) -> None:
    shown = display(spec, pending.value, turn.ctx.catalog)
    turn.question(turn.t(pending.warning, value=shown, **params),
                  (turn.option(Keep(), "option.keep"), turn.option(Change(), "option.change")),
                  token)


def commit(turn: Turn, draft: Draft, spec: Field, value: Any, parsed: Parsed,
           back_to: str | None = None) -> None:
    """Keep `value` as the answer, then go on; `back_to`: a question asked meanwhile, which the
    caller asks again (the answer was changed in the middle of it)."""
    back_to_summary = _asking(turn).back_to_summary
    if spec.name == "business_name":
        keep_the_shops_sign(draft, value)
    draft.answers[spec.name] = value
    if spec.name in draft.skipped:
        draft.skipped.remove(spec.name)
    if spec.name in draft.later:
        draft.later.remove(spec.name)
    if spec.apply is not None:
        before = dict(draft.suggestions)
        spec.apply(draft, value)
        _note_sources(draft, spec.name, [name for name, suggested in draft.suggestions.items()
                                         if name not in before or before[name] != suggested])
    turn.touch(draft)
    _asking(turn).picked = []
    history = turn.dialog.history
    if not history or history[-1] != spec.name:
        history.append(spec.name)
    replaced = guidance.replaced_notes(draft, turn.ctx.today)
    # A value kept past a warning has had its say: no second note about it ("拼多多" kept as
    # the business is not then called a shop's name as well).
    after = spec.after(value, draft) if parsed.reason != PAST_WARNING else None
    if parsed.note and after and parsed.note.startswith(SAYS_IT_ALREADY.get(after, "\0")):
        after = None  # "好的，先用店铺名…查到后随时发修改来改" already says what 这看起来是店铺名 would
    for note in (parsed.note, after):
        if note and note not in replaced:
            turn.say(note, **parsed.params)
    for name, also in parsed.also.items():  # e.g. 退一赔三: the compensation it implies
        if name in FIELDS and (improves(name, draft.answers.get(name), also) or (
                name == "business_address" and spec.name not in BUSINESS and name in draft.answers
                and also != draft.answers[name]
                and looks_registered(str(parsed.also.get("business_name", ""))))):
            # the registered name found after a shop's name was given: it replaces it
            if name == "business_name":
                keep_the_shops_sign(draft, also)
            draft.answers[name] = also
            turn.say("reply.note.replaced", label=overview.label(FIELDS[name], draft,
                                                                  turn.ctx.catalog),
                     value=display(FIELDS[name], also, turn.ctx.catalog))
        elif name in FIELDS:  # not a detail of this answer (below)
            _suggest_surely(draft, name, also)
        elif name not in spec.details and any(
                name in FIELDS[other].details for other in draft.answers if other in FIELDS):
            draft.answers[name] = also  # "7840是退款不是赔偿": the refund's sum, said here
    _note_sources(draft, spec.name, list(parsed.also))
    keep_for_later(draft, spec, parsed.aside)
    for key in spec.details:  # said by this reply, or no longer standing
        if parsed.also.get(key):
            draft.answers[key] = parsed.also[key]
        else:
            draft.answers.pop(key, None)
    if back_to_summary or back_to:  # changed from the summary: say what it now reads
        turn.say("edit.changed", label=overview.label(spec, draft, turn.ctx.catalog),
                 value=display(spec, value, turn.ctx.catalog))
    if back_to:
        return
    if spec.name == "narrative":
        learn_from_account(turn, draft, value)
        if draft.referral is not None:
            from flows.confirming import ask_confirm  # a confirmation may lead back here

            ask_confirm(turn, ScopeWarning(back_to_summary=back_to_summary),
                        **drafting.referral_params(draft.referral, turn.ctx.catalog))
            return
    advance(turn, draft, back_to_summary, changed=True)


def keep_for_later(draft: Draft, spec: Field, values: dict[str, Any]) -> list[str]:
    """A refused reply that answers other questions ("换个新的或者退钱都行" typed as the address):
    its values are kept as those questions' one-tap suggestions, unless they are answered
    already. The names of the questions it was kept for."""
    kept = [name for name in values if name in FIELDS and name not in draft.answers]
    for name in kept:
        _suggest_surely(draft, name, values[name])
        for key in FIELDS[name].details:  # taken with it when its question comes
            if values.get(key):
                draft.suggestions[key] = values[key]
    sources = dict(draft.suggestions.get(overview.SUGGESTION_SOURCES) or {})
    sources.update(dict.fromkeys(kept, overview.EARLIER_REPLY))
    if kept:
        draft.suggestions[overview.SUGGESTION_SOURCES] = sources
    return kept


def _suggest_surely(draft: Draft, name: str, value: Any) -> None:
    """`value` as the one-tap answer of question `name`: the user said it themselves."""
    draft.suggestions[name] = value
    if name not in draft.sure:
        draft.sure.append(name)


def _note_sources(draft: Draft, source: str, names: list[str]) -> None:
    """Remember that the suggestions for `names` came from the answer to `source`, so their
    questions say so rather than quoting the account."""
    names = [name for name in names if name in FIELDS and name != source]
    if names:
        sources = dict(draft.suggestions.get(overview.SUGGESTION_SOURCES) or {})
        sources.update(dict.fromkeys(names, source))
        draft.suggestions[overview.SUGGESTION_SOURCES] = sources


def learn_from_account(turn: Turn, draft: Draft, account: str) -> None:
    """Keep what the analyzer read as suggestions; each is confirmed when its turn comes."""
    insight: Insight = turn.ctx.understand(account, turn.ctx.today)
    draft.account_date = turn.ctx.today
    previous, previous_sure = draft.suggestions, list(draft.sure)
    draft.suggestions = {k: v for k, v in previous.items() if k == "profile"}
    found = prefills(insight, account, turn.ctx)
    draft.suggestions.update(found)
    for name in found:  # what was read beside it: the payments a total is made of
        draft.suggestions.update({key: list(fact.value) if isinstance(fact.value, tuple)
                                  else fact.value for key in FIELDS[name].details
                                  if (fact := insight.facts.get(key)) is not None})
    draft.sure = [name for name in found if sure_of(name, insight)]
    suggest_from_answers(draft)
    # What the user typed ahead at another question outranks what the account suggests
    # (said with an answer that still stands too: "马建国 我是他女儿马丽" names the writer).
    earlier = {name: previous[name] for name, source
               in (previous.get(overview.SUGGESTION_SOURCES) or {}).items()
               if name in previous and (source in (overview.EARLIER_REPLY,
                                                   overview.FROM_COMPLAINT) or (
                   source in draft.answers and source != "narrative" and name in previous_sure))}
    for name, value in earlier.items():
        _suggest_surely(draft, name, value)
        draft.suggestions.update({key: previous[key] for key in FIELDS[name].details
                                  if key in previous})  # and what was typed with it
    # What an earlier answer suggested and still stands as it was keeps saying where it came from.
    kept = {name: source for name, source
            in (previous.get(overview.SUGGESTION_SOURCES) or {}).items()
            if name in draft.suggestions and draft.suggestions[name] == previous.get(name)}
    if kept:
        draft.suggestions[overview.SUGGESTION_SOURCES] = kept
    draft.theme_ranking = [
        {"theme": s.theme, "score": s.score, "keywords": list(s.keywords)}
        for s in insight.themes
    ]
    draft.theme_shortlist = list(insight.theme_shortlist)
    draft.referral = (
        {"topic": insight.out_of_scope.topic, "keywords": list(insight.out_of_scope.keywords)}
        if insight.out_of_scope else None
    )
    # advice already said stays said: an account told again or grown does not repeat it
    if draft.referral is not None and "scope.warning" in guidance.replaced_notes(
            draft, turn.ctx.today, insight):
        draft.referral = None  # e.g. a travel platform's fee: a dispute 12315 does take
    said = {reply.text for reply in turn.replies}  # a side question's answer in this turn
    for sentence in guidance.due_now(draft, "account_read", turn.ctx.catalog, turn.ctx.today,
                                     insight):
        if sentence not in said:
            turn.replies.append(Reply(sentence))
    if draft.answer("kind") == "report" and account_says_not_a_buyer(account, turn.ctx.catalog):
        leave_out_buying(draft)  # "…我没在那买过": how and where it was bought is not asked
        turn.say("reply.note.not_a_buyer_account")
    for note in insight.notes:  # another body only mentioned: the dispute stays with 12315
        turn.say("scope_note.other_body", **drafting.referral_params(
            {"topic": note.topic}, turn.ctx.catalog))


# ---- navigation inside the interview ---------------------------------------------------------


def reask(turn: Turn) -> None:
    state, draft = _asking(turn), turn.draft()
    if draft is None:
        turn.menu("idle.menu")
        return
    if state.pending is not None:
        spec = FIELDS[state.pending.field]
        show_pending(turn, spec, state.pending, state.pending.params, turn.new_token())
    elif state.clarifying is not None:
        show_clarifying(turn, state.clarifying, turn.new_token())
    else:
        spec = FIELDS[state.field]
        # the "later" button stays on a question asked again (after a restart, say), so
        # its number still means it
        offered_later = command_value("skip") in turn.dialog.offered.values
        ask(turn, spec, keep_picked=True, offer_later=offered_later and not spec.may_skip(draft)
            and may_put_off(spec, draft))


def back(turn: Turn) -> None:
    """The question before this one that still applies (answers since may have changed
    which questions apply: a shop purchase has no order number to go back to)."""
    state, draft = _asking(turn), turn.draft()
    if draft is None:
        turn.menu("back.nothing")
        return
    state.pending = None
    if state.back_to_summary:
        from flows.editing import show_summary

        show_summary(turn, draft)
        return
    history = turn.dialog.history
    while history and (history[-1] == state.field or not FIELDS[history[-1]].is_needed(draft)):
        history.pop()
    if not history:
        turn.say("back.first")
        resume(turn, draft)
        return
    previous = history.pop()
    draft.finished = False
    ask(turn, FIELDS[previous])


def skip(turn: Turn) -> None:
    state, draft = _asking(turn), turn.draft()
    if draft is None:
        turn.say("skip.nothing")
        turn.menu("idle.menu")
        return
    spec = FIELDS[state.field]
    if not spec.may_skip(draft):
        refuse_skip(turn, draft, spec)
        return
    leave_empty(turn, draft, spec)


def refuse_skip(turn: Turn, draft: Draft, spec: Field) -> None:
    """A question 12315 needs answered: a fact still to be looked up waits until the other
    questions are answered; otherwise it is asked again, saying why."""
    state = _asking(turn)
    label = turn.t(f"field.{spec.name}.label")
    if not state.back_to_summary and may_put_off(spec, draft):
        put_off(turn, draft, spec)
    elif spec.may_wait and spec.name in draft.later:  # the last one left: the draft waits
        turn.say("skip.last_required", field=label)
        ask(turn, spec, keep_picked=True)
    else:
        turn.say("skip.required", field=label)
        ask(turn, spec, keep_picked=True)


def pause(turn: Turn, draft: Draft, spec: Field) -> None:
    """"等会 我问问": a question that may wait is put off till the end; any other is asked
    again, kindly (the user may come back with the answer whenever they like)."""
    if not _asking(turn).back_to_summary and may_put_off(spec, draft):
        put_off(turn, draft, spec, note="reply.note.pause_put_off")
        return
    turn.say("reply.error.pause", how="")
    ask(turn, spec, keep_picked=True)


def put_off(turn: Turn, draft: Draft, spec: Field, note: str = "reply.note.put_off") -> None:
    """Leave question `spec` unanswered for now; `next_missing` brings it back at the end."""
    state = _asking(turn)
    state.pending = None
    if spec.name in draft.later:  # put off again: behind the others put off
        draft.later.remove(spec.name)
    draft.later.append(spec.name)
    turn.dialog.history.append(spec.name)
    turn.touch(draft)
    turn.say(note, field=turn.t(f"field.{spec.name}.label"))
    resume(turn, draft)


def leave_empty(turn: Turn, draft: Draft, spec: Field) -> None:
    """Skip an optional question: no answer, remembered as skipped, on to the next."""
    state = _asking(turn)
    state.pending = None
    draft.answers.pop(spec.name, None)
    if spec.name not in draft.skipped:
        draft.skipped.append(spec.name)
    if spec.name == REUSE_PROFILE:  # a reporter who leaves out the contact details: all of them
        left_out = [name for name in PROFILE_FIELDS if FIELDS[name].may_skip(draft)
                    and name not in draft.answers and name not in draft.skipped]
        draft.skipped.extend(left_out)
        if left_out:
            turn.say("reply.note.no_contact_report")
    turn.dialog.history.append(spec.name)
    turn.touch(draft)
    advance(turn, draft, state.back_to_summary)


REUSE_PROFILE = "reuse_profile"


def _contact_left_out(turn: Turn, draft: Draft, text: str) -> bool:
    """A reporter at "要沿用上次填写的吗？": "那就只留个电话吧" keeps the phone known and leaves
    out the name and address; "不留名字行吗 怕他们报复" leaves out the name, and the phone is
    asked next. False for anything else (and in a complaint, which needs them all)."""
    if draft.answer("kind") != "report":
        return False
    typed = fold(text)
    phone = (draft.suggestions.get("profile") or {}).get("complainant_phone")
    said = [key for key in ("phone_only", "no_name")
            if any(word in typed for word in words(turn.ctx.catalog,
                                                    f"reuse_profile.{key}_words"))]
    if not said:
        return False
    draft.answers[REUSE_PROFILE] = "no"
    left_out = ["complainant_name"]
    if said[0] == "phone_only" and phone:
        draft.answers["complainant_phone"] = phone
        left_out.append("complainant_address")
        turn.say("reuse_profile.phone_only", phone=phone)
    else:
        turn.say("reuse_profile.no_name")
    draft.skipped.extend(name for name in left_out if name not in draft.skipped)
    turn.dialog.history.append(REUSE_PROFILE)
    turn.touch(draft)
    advance(turn, draft, _asking(turn).back_to_summary)
    return True


def _known_phone(draft: Draft, text: str) -> str:
    """"还是那个136的": the phone known from before that starts so, else `text` as it is."""
    known = str((draft.suggestions.get("profile") or {}).get("complainant_phone") or "")
    digits = re.findall(r"\d+", fold(text))
    if known and len(digits) == 1 and 3 <= len(digits[0]) < len(known) and known.startswith(
            digits[0]):
        return known
    return text


# ---- the finished draft ----------------------------------------------------------------------


def finish(turn: Turn, draft: Draft) -> None:
    draft.finished = True
    turn.touch(draft)
    # a report that left the name out does not forget the name known from before
    turn.session.profile = {**(turn.session.profile or {}), **{
        name: draft.answers[name] for name in PROFILE_FIELDS if name in draft.answers}}
    show_draft(turn, draft, turn.t("done.intro", number=draft.number))


def show_draft(turn: Turn, draft: Draft, intro: str) -> None:
    turn.enter(DraftMenu())
    sheet = drafting.render(draft, turn.ctx.catalog, turn.ctx.today)
    turn.replies.append(Reply(intro, options=after_draft_options(turn, draft), part="draft",
                              sheet=sheet))


def after_draft_options(turn: Turn, draft: Draft) -> tuple[Option, ...]:
    catalog = turn.ctx.catalog
    follow_up = (draft_option("case", draft.number, catalog, "case.option.card") if draft.case
                 else draft_option("submit", draft.number, catalog, "option.submitted"))
    return (follow_up, turn.command_option("edit"), turn.command_option("new"),
            turn.command_option("status"))
