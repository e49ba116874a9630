"""Which reminders the engine plans, and that a due one is said once and only while it applies."""

from __future__ import annotations

import copy
from datetime import datetime

from conftest import Chat
from test_case_tracking import at, file_case, finish_complaint, move_to

from flows.engine import step
from flows.model import DueReminder, Reply, UndeliveredReminder
from flows.reminders import plan, waking


def fire(chat: Chat, key: str) -> list[Reply]:
    """What the engine says when the clock reaches reminder `key` (possibly nothing)."""
    outcome = step(chat.session, DueReminder(key), chat.ctx)
    chat.session = outcome.session
    if outcome.replies:
        chat.replies = outcome.replies
    return outcome.replies


def keys(chat: Chat) -> list[str]:
    return [item.key for item in plan(chat.session)]


def test_an_unfinished_draft_idle_for_three_days_is_reminded_once(chat: Chat) -> None:
    chat.say("/start")
    chat.say("投诉")  # 10:30 on 28 November
    [item] = plan(chat.session)
    assert (item.kind, item.due) == ("idle", datetime(2026, 12, 1, 10, 30))
    at(chat, datetime(2026, 12, 1, 10, 0))
    assert fire(chat, item.key) == [], "not yet due"
    at(chat, datetime(2026, 12, 1, 10, 30))
    [reply] = fire(chat, item.key)
    assert reply.text == chat.t("remind.idle", number=1, business=chat.t("drafts.untitled"))
    assert chat.t("option.continue", number=1) in [o.label for o in reply.options]
    assert fire(chat, item.key) == [], "never twice"
    assert plan(chat.session) == []
    chat.press(chat.t("option.continue", number=1))
    chat.say("为本人投诉")
    assert plan(chat.session) == [], "once per draft, even after it is touched again"


def test_reminders_only_go_out_in_waking_hours() -> None:
    assert waking(datetime(2026, 12, 1, 23, 40)) == datetime(2026, 12, 2, 9, 0)
    assert waking(datetime(2026, 12, 1, 6, 15)) == datetime(2026, 12, 1, 9, 0)
    assert waking(datetime(2026, 12, 1, 14, 5)) == datetime(2026, 12, 1, 14, 5)


def test_an_empty_new_draft_is_not_nagged_about(chat: Chat) -> None:
    chat.say("/new")
    assert plan(chat.session) == []


def test_a_finished_draft_not_filed_is_asked_about_once(chat: Chat) -> None:
    finish_complaint(chat)
    [item] = plan(chat.session)
    assert item.kind == "unsubmitted"
    at(chat, item.due)
    [reply] = fire(chat, item.key)
    assert chat.t("option.submitted") in [o.label for o in reply.options]
    chat.press(chat.t("option.submitted"))
    assert chat.step == "case_number"


def test_the_acceptance_reminder_falls_the_morning_after_the_deadline(chat: Chat) -> None:
    finish_complaint(chat)
    file_case(chat)  # Saturday 28 November 2026: deadline Tuesday 8 December
    [item] = plan(chat.session)
    assert item.kind == "acceptance"
    assert item.due == datetime(2026, 12, 9, 10, 0)
    at(chat, datetime(2026, 12, 9, 10, 0))
    [reply] = fire(chat, item.key)
    assert reply.text.startswith(chat.t("remind.acceptance", number=1,
                                        business="北京某某体育用品有限公司", date="2026年12月8日",
                                        case_number="20261128000123")[:20])
    assert "20261128000123" in reply.text and "12315" in reply.text
    labels = [o.label for o in reply.options]
    assert labels[:3] == ["已受理", "不予受理", "已结束"]
    assert chat.t("case.option.no_news") in labels
    assert chat.t("reminders.option.stop") in labels


