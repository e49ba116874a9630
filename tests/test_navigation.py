"""Back, skip, cancel, edit, restart, delete, stale buttons, several drafts.

Scripts answer by field name (`Chat.fill`); the order of the questions comes from the engine,
so adding a question breaks none of these tests."""

from __future__ import annotations

import msgspec
import pytest
from conftest import Chat

from flows.model import Attachment, Choice, Session, Upload

ANSWERS = {
    "kind": "投诉", "for_whom": "为本人投诉",
    "narrative": "上个月在商场买的电饭煲用了一周就坏了，商家不给修",
    "business_name": "北京某某电器有限公司", "business_address": "北京市海淀区某某路2号",
    "credit_code": "跳过", "district": "海淀区", "channel": "在实体店买的",
    "store_name": "某某电器海淀店", "product": "电饭煲", "purchase_date": "2026年10月20日",
    "amount": "399", "problem": "用了一周就不加热了", "theme": "商品质量",
    "contacted": "联系过了", "contact_result": "商家说不给修", "demands": "退货退款",
    "evidence": "购物凭证", "complainant_name": "王五", "complainant_phone": "13812345678",
    "complainant_address": "北京市海淀区某某小区1号楼",
}


def begin(chat: Chat, until: str = "credit_code") -> list[str]:
    """A new complaint answered up to the question `until` (which stays open)."""
    chat.say("/new")
    asked = chat.fill(ANSWERS, until=until)
    assert chat.field == until, chat.text
    return asked


def test_back_returns_to_the_previous_question_and_keeps_answers(chat: Chat) -> None:
    asked = begin(chat)
    chat.say("上一步")
    assert chat.field == asked[-1]
    assert ANSWERS[asked[-1]] in chat.text, "the current answer is shown"
    chat.say("/back")
    assert chat.field == asked[-2]
    assert chat.draft.answers[asked[-1]] == ANSWERS[asked[-1]], "going back loses nothing"
    chat.say("北京某某电器销售有限公司" if asked[-2] == "business_name" else ANSWERS[asked[-2]])
    chat.fill(ANSWERS, until="credit_code")
    assert chat.field == "credit_code", "after changing, the interview goes on where it was"


def test_back_at_the_first_question_says_so(chat: Chat) -> None:
    chat.say("/new")
    first = chat.field
    chat.say("/back")
    assert chat.t("back.first") in chat.text
    assert chat.field == first


def test_back_never_enters_a_question_that_no_longer_applies(chat: Chat) -> None:
    """An online purchase asked platform and order number; changed to a shop purchase,
    going back must not ask them again."""
    begin(chat, until="channel")
    chat.press("网上买的")
    chat.fill({"platform": "京东", "order_number": "JD20261020001"}, until="product")
    chat.say("修改")
    chat.press("购买方式")
    chat.press("在实体店买的")
    chat.press(chat.t("option.resume"))
    assert chat.field == "store_name"
    chat.say("某某电器海淀店")
    seen = []
    for _ in range(12):
        chat.say("/back")
        seen.append(chat.field)
        if chat.field is None or chat.t("back.first") in chat.text:
            break
    assert "order_number" not in seen and "platform" not in seen, seen
    assert "store_name" in seen


def test_skip_leaves_an_optional_question_empty_and_refuses_one_that_cannot_wait(
        chat: Chat) -> None:
    begin(chat)
    chat.say("跳过")
    assert chat.field != "credit_code"
    assert "credit_code" in chat.draft.skipped
    chat.fill(ANSWERS, until="problem")
    chat.say("/skip")
    assert chat.field == "problem", "what went wrong is the user's own to say: no waiting"
    assert chat.t("field.problem.label") in chat.text and "不能跳过" in chat.text
    assert "problem" not in chat.draft.later


