"""After filing: the case number, the states a case moves through, the dates that matter."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from conftest import NOW, Chat
from test_draft_rules import REPORT
from test_interview_complaint import GUIDE_ANSWERS

from flows.case import InvalidMove, allowed_moves, move, read_case_number, submit, undo
from flows.context import Context
from flows.model import Draft


def finish_complaint(chat: Chat, **changes: str) -> None:
    chat.say("/start")
    chat.fill({**GUIDE_ANSWERS, **changes})
    assert chat.draft.finished


def file_case(chat: Chat, number: str = "20261128000123", day: str = "today") -> None:
    chat.press(chat.t("option.submitted"))
    chat.say(number)
    chat.press("今天" if day == "today" else "昨天")
    assert chat.draft.case is not None


def move_to(chat: Chat, state: str) -> None:
    """From the case card: mark the case as `state` (its label), today, without a note."""
    chat.say("进度")
    chat.press(f"标记为「{state}」")
    chat.press("今天")
    chat.press(chat.t("case.option.no_note"))


def at(chat: Chat, moment: datetime) -> None:
    """Let time pass."""
    chat.ctx = Context(chat.catalog, moment, chat.ctx.understand)


@pytest.fixture
def filed(chat: Chat) -> Chat:
    finish_complaint(chat)
    file_case(chat)
    return chat


# ---- filing ------------------------------------------------------------------------------


def test_the_finished_draft_offers_to_record_the_filing(chat: Chat) -> None:
    finish_complaint(chat)
    assert chat.sheet.sections[-1].key == "fraud", "the fraud warning stays last"
    assert chat.t("option.submitted") in [o.label for o in chat.replies[-1].options]


def test_filing_records_number_date_and_the_acceptance_deadline(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    assert chat.mode == "case"
    chat.say("２０２６１１２８ ０００１２３")  # full-width digits and a space, as phones type them
    chat.press("昨天")
    case = chat.draft.case
    assert case.number == "20261128000123"
    assert case.state == "submitted" and case.submitted_on == date(2026, 11, 27)
    # 7 working days after Friday 27 November 2026.
    assert chat.t("case.next.acceptance", date="2026年12月8日") in chat.text
    assert chat.t("case.will_remind") in chat.text
    assert chat.t("case.fraud_note") in chat.text


def test_a_case_number_pasted_under_the_finished_draft_is_recognised(chat: Chat) -> None:
    finish_complaint(chat)
    chat.say("20261128000789")
    assert chat.t("case.number_recognised", number=1, case_number="20261128000789") in chat.text
    assert chat.step == "submitted_on"
    chat.press("今天")
    assert chat.draft.case.number == "20261128000789"


def test_other_text_under_the_finished_draft_offers_what_can_be_done(chat: Chat) -> None:
    finish_complaint(chat)
    chat.say("谢谢")
    assert chat.t("done.menu", number=1) in chat.text
    assert chat.t("option.submitted") in chat.option_labels()
    assert chat.draft.case is None
    file_case(chat)
    chat.say("好的")
    assert chat.t("done.menu_filed", number=1) in chat.text
    assert chat.t("case.option.card", number=1) in chat.option_labels()


def test_a_case_number_that_is_not_letters_and_digits_is_refused_and_asked_again(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.say("还没收到")
    assert chat.t("case.error.number") in chat.text
    assert chat.step == "case_number"
    assert chat.draft.case is None


def test_a_phone_number_as_case_number_is_questioned_but_can_be_kept(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.say("13812345678")
    assert chat.t("case.warn.number_phone", value="13812345678") in chat.text
    chat.press(chat.t("option.change"))
    assert chat.step == "case_number"
    chat.say("13812345678")
    chat.press(chat.t("option.keep"))
    chat.press("今天")
    assert chat.draft.case.number == "13812345678"


def test_filing_without_a_number_and_adding_it_later(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.press(chat.t("case.option.no_number"))
    chat.press("今天")
    assert chat.draft.case.number == ""
    assert chat.t("case.number_later") in chat.text
    chat.say("进度")
    chat.press(chat.t("case.option.add_number"))
    chat.say("A2026-0001234")
    assert chat.draft.case.number == "A2026-0001234"
    assert chat.draft.case.state == "submitted", "changing the number does not move the case"


def test_a_future_submission_date_is_refused(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.say("20261128000123")
    chat.say("2026年12月30日")
    assert chat.t("error.date_future") in chat.text
    assert chat.state.edit.number == "20261128000123", "the number is not lost"
    chat.say("11月26日")
    assert chat.draft.case.submitted_on == date(2026, 11, 26)


def test_back_and_cancel_inside_the_filing_questions(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.say("20261128000123")
    chat.say("上一步")
    assert chat.step == "case_number"
    chat.say("/cancel")
    assert chat.draft.case is None
    assert chat.mode == "done"
    assert chat.t("option.submitted") in chat.option_labels()


def test_start_in_the_middle_of_filing_picks_up_with_what_was_typed(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.say("20261128000123")
    chat.say("/start")  # what the terminal sends when it is started again
    assert chat.t("start.welcome_back_case", number=1) in chat.text
    assert chat.step == "submitted_on"
    chat.press("今天")
    assert chat.draft.case.number == "20261128000123"


def test_an_unfinished_draft_cannot_be_filed(chat: Chat) -> None:
    chat.say("/start")
    chat.say("投诉")
    chat.say("/submit 1")
    assert chat.t("case.submit_unfinished", number=1) in chat.text
    assert chat.draft.case is None


def test_typed_words_file_the_newest_finished_draft(chat: Chat) -> None:
    finish_complaint(chat)
    chat.say("/new")
    chat.say("已提交")
    assert chat.state.edit.draft == 1


# ---- moving the case ---------------------------------------------------------------------


def test_accepted_then_mediation_deadline_with_a_note(filed: Chat) -> None:
    at(filed, datetime(2026, 12, 3, 15, 0))
    filed.say("进度")
    filed.press("标记为「已受理」")
    filed.press("今天")
    filed.say("市场监管所王先生来电，约定周五前退款")
    case = filed.draft.case
    assert case.state == "accepted" and case.changed_on == date(2026, 12, 3)
    assert case.events[-1].note == "市场监管所王先生来电，约定周五前退款"
    assert filed.t("case.advice.accepted") in filed.text
    assert filed.t("case.next.mediation", date="2027年2月1日") in filed.text
    filed.say("/case 1")
    assert "王先生来电" in filed.text


def test_a_move_date_before_the_last_change_is_refused(filed: Chat) -> None:
    filed.say("进度")
    filed.press("标记为「已受理」")
    filed.say("2026年11月20日")
    assert "还早" in filed.text
    assert filed.draft.case.state == "submitted"
    filed.press("今天")
    filed.press(filed.t("case.option.no_note"))
    assert filed.draft.case.state == "accepted"


def test_yesterday_is_not_offered_for_a_change_when_the_last_one_was_today(filed: Chat) -> None:
    filed.say("进度")
    filed.press("标记为「已受理」")
    assert not any("昨天" in label for label in filed.option_labels())
    at(filed, datetime(2026, 11, 30, 9, 0))
    filed.say("/back")
    filed.press("标记为「已受理」")
    assert any("昨天" in label for label in filed.option_labels())


def test_typing_a_state_on_the_card_moves_the_case(filed: Chat) -> None:
    filed.say("进度")
    filed.say("不予受理")
    filed.press("今天")
    filed.press(filed.t("case.option.no_note"))
    assert filed.draft.case.state == "rejected"
    assert filed.t("case.advice.rejected") in filed.text


def test_a_move_the_case_cannot_make_is_explained(filed: Chat) -> None:
    filed.say("进度")
    old_card = list(filed.replies)
    filed.press("标记为「不予受理」")
    filed.press("今天")
    filed.press(filed.t("case.option.no_note"))
    # A button of the old card, pressed after the case already moved on.
    filed.replies = old_card
    filed.press("标记为「已受理」")
    assert filed.t("case.invalid_move", state="不予受理", target="已受理") in filed.text
    assert filed.draft.case.state == "rejected"


def test_undo_steps_back_and_finally_unfiles(filed: Chat) -> None:
    move_to(filed, "已受理")
    filed.say("进度")
    filed.press(filed.t("case.option.undo"))
    filed.press(filed.t("case.undo_yes"))
    assert filed.draft.case.state == "submitted"
    filed.press(filed.t("case.option.undo"))
    filed.press(filed.t("case.undo_no"))
    assert filed.draft.case is not None
    filed.press(filed.t("case.option.undo"))
    filed.press(filed.t("case.undo_yes"))
    assert filed.draft.case is None
    assert filed.t("case.unfiled", number=1) in filed.text


def test_a_command_in_the_middle_of_a_change_leaves_it_unsaved(filed: Chat) -> None:
    filed.say("进度")
    filed.press("标记为「已受理」")
    filed.say("/new")
    assert filed.mode != "case"
    assert filed.session.drafts[1].case.state == "submitted"
    assert filed.mode == "asking"


def test_help_in_the_middle_of_a_change_keeps_the_question(filed: Chat) -> None:
    filed.say("进度")
    filed.press("标记为「已受理」")
    filed.say("/help")
    assert filed.state.step == "moved_on"
    filed.press("今天")
    assert filed.state.step == "case_note"


def test_a_report_is_checked_within_15_working_days_and_has_no_mediation(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(REPORT)
    assert chat.draft.finished
    file_case(chat)
    assert chat.t("case.next.report_check", date="2026年12月18日") in chat.text
    chat.say("进度")
    assert "标记为「调解中」" not in chat.option_labels()
    move_to(chat, "已受理")
    assert chat.t("case.advice.accepted_report") in chat.text
    assert allowed_moves(chat.draft) == ("closed",)


# ---- /status -----------------------------------------------------------------------------


def test_status_shows_state_case_number_and_next_date(filed: Chat) -> None:
    filed.say("/new")
    filed.say("/status")
    text = filed.text
    assert "20261128000123" in text
    assert filed.t("case.state.submitted") in text
    assert filed.t("case.next.acceptance", date="2026年12月8日") in text
    assert filed.t("case.state.draft_unfinished") in text
    assert filed.t("case.option.card", number=1) in filed.option_labels()


def test_status_after_the_deadline_says_what_to_do(filed: Chat) -> None:
    at(filed, datetime(2026, 12, 10, 9, 0))
    filed.say("/status")
    assert filed.t("case.next.acceptance_passed", date="2026年12月8日") in filed.text


def test_a_deadline_in_an_unpublished_year_is_marked_as_an_estimate(make_chat) -> None:
    chat = make_chat(now=datetime(2099, 11, 27, 10, 0))
    finish_complaint(chat, purchase_date="2099年10月1日")
    file_case(chat)
    assert "估算" in chat.text


@pytest.mark.parametrize(("bought", "key", "shown"), [
    ("2024年12月20日", "case.next.advised_near", "2026年12月20日"),
    ("2024年10月1日", "case.next.limit_near", "2027年10月1日"),
    ("2023年10月1日", "case.next.limit_passed", "2026年10月1日"),
])
def test_old_unfiled_drafts_show_the_limitation_dates(chat: Chat, bought: str, key: str,
                                                      shown: str) -> None:
    chat.say("/start")
    # The purchase is the day the problem was found (it broke at once).
    chat.fill({**GUIDE_ANSWERS, "purchase_date": bought, "discovered_on": bought})
    assert chat.draft.finished
    chat.say("/status")
    assert chat.t(key, date=shown) in chat.text


def test_a_recent_purchase_shows_no_limitation_line(chat: Chat) -> None:
    finish_complaint(chat)  # bought 2025-10-01: two years are still ten months away
    chat.say("/status")
    assert "满 2 年" not in chat.text and "满 3 年" not in chat.text


# ---- the state machine on its own ----------------------------------------------------------


def _finished(kind: str = "complaint") -> Draft:
    return Draft(number=1, created_at=NOW, updated_at=NOW, finished=True, answers={"kind": kind})


def test_state_machine_allows_the_documented_path() -> None:
    draft = _finished()
    draft.case = submit(draft, "1", date(2026, 11, 2), NOW)
    for state, day in (("accepted", 5), ("mediating", 6), ("mediation_failed", 20), ("closed", 21)):
        draft.case = move(draft, state, date(2026, 11, day), "", NOW)
    assert [e.state for e in draft.case.events] == [
        "submitted", "accepted", "mediating", "mediation_failed", "closed"]


@pytest.mark.parametrize(("path", "bad"), [
    ((), "mediated"),                      # 已提交 → 已调解 skips acceptance
    ((), "mediating"),
    (("rejected",), "accepted"),           # 不予受理 cannot become 已受理
    (("accepted", "mediated"), "mediation_failed"),
    (("closed",), "accepted"),             # nothing after 已结束
    ((), "submitted"),
])
def test_invalid_moves_are_refused(path: tuple[str, ...], bad: str) -> None:
    draft = _finished()
    draft.case = submit(draft, "1", date(2026, 11, 2), NOW)
    for state in path:
        draft.case = move(draft, state, date(2026, 11, 3), "", NOW)
    with pytest.raises(InvalidMove):
        move(draft, bad, date(2026, 11, 4), "", NOW)


def test_a_report_is_never_mediated() -> None:
    draft = _finished("report")
    draft.case = submit(draft, "1", date(2026, 11, 2), NOW)
    draft.case = move(draft, "accepted", date(2026, 11, 3), "", NOW)
    with pytest.raises(InvalidMove):
        move(draft, "mediating", date(2026, 11, 4), "", NOW)


def test_filing_needs_a_finished_unfiled_draft_and_moves_need_a_case() -> None:
    draft = _finished()
    draft.finished = False
    with pytest.raises(InvalidMove):
        submit(draft, "1", date(2026, 11, 2), NOW)
    with pytest.raises(InvalidMove):
        move(draft, "accepted", date(2026, 11, 2), "", NOW)
    draft.finished = True
    draft.case = submit(draft, "1", date(2026, 11, 2), NOW)
    with pytest.raises(InvalidMove):
        submit(draft, "2", date(2026, 11, 2), NOW)
    with pytest.raises(InvalidMove):
        move(draft, "accepted", date(2026, 11, 1), "", NOW)  # before the filing
    assert undo(draft.case) is None


@pytest.mark.parametrize(("typed", "value", "outcome"), [
    ("20261128000123", "20261128000123", "ok"),
    ("TS-2026-000123", "TS-2026-000123", "ok"),
    ("１２３４５６７", "1234567", "ok"),
    ("123", "123", "case.warn.number_odd"),
    ("ABCDEFGH", "ABCDEFGH", "case.warn.number_odd"),
    ("13912345678", "13912345678", "case.warn.number_phone"),
    ("编号12345", None, "case.error.number"),
    ("", None, "case.error.number"),
])
def test_case_number_reading(typed: str, value: str | None, outcome: str) -> None:
    parsed = read_case_number(typed)
    assert parsed.value == value
    assert (parsed.error or parsed.warning or "ok") == outcome


def test_case_numbers_and_states_typed_in_sentences(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.say("编号是２０２６１１２８０００１２３")
    assert chat.step == "submitted_on", chat.text
    chat.say("星期五")
    assert chat.draft.case.number == "20261128000123"
    assert chat.draft.case.submitted_on == date(2026, 11, 27)
    chat.say("进度")
    chat.say("受理了")
    assert chat.step == "moved_on" and chat.state.edit.target == "accepted", chat.text


def test_not_yet_submitted_after_pressing_submitted_by_mistake_records_nothing(
        chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.say("/start")
    chat.say("还没交呢 等我晚上弄")
    assert chat.draft.case is None
    assert chat.mode == "done", chat.text
    assert chat.t("option.submitted") in chat.option_labels()


def test_a_case_number_given_survives_a_command_before_the_date(chat: Chat) -> None:
    finish_complaint(chat)
    chat.press(chat.t("option.submitted"))
    chat.say("/start")
    chat.say("编号是1100202612070012345 提交了")
    assert chat.step == "submitted_on", chat.text
    chat.say("/start")
    chat.say("进度 1")
    assert "1100202612070012345" in chat.text and chat.step == "submitted_on", chat.text
    chat.say("今天")
    assert chat.draft.case is not None and chat.draft.case.number == "1100202612070012345"