def test_news_reported_before_the_deadline_cancels_the_reminder(chat: Chat) -> None:
    finish_complaint(chat)
    file_case(chat)
    [item] = plan(chat.session)
    at(chat, datetime(2026, 12, 2, 11, 0))
    move_to(chat, "已受理")
    assert item.key not in keys(chat)
    at(chat, item.due)
    assert fire(chat, item.key) == []
    [mediation] = plan(chat.session)
    assert mediation.kind == "mediation"
    assert mediation.due == datetime(2027, 2, 1, 10, 0)  # 2 December + 60 days is 31 January


def test_moving_into_mediation_keeps_the_same_mediation_reminder(chat: Chat) -> None:
    finish_complaint(chat)
    file_case(chat)
    move_to(chat, "已受理")
    [before] = plan(chat.session)
    at(chat, before.due)
    assert fire(chat, before.key)
    chat.press("调解中")
    chat.press("今天")
    chat.press(chat.t("case.option.no_note"))
    assert chat.draft.case.state == "mediating"
    assert plan(chat.session) == [], "the mediation deadline was already reminded of"


def test_pressing_no_news_on_a_reminder_keeps_the_state(chat: Chat) -> None:
    finish_complaint(chat)
    file_case(chat)
    [item] = plan(chat.session)
    at(chat, item.due)
    fire(chat, item.key)
    chat.press(chat.t("case.option.no_news"))
    assert chat.t("case.wait") in chat.text
    assert chat.draft.case.state == "submitted"


def idle_reminder_fired(chat: Chat) -> str:
    """Start a draft, let three days pass, and let its idle reminder go out."""
    chat.say("/start")
    chat.say("投诉")
    [item] = plan(chat.session)
    at(chat, item.due)
    assert fire(chat, item.key)
    return item.key


def test_a_reminder_not_delivered_becomes_due_again(chat: Chat) -> None:
    key = idle_reminder_fired(chat)
    assert plan(chat.session) == []
    chat.session = step(chat.session, UndeliveredReminder(key), chat.ctx).session
    assert keys(chat) == [key]
    assert fire(chat, key)


def test_switching_reminders_off_and_on(chat: Chat) -> None:
    finish_complaint(chat)
    file_case(chat)
    chat.say("/reminders")
    assert chat.t("reminders.upcoming") in chat.text
    assert "2026年12月9日 10:00" in chat.text
    chat.press(chat.t("reminders.option.off"))
    assert not chat.session.reminders.on
    assert plan(chat.session) == []
    at(chat, datetime(2026, 12, 9, 10, 0))
    assert fire(chat, "acceptance:1:2026-12-08") == []
    chat.say("/reminders on")
    assert keys(chat) == ["acceptance:1:2026-12-08"]


def test_the_stop_button_on_a_reminder_switches_them_off(chat: Chat) -> None:
    idle_reminder_fired(chat)
    chat.press(chat.t("reminders.option.stop"))
    assert not chat.session.reminders.on
    assert chat.t("reminders.switched_off") in chat.text


def test_a_reminder_while_a_question_is_open_leaves_the_question_open(chat: Chat) -> None:
    chat.say("/start")
    chat.say("投诉")
    [item] = plan(chat.session)
    state = copy.deepcopy(chat.state)
    at(chat, item.due)
    fire(chat, item.key)
    assert chat.state == state, "the question stays open"
    chat.say("为本人投诉")
    assert chat.draft.answers["for_whom"] == "self"


def test_answering_a_reminder_mid_interview_offers_the_way_back(chat: Chat) -> None:
    finish_complaint(chat)
    file_case(chat)
    [item] = plan(chat.session)
    chat.say("/new")
    chat.say("投诉")
    at(chat, item.due)
    fire(chat, item.key)
    chat.press("已受理")
    chat.press("今天")
    chat.press(chat.t("case.option.no_note"))
    assert chat.session.drafts[1].case.state == "accepted"
    chat.press(chat.t("option.continue", number=2))
    assert chat.field == "for_whom"


def test_deleting_a_draft_drops_its_reminders(chat: Chat) -> None:
    idle_reminder_fired(chat)
    chat.say("删除 1")
    chat.press(chat.t("delete.yes"))
    assert chat.session.reminders.sent == []
    assert plan(chat.session) == []