def test_cancel_keeps_the_unfinished_draft_and_continue_resumes(chat: Chat) -> None:
    begin(chat)
    chat.say("取消")
    assert chat.mode == "idle"
    assert chat.draft.answers["business_address"] == "北京市海淀区某某路2号"
    chat.say("/status")
    assert chat.t("case.state.draft_unfinished") in chat.text
    chat.say("继续")
    assert chat.field == "credit_code"


def test_edit_any_field_from_the_summary(chat: Chat) -> None:
    begin(chat)
    chat.say("修改")
    assert "1. 类型：投诉" in chat.text
    chat.press("被投诉方地址")
    assert chat.field == "business_address"
    chat.say("北京市海淀区中关村大街1号")
    assert chat.mode == "summary"
    assert "北京市海淀区中关村大街1号" in chat.text
    chat.press(chat.t("option.edit_more"))
    line = next(line for line in chat.text.splitlines() if "被投诉方地址" in line)
    chat.say(line.split(".")[0])  # the number of a summary line picks it too
    assert chat.field == "business_address"
    chat.say("/back")
    assert chat.mode == "summary", "back from an edit returns to the summary"
    chat.press(chat.t("option.resume"))
    assert chat.field == "credit_code"


def test_changing_an_answer_changes_which_questions_apply(chat: Chat) -> None:
    begin(chat, until="product")
    assert chat.draft.answers["channel"] == "store"
    chat.say("修改")
    chat.press("购买方式")
    chat.press("网上买的")
    chat.press(chat.t("option.resume"))
    assert chat.field == "platform", "an online purchase now needs the platform"
    assert "门店" not in chat.text


def test_a_stale_button_gets_a_polite_answer(chat: Chat) -> None:
    chat.say("/new")
    old_token = chat.replies[-1].token
    chat.say("投诉")
    chat.send(Choice("a:report", old_token))
    assert chat.t("error.stale_button") in chat.text
    assert chat.draft.answers["kind"] == "complaint"
    assert chat.field == "for_whom"


def test_a_button_of_another_question_is_never_taken_as_an_answer(chat: Chat) -> None:
    """The demands question's "其他" pressed later, at the evidence question (which has an
    option with the same code), must not tick anything."""
    begin(chat, until="demands")
    demands = next(r for r in chat.replies if r.options)
    other = next(o for o in demands.options if o.value == "a:other")
    chat.say("退货退款")
    chat.fill(ANSWERS, until="evidence")
    chat.send(Choice(other.value, demands.token))
    assert chat.t("error.stale_button") in chat.text
    assert chat.field == "evidence" and chat.state.picked == []


def test_restart_asks_first_then_clears(chat: Chat) -> None:
    begin(chat)
    chat.say("重新开始")
    chat.press(chat.t("restart.no"))
    assert chat.draft.answers["business_name"] == "北京某某电器有限公司"
    assert chat.field == "credit_code"
    chat.say("/restart")
    chat.say("确定")
    assert chat.draft.answers == {}
    assert chat.field == "kind"


def test_delete_asks_for_confirmation(chat: Chat) -> None:
    begin(chat)
    chat.say("/new")
    assert set(chat.session.drafts) == {1, 2}
    chat.say("删除 1")
    assert "#1" in chat.text and "无法恢复" in chat.text
    chat.press(chat.t("delete.no"))
    assert set(chat.session.drafts) == {1, 2}
    chat.say("/delete 1")
    chat.press(chat.t("delete.yes"))
    assert set(chat.session.drafts) == {2}
    chat.say("/delete 7")
    assert chat.t("drafts.not_found", number=7) in chat.text


def test_new_keeps_the_draft_in_progress(chat: Chat) -> None:
    begin(chat)
    chat.say("/new")
    assert chat.t("new.previous_kept", number=1) in chat.text
    assert chat.session.active == 2 and chat.field == "kind"
    chat.say("/status")
    lines = [line for line in chat.text.splitlines() if line.startswith("#")]
    assert lines[0].startswith("#2") and lines[1].startswith("#1"), "newest first"


def test_start_offers_to_continue_an_unfinished_draft(chat: Chat) -> None:
    begin(chat)
    chat.say("取消")
    chat.say("/start")
    assert "#1" in chat.text
    chat.press("继续草稿 #1")
    assert chat.field == "credit_code"


def test_unknown_command_and_help_keep_the_question(chat: Chat) -> None:
    begin(chat)
    chat.say("/frobnicate")
    assert "/frobnicate" in chat.text and chat.field == "credit_code"
    chat.say("/help")
    assert "/back" in chat.text and chat.field == "credit_code"
    chat.say("/privacy")
    assert "不会" in chat.text and chat.field == "credit_code"


def test_checksum_failure_can_be_kept_or_corrected(chat: Chat) -> None:
    begin(chat)
    chat.say("91350200776049653B")
    assert "校验位" in chat.text
    chat.press(chat.t("option.change"))
    assert chat.field == "credit_code"
    chat.say("91350200776049653A")
    assert chat.draft.answers["credit_code"] == "91350200776049653A"
    assert chat.field != "credit_code"


def test_a_15_digit_registration_number_is_accepted(chat: Chat) -> None:
    begin(chat)
    chat.say("110105012345678")
    assert chat.draft.answers["credit_code"] == "110105012345678"


def test_district_outside_beijing_can_be_typed(chat: Chat) -> None:
    begin(chat, until="district")
    chat.say("河北省廊坊市")
    assert chat.draft.answers["district"] == "河北省廊坊市"
    assert chat.field != "district"


def test_future_date_is_refused(chat: Chat) -> None:
    begin(chat, until="purchase_date")
    chat.say("明天")
    assert chat.t("error.date_future") in chat.text
    chat.say("前天")
    assert chat.draft.answers["purchase_date"] == "2026-11-26"


def test_uploads_are_kept_with_the_draft_and_checked(chat: Chat) -> None:
    begin(chat)
    chat.send(Upload(Attachment(kind="photo", file_id="f1", size=300_000)))
    assert chat.field == "credit_code", "the question is asked again after the file"
    chat.send(Upload(Attachment(kind="document", file_id="f2", name="录音.amr",
                                size=6 * 1024 * 1024)))
    assert "5MB" in chat.text and "格式" in chat.text
    assert [a.file_id for a in chat.draft.attachments] == ["f1", "f2"]


def test_photos_without_names_are_numbered(chat: Chat) -> None:
    from flows.draft import attachment_label

    begin(chat)
    for file_id in ("p1", "p2"):
        chat.send(Upload(Attachment(kind="photo", file_id=file_id, size=300_000)))
    assert chat.t("upload.received", name="照片 2", count=2) in chat.text
    chat.send(Upload(Attachment(kind="document", file_id="d1", name="发票.pdf", size=90_000)))
    chat.send(Upload(Attachment(kind="photo", file_id="p3", size=300_000)))
    labels = [attachment_label(chat.draft, i, chat.catalog) for i in range(4)]
    assert labels == ["照片 1", "照片 2", "发票.pdf", "照片 3"]


def test_start_in_the_middle_of_a_question_picks_up_there(chat: Chat) -> None:
    begin(chat)
    chat.say("/start")
    assert chat.t("start.welcome_back", number=1) in chat.text
    assert chat.field == "credit_code"
    chat.say("取消")
    chat.say("/start")
    chat.press("继续草稿 #1")
    assert chat.field == "credit_code"


def test_numbers_and_option_words_pick_the_options_offered(chat: Chat) -> None:
    """On every channel (a text-only one too) "2" picks the second option shown, and the
    numbers stay valid after the session is stored and read back."""
    chat.say("/new")
    kinds = [o.label for o in chat.replies[-1].options]
    chat.session = msgspec.json.decode(msgspec.json.encode(chat.session), type=Session)
    chat.say("2")
    assert chat.draft.answers["kind"] == ("report" if "举报" in kinds[1] else "complaint")
    chat.say("/back")
    chat.say(kinds[0])
    assert chat.draft.answers["kind"] == "complaint"
    begin_amount = chat.fill(ANSWERS, until="amount")
    assert begin_amount and chat.field == "amount"
    chat.say("2")  # a question without options: a number is the answer itself
    # a lone digit may be an option number typed out of habit: it is confirmed first, and
    # the warning's own options are picked by number again
    assert chat.t("warn.amount_tiny", value="2元") in chat.text
    chat.say("1")
    assert chat.draft.answers["amount"] == 2.0


def test_forget_asks_first_then_empties_everything(chat: Chat) -> None:
    begin(chat)
    chat.say("/forget")
    assert chat.t("forget.confirm") in chat.text
    chat.press(chat.t("forget.no"))
    assert chat.t("forget.cancelled") in chat.text and chat.draft.answers
    chat.say("忘记我")
    before = chat.session
    from flows.engine import step
    from flows.model import Choice

    question = chat.replies[-1]
    yes = next(o for o in question.options if o.label == chat.t("forget.yes"))
    outcome = step(before, Choice(yes.value, question.token), chat.ctx)
    assert outcome.forget, "the shell is told to delete every stored row"
    assert outcome.session.drafts == {} and outcome.session.profile is None
    assert chat.t("forget.done") in outcome.replies[-1].text


def test_a_number_and_the_new_answer_change_an_answer_in_one_message(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    assert chat.draft.finished
    chat.say("修改")
    number = next(line.split(".")[0] for line in chat.text.splitlines()
                  if line.split(".")[0].isdigit()
                  and chat.t("field.business_address.label") in line)
    chat.say(f"{number} 北京市顺义区某某路8号")
    assert chat.draft.answers["business_address"] == "北京市顺义区某某路8号"
    assert chat.t("edit.changed", label=chat.t("field.business_address.label"),
                  value="北京市顺义区某某路8号") in chat.text
    assert chat.state.mode == "summary", "back at the summary to change more"


def test_a_label_named_in_a_sentence_opens_its_question(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    chat.say("门店写错了 要改一下")
    assert chat.field == "store_name"


def test_start_while_editing_shows_the_summary_again_not_the_home_menu(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    chat.say("/start")
    assert chat.state.mode == "summary"
    assert chat.t("start.welcome_back_draft", number=chat.draft.number) in chat.text
    assert chat.t("start.returning") not in chat.text


def test_no_change_typed_at_a_question_keeps_its_answer(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    chat.press(chat.t("field.store_name.label"))
    chat.say("不用改")
    assert chat.draft.answers["store_name"] == ANSWERS["store_name"]
    assert chat.state.mode == "summary"


def test_after_a_change_only_what_next_is_shown_and_the_numbers_still_work(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    listed = chat.text
    number = next(line.split(".")[0] for line in listed.splitlines()
                  if line.split(".")[0].isdigit() and chat.t("field.store_name.label") in line)
    chat.say(f"{number} 某某电器海淀二店")
    assert chat.t("edit.title", number=chat.draft.number) not in chat.text, "no second long list"
    assert chat.t("edit.more") in chat.text
    chat.say(f"{number} 某某电器海淀三店")
    assert chat.draft.answers["store_name"] == "某某电器海淀三店"
    chat.press(chat.t("option.edit_more"))
    assert chat.t("edit.title", number=chat.draft.number) in chat.text


def change_store(chat: Chat, store: str = "某某电器海淀二店") -> None:
    """A finished draft, its store changed from the summary by number and new text."""
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    number = next(line.split(".")[0] for line in chat.text.splitlines()
                  if line.split(".")[0].isdigit() and chat.t("field.store_name.label") in line)
    chat.say(f"{number} {store}")
    assert chat.draft.answers["store_name"] == store


def test_after_a_change_a_restarted_chat_shows_the_same_two_buttons_and_2_presses_the_second(
        chat: Chat) -> None:
    change_store(chat)
    chat.say("/start")  # a terminal or a returning user: the state is shown again
    assert chat.option_labels() == [chat.t("option.edit_more"), chat.t("option.show_draft")]
    chat.say("2")
    assert chat.field is None and chat.mode == "done", chat.text
    assert chat.draft.answers["for_whom"] == "self"


def test_continue_after_a_change_asks_the_question_the_change_opened(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    chat.press(chat.t("field.for_whom.label"))
    chat.press(chat.t("for_whom.other"))
    assert chat.t("option.resume") in chat.option_labels()
    chat.say(chat.t("option.resume"))  # typed: "继续填写"
    assert chat.field == "principal_name", chat.text
    chat.say("/start")
    chat.say("继续")
    assert chat.field == "principal_name", chat.text


def test_continue_typed_after_a_change_that_left_nothing_open_shows_the_draft(chat: Chat) -> None:
    change_store(chat)
    chat.say("继续")
    assert chat.mode == "done" and "某某电器海淀二店" in chat.draft_text


def test_slash_drafts_lists_the_drafts_like_status(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS, until="district")
    for typed in ("/drafts", "我的草稿"):
        chat.say(typed)
        assert chat.t("drafts.title", count=1) in chat.text, chat.text
        assert chat.field == "district", "the open question stays open"


def test_a_yes_to_the_answer_shown_after_back_keeps_it_and_goes_on(chat: Chat) -> None:
    begin(chat, until="business_name")
    chat.say("上一步")
    assert chat.field == "narrative"
    assert chat.t("question.current", value=ANSWERS["narrative"]).split("（")[0] in chat.text
    chat.say("对")
    assert chat.field == "business_name", chat.text
    assert chat.draft.answers["narrative"] == ANSWERS["narrative"]
    chat.fill(ANSWERS, until="problem")
    chat.say("上一步")
    assert chat.field == "amount"
    for yes in ("嗯", "是的"):
        chat.say(yes)
        assert chat.field == "problem", chat.text
        assert chat.draft.answers["amount"] == 399
        chat.say("上一步")


def test_going_back_to_a_question_does_not_repeat_its_advice(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**ANSWERS, "evidence": "购物凭证、商品问题照片/视频、沟通记录"})
    advice = chat.t("advice.evidence.combine_pdf")
    assert advice in chat.draft_text, "the draft gives it"
    for _ in range(5):
        chat.say("上一步")
        assert advice not in chat.text
        if chat.field == "evidence":
            break
    assert chat.field == "evidence"
    chat.say("修改")
    chat.press(chat.t("field.evidence.label"))
    assert chat.field == "evidence" and advice not in chat.text


def summary_number(chat: Chat, field: str) -> str:
    """The number of `field`'s line in the summary on screen."""
    label = chat.t(f"field.{field}.label")
    return next(line.split(".")[0] for line in chat.text.splitlines()
                if line.split(".")[0].isdigit() and line.split(". ", 1)[1].startswith(label))


def test_a_numbered_change_however_long_goes_to_that_question_not_to_the_account(
        chat: Chat) -> None:
    chat.say("/new")
    chat.fill({**ANSWERS, "demands": "退货退款、赔偿", "compensation": "交通费200元"})
    assert chat.draft.finished, chat.text
    chat.say("修改")
    number = summary_number(chat, "compensation")
    chat.say(f"{number} 延期违约金6100元（合同约定每天100元，延期61天），"
             "另赔偿楼下邻居家维修费（金额待定）")
    assert chat.draft.answers["narrative"] == ANSWERS["narrative"]
    # a contract penalty is no punitive damage: stored without a warning, the neighbour's
    # repair kept as an item still to be priced
    compensation = chat.draft.answers["compensation"]
    assert compensation["amount"] == 6100, compensation  # the rate explains it, is not added
    assert [(item["amount"], item.get("basis")) for item in compensation["items"]] == [
        (6100, chat.t("reply.format.daily_rate", rate="100", days="61")), (None, None)]
    assert chat.t("reply.note.story_kept") not in chat.text


def finished(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    assert chat.draft.finished and chat.mode == "done"


def test_a_change_said_in_words_at_the_finished_draft_is_made_at_once(chat: Chat) -> None:
    finished(chat)
    for said, field, value in (
            ("名字写错了 应该是刘佳", "complainant_name", "刘佳"),
            ("金额错了 付的是60000 不是86000", "amount", 60000),
            ("店名不对 改成某某电器中关村店", "store_name", "某某电器中关村店"),
            ("购买时间改成10月18号", "purchase_date", "2026-10-18")):
        chat.say(said)
        assert chat.draft.answers[field] == value, (said, chat.text)
        assert chat.t("edit.changed", label=chat.t(f"field.{field}.label"),
                      value=chat.text.split(chat.t(f"field.{field}.label") + "：")[1].split(
                          "\n")[0]) in chat.text
        assert chat.option_labels() == [chat.t("option.edit_more"), chat.t("option.show_draft")]
        chat.press(chat.t("option.show_draft"))
        assert chat.mode == "done"


def test_a_change_said_in_words_at_the_summary_keeps_its_new_content(chat: Chat) -> None:
    finished(chat)
    chat.say("修改")
    chat.say("商家名字我查到了 叫北京蓝鲸启航教育科技有限公司")
    assert chat.draft.answers["business_name"] == "北京蓝鲸启航教育科技有限公司", chat.text
    chat.say("门店写的不对 应该是某某电器海淀黄庄店")
    assert chat.draft.answers["store_name"] == "某某电器海淀黄庄店", chat.text
    assert chat.mode == "summary"


def test_an_answer_named_without_new_content_opens_its_question(chat: Chat) -> None:
    finished(chat)
    chat.say("门店写错了")
    assert chat.field == "store_name"
    assert chat.draft.answers["store_name"] == ANSWERS["store_name"]


def test_new_content_the_question_refuses_leaves_it_open_with_the_reason(chat: Chat) -> None:
    finished(chat)
    chat.say("购买时间错了 应该是下下下个月")
    assert chat.field == "purchase_date", chat.text
    assert chat.draft.answers["purchase_date"] == "2026-10-20"
    assert chat.t("field.purchase_date.prompt") in chat.text


def test_a_reply_naming_no_answer_at_the_summary_gets_a_short_answer(chat: Chat) -> None:
    finished(chat)
    chat.say("修改")
    chat.say("这个不太对吧")
    assert chat.t("edit.unclear") in chat.text
    assert chat.t("edit.title", number=chat.draft.number) not in chat.text, "no whole list again"
    assert chat.option_labels() == [chat.t("option.edit_more"), chat.t("option.show_draft")]
    chat.say("2")
    assert chat.mode == "done"


def test_a_question_at_the_finished_draft_changes_nothing(chat: Chat) -> None:
    finished(chat)
    before = dict(chat.draft.answers)
    chat.say("问一下 尾款我能不能先不付")
    assert chat.mode == "done" and chat.draft.answers == before
    chat.say("金额是多少啊")
    assert chat.mode == "done" and chat.draft.answers == before


@pytest.mark.parametrize("greeting", ["在吗", "有人吗", "Hello"])
def test_a_new_user_who_opens_with_a_greeting_is_welcomed(make_chat, greeting: str) -> None:
    """"在吗" as the very first message: the welcome and the first question, not an error."""
    chat: Chat = make_chat()
    chat.say(greeting)
    assert chat.t("start.welcome").split("\n")[0] in chat.text, chat.text
    assert chat.t("error.choose_from_options") not in chat.text
    assert chat.field == "kind"


# ---- every menu shown keeps working after a restart (a terminal sends /start each time) -----


def two_unfinished(chat: Chat) -> None:
    for _ in range(2):
        chat.say("/new")
        chat.fill(ANSWERS, until="district")


@pytest.mark.parametrize("yes", ["确定", "确定删除", "1"])
def test_a_delete_confirmed_after_a_restart_deletes(chat: Chat, yes: str) -> None:
    two_unfinished(chat)
    chat.say("删除 2")
    chat.say("/start")
    assert chat.option_labels()[-2:] == [chat.t("delete.yes"), chat.t("delete.no")]
    chat.say(yes)
    assert sorted(chat.session.drafts) == [1], chat.text
    assert chat.t("delete.done", number=2) in chat.text


def test_the_menu_after_cancel_keeps_its_numbers_after_a_restart(chat: Chat) -> None:
    two_unfinished(chat)
    chat.say("继续 1")
    chat.say("取消")
    chat.say("/start")
    chat.say("接着写吧")
    assert chat.field == "district" and chat.draft.number == 1, chat.text
    chat.say("取消")
    chat.say("/start")
    chat.say("2")  # 2. 我的草稿
    assert chat.t("drafts.title", count=2) in chat.text, chat.text
    assert sorted(chat.session.drafts) == [1, 2], "no new draft"


def test_the_drafts_list_keeps_its_numbers_after_a_restart(chat: Chat) -> None:
    two_unfinished(chat)
    chat.say("/drafts")
    chat.say("/start")
    chat.say("2")  # the list's second button: 删除 #2
    assert chat.mode == "confirm", chat.text
    chat.say("/start")
    chat.say("确定删除")
    assert sorted(chat.session.drafts) == [1]


@pytest.mark.parametrize("restart", [False, True])
def test_which_answer_menu_takes_its_own_numbers_also_after_a_restart(
        chat: Chat, restart: bool) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("诉求里退款写上金额 退7840元")
    assert chat.t("edit.which") in chat.text
    labels = chat.option_labels()
    assert len(labels) == 2, labels
    if restart:
        chat.say("/start")
        assert chat.t("edit.which") in chat.text and chat.option_labels()[-2:] == labels
    chat.say("2")
    assert chat.field == "demands", chat.text
    assert chat.draft.answers["for_whom"] == "self"


@pytest.mark.parametrize(("said", "field", "value"), [
    ("东西写的不对 是羽绒服 黑色长款女式羽绒服", "product", "羽绒服"),
    ("日子查着了 11月3号买的", "purchase_date", "2026-11-03"),
    ("买的日子是11月3号", "purchase_date", "2026-11-03"),
])
def test_everyday_names_of_answers_change_them_at_the_edit_menu(
        chat: Chat, said: str, field: str, value: str) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    chat.say(said)
    assert value in str(chat.draft.answers[field]), chat.text


@pytest.mark.parametrize("said", ["我还想举报他们", "举报"])
def test_a_report_asked_for_at_the_edit_menu_starts_it(chat: Chat, said: str) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    chat.say(said)
    assert chat.draft.number == 2 and chat.draft.answers["kind"] == "report", chat.text


def test_two_answers_changed_in_one_reply_are_both_changed(chat: Chat) -> None:
    chat.say("/new")
    chat.fill(ANSWERS)
    chat.say("修改")
    chat.say("名字就写悦颜美容 地址是西城区金融街丰盛胡同 写字楼二层")
    assert chat.draft.answers["business_name"] == "悦颜美容", chat.text
    assert chat.draft.answers["business_address"].startswith("西城区金融街丰盛胡同")
    assert chat.draft.answers["complainant_name"] == ANSWERS["complainant_name"]
    assert chat.text.count("✓") >= 2, chat.text


@pytest.mark.parametrize("at_menu", [True, False])
def test_evidence_said_to_be_there_too_is_added_not_put_in_place(chat: Chat, at_menu: bool) -> None:
    chat.say("/new")
    chat.fill({**ANSWERS, "evidence": "检测报告 订单截图"})
    before = list(chat.draft.answers["evidence"])
    if at_menu:
        chat.say("修改")
    chat.say("证据里还有闺女录的直播视频 你没写上")
    evidence = chat.draft.answers["evidence"]
    assert set(before) < set(evidence), (before, evidence, chat.text)
    chat.say("继续")
    assert "检测报告" in chat.draft_text and "直播录屏" in chat.draft_text, chat.draft_text
