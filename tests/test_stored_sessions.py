"""A database written by the earlier pydantic models loads unchanged, and is written back
byte for byte the same: the rows below were stored by that code and frozen here."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.storage import Storage
from flows.model import (
    Asking,
    Attachment,
    CaseChange,
    CaseEdit,
    Clarifying,
    Confirming,
    DeleteDraft,
    DraftMenu,
    ForgetMe,
    Idle,
    Offered,
    Pending,
    Reminders,
    RestartDraft,
    Reviewing,
    ScopeWarning,
    Session,
    UndoCaseChange,
)

DRAFTS = {
    1: '{"number":1,"created_at":"2025-10-02T20:01:05","updated_at":"2025-10-03T09:15:02.123456",'
       '"finished":false,"answers":{"kind":"complaint","business_name":"北京某某商贸有限公司",'
       '"amount":1299,"purchase_date":"2025-10-01","evidence":["receipt","chat"],'
       '"district":{"value":"chaoyang","source":"account"}},"skipped":["order_number"],'
       '"later":["business_address"],"suggestions":{"product":"运动鞋","amount":1299.5},"theme_ranking":[{"theme":"quality",'
       '"score":0.82},{"theme":"refund","score":0.11}],"theme_shortlist":["quality","refund"],'
       '"sure":["product"],"referral":{"body":"12345","topic":"housing"},"attachments":[{"kind":'
       '"photo","file_id":"AgAD-1","name":"","size":20480,"mime":"image/jpeg"},{"kind":"document",'
       '"file_id":"BQAD-2","name":"发票.pdf","size":null,"mime":""}],"case":null,"advice_shown":'
       '["advice.keep_receipt"],"account_date":"2025-10-03"}',
    2: '{"number":2,"created_at":"2025-09-01T08:00:00","updated_at":"2025-09-20T18:30:45",'
       '"finished":true,"answers":{"kind":"report","business_name":"某某餐厅"},"skipped":[],'
       '"later":[],"suggestions":{},"theme_ranking":[],"theme_shortlist":[],"sure":[],"referral":null,'
       '"attachments":[],"case":{"number":"1100002025090100012","events":[{"state":"submitted",'
       '"on":"2025-09-02","note":"","recorded_at":"2025-09-02T10:00:01"},{"state":"accepted",'
       '"on":"2025-09-09","note":"工作人员来电","recorded_at":"2025-09-10T11:05:00"}]},'
       '"advice_shown":[],"account_date":null}',
    3: '{"number":3,"created_at":"2025-10-04T07:00:00","updated_at":"2025-10-04T07:00:00",'
       '"finished":false,"answers":{},"skipped":[],"later":[],"suggestions":{},"theme_ranking":[],'
       '"theme_shortlist":[],"sure":[],"referral":null,"attachments":[],"case":null,'
       '"advice_shown":[],"account_date":null}',
}

NOTHING_OFFERED = '"offered":{"values":[],"labels":[],"token":null}'
DIALOGS = {
    "asking": '{"state":{"mode":"asking","field":"demands","picked":["refund","compensation"],'
              '"pending":{"field":"amount","value":{"amount":99999,"unit":"yuan"},'
              '"warning":"warn.amount_high"},"back_to_summary":true,"clarifying":{"question":'
              '"clarify.district","params":{"district":"海淀"},"values":["home","business"],'
              '"none_label":"clarify.neither"}},"history":["kind","whom","narrative"],"turn":7,'
              '"offered":{"values":["refund","compensation"],"labels":["退货退款","赔偿"],'
              '"token":"t7"}}',
    "idle": '{"state":{"mode":"idle"},"history":[],"turn":0,' + NOTHING_OFFERED + '}',
    "summary": '{"state":{"mode":"summary"},"history":["kind"],"turn":12,' + NOTHING_OFFERED + '}',
    "done": '{"state":{"mode":"done"},"history":[],"turn":30,"offered":{"values":["submit","edit"],'
            '"labels":["已提交","修改"],"token":"t30"}}',
    "scope": '{"state":{"mode":"confirm","question":{"what":"scope","back_to_summary":true}},'
             '"history":[],"turn":4,' + NOTHING_OFFERED + '}',
    "restart": '{"state":{"mode":"confirm","question":{"what":"restart"}},"history":[],"turn":5,'
               + NOTHING_OFFERED + '}',
    "delete": '{"state":{"mode":"confirm","question":{"what":"delete","draft":2}},"history":[],'
              '"turn":6,' + NOTHING_OFFERED + '}',
    "undo": '{"state":{"mode":"confirm","question":{"what":"undo","draft":2}},"history":[],'
            '"turn":8,' + NOTHING_OFFERED + '}',
    "forget": '{"state":{"mode":"confirm","question":{"what":"forget"}},"history":[],"turn":9,'
              + NOTHING_OFFERED + '}',
    "case": '{"state":{"mode":"case","edit":{"draft":2,"action":"move","target":"mediating",'
            '"number":"110000","on":"2025-09-30"},"step":"on","pending":{"field":"on",'
            '"value":"2025-09-30","warning":"case.future"}},"history":[],"turn":40,'
            + NOTHING_OFFERED + '}',
    "card": '{"state":{"mode":"case","edit":{"draft":2,"action":"card","target":null,"number":null,'
            '"on":null},"step":"card","pending":null},"history":[],"turn":41,' + NOTHING_OFFERED + '}',
}

# Sessions stored before the dialog had typed states: a flat `mode` and its companions.
LEGACY_DIALOGS = {
    "legacy-asking": '{"mode":"asking","field":"business_name","picked":["a"],"pending":{"field":'
                     '"amount","value":5,"warning":"warn.x"},"back_to_summary":1,'
                     '"history":["kind"],"turn":3}',
    "legacy-delete": '{"mode":"confirm","confirm_action":"delete:2|t5","history":[],"turn":5}',
    "legacy-scope": '{"mode":"confirm","confirm_action":"scope","turn":2}',
    "legacy-case": '{"mode":"case","field":"number","case_edit":{"draft":2,"action":"number"},'
                   '"pending":null,"turn":9}',
    "legacy-summary": '{"mode":"summary","history":["kind","whom"]}',
    "legacy-unknown": '{"mode":"asking","history":[]}',
}


def run(coro):
    return asyncio.run(coro)


def store_rows(path: Path, users: list[tuple], drafts: list[tuple]) -> None:
    """The schema made by the storage itself, then rows written as the old code wrote them."""
    async def create() -> None:
        await (await Storage.open(path)).close()

    run(create())
    with sqlite3.connect(path, timeout=10) as db:
        db.executemany("INSERT INTO users (user_id, next_number, active, dialog, profile, reminders)"
                       " VALUES (?, ?, ?, ?, ?, ?)", users)
        db.executemany("INSERT INTO drafts (user_id, number, finished, created_at, updated_at, data)"
                       " VALUES (?, ?, ?, ?, ?, ?)", drafts)
    db.close()


def draft_rows(user_id: str, numbers: list[int]) -> list[tuple]:
    rows = []
    for number in numbers:
        data = json.loads(DRAFTS[number])
        rows.append((user_id, number, int(data["finished"]), data["created_at"], data["updated_at"],
                     DRAFTS[number]))
    return rows


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "old.sqlite3"
    users = [("u:full", 4, 1, DIALOGS["asking"], '{"name": "王", "phone": "13800138000"}',
              '{"on":false,"sent":["2:accepted:reply"]}')]
    users += [(f"u:{name}", 3, None, text, None, '{"on":true,"sent":[]}')
              for name, text in DIALOGS.items() if name != "asking"]
    users += [(f"u:{name}", 3, None, text, None, None) for name, text in LEGACY_DIALOGS.items()]
    store_rows(path, users, draft_rows("u:full", [1, 2, 3]) + draft_rows("u:delete", [2]))
    return path


def load_all(path: Path) -> dict[str, Session]:
    async def scenario() -> dict[str, Session]:
        storage = await Storage.open(path)
        try:
            return {user_id: await storage.load(user_id) for user_id in await storage.user_ids()}
        finally:
            await storage.close()

    return run(scenario())


def test_drafts_load_with_their_values(database: Path) -> None:
    session = load_all(database)["u:full"]
    assert list(session.drafts) == [1, 2, 3] and session.next_number == 4 and session.active == 1
    assert session.profile == {"name": "王", "phone": "13800138000"}
    assert session.reminders == Reminders(on=False, sent=["2:accepted:reply"])
    first, filed, empty = session.drafts[1], session.drafts[2], session.drafts[3]
    assert first.created_at == datetime(2025, 10, 2, 20, 1, 5)
    assert first.updated_at == datetime(2025, 10, 3, 9, 15, 2, 123456)
    assert first.account_date == date(2025, 10, 3) and not first.finished
    assert first.answers["amount"] == 1299 and first.answers["purchase_date"] == "2025-10-01"
    assert first.answers["district"] == {"value": "chaoyang", "source": "account"}
    assert first.suggestions == {"product": "运动鞋", "amount": 1299.5}
    assert first.theme_ranking[0] == {"theme": "quality", "score": 0.82}
    assert first.skipped == ["order_number"] and first.sure == ["product"]
    assert first.later == ["business_address"]
    assert first.referral == {"body": "12345", "topic": "housing"}
    assert first.attachments == [
        Attachment(kind="photo", file_id="AgAD-1", size=20480, mime="image/jpeg"),
        Attachment(kind="document", file_id="BQAD-2", name="发票.pdf")]
    assert first.case is None and first.advice_shown == ["advice.keep_receipt"]
    assert filed.finished and filed.case is not None
    assert filed.case.number == "1100002025090100012"
    assert [(e.state, e.on, e.note, e.recorded_at) for e in filed.case.events] == [
        ("submitted", date(2025, 9, 2), "", datetime(2025, 9, 2, 10, 0, 1)),
        ("accepted", date(2025, 9, 9), "工作人员来电", datetime(2025, 9, 10, 11, 5))]
    assert filed.case.state == "accepted" and filed.case.submitted_on == date(2025, 9, 2)
    assert empty.answers == {} and empty.account_date is None and empty.attachments == []


def test_every_dialog_state_loads(database: Path) -> None:
    sessions = load_all(database)
    full = sessions["u:full"].dialog
    assert full.state == Asking(
        field="demands", picked=["refund", "compensation"],
        pending=Pending(field="amount", value={"amount": 99999, "unit": "yuan"},
                        warning="warn.amount_high"),
        back_to_summary=True,
        clarifying=Clarifying(question="clarify.district", params={"district": "海淀"},
                              values=["home", "business"], none_label="clarify.neither"))
    assert (full.history, full.turn) == (["kind", "whom", "narrative"], 7)
    assert full.offered == Offered(values=["refund", "compensation"], labels=["退货退款", "赔偿"],
                                   token="t7")
    states = {user_id.removeprefix("u:"): s.dialog.state for user_id, s in sessions.items()}
    assert states["idle"] == Idle() and states["summary"] == Reviewing()
    assert states["done"] == DraftMenu()
    assert states["scope"] == Confirming(question=ScopeWarning(back_to_summary=True))
    assert states["restart"] == Confirming(question=RestartDraft())
    assert states["delete"] == Confirming(question=DeleteDraft(draft=2))
    assert states["undo"] == Confirming(question=UndoCaseChange(draft=2))
    assert states["forget"] == Confirming(question=ForgetMe())
    assert states["case"] == CaseChange(
        edit=CaseEdit(draft=2, action="move", target="mediating", number="110000",
                      on=date(2025, 9, 30)),
        step="on", pending=Pending(field="on", value="2025-09-30", warning="case.future"))
    assert states["card"] == CaseChange(edit=CaseEdit(draft=2, action="card"))
    assert sessions["u:done"].dialog.offered.labels == ["已提交", "修改"]
    assert sessions["u:delete"].drafts[2].case is not None


def test_dialogs_stored_before_typed_states_are_migrated(database: Path) -> None:
    sessions = load_all(database)
    asking = sessions["u:legacy-asking"]
    assert asking.dialog.state == Asking(
        field="business_name", picked=["a"],
        pending=Pending(field="amount", value=5, warning="warn.x"), back_to_summary=True)
    assert (asking.dialog.history, asking.dialog.turn) == (["kind"], 3)
    assert asking.reminders == Reminders(), "no reminders column yet: the defaults"
    assert sessions["u:legacy-delete"].dialog.state == Confirming(question=DeleteDraft(draft=2))
    assert sessions["u:legacy-scope"].dialog.state == Confirming(question=ScopeWarning())
    assert sessions["u:legacy-case"].dialog.state == CaseChange(
        edit=CaseEdit(draft=2, action="number"), step="number")
    assert sessions["u:legacy-case"].dialog.turn == 9
    assert sessions["u:legacy-summary"].dialog.state == Reviewing()
    assert sessions["u:legacy-summary"].dialog.history == ["kind", "whom"]
    assert sessions["u:legacy-unknown"].dialog.state == Idle()


def test_loaded_sessions_are_written_back_byte_for_byte(database: Path, tmp_path: Path) -> None:
    sessions = load_all(database)
    copy = tmp_path / "again.sqlite3"

    async def write_again() -> None:
        storage = await Storage.open(copy)
        try:
            for name in ("u:full", *(f"u:{name}" for name in DIALOGS if name != "asking")):
                await storage.save(sessions[name])
        finally:
            await storage.close()

    run(write_again())
    with sqlite3.connect(copy, timeout=10) as db:
        dialogs = dict(db.execute("SELECT user_id, dialog FROM users").fetchall())
        reminders = dict(db.execute("SELECT user_id, reminders FROM users").fetchall())
        drafts = dict(db.execute("SELECT number, data FROM drafts WHERE user_id = 'u:full'"))
    db.close()
    assert dialogs == {f"u:{name}": text for name, text in DIALOGS.items()
                       if name != "asking"} | {"u:full": DIALOGS["asking"]}
    assert reminders["u:full"] == '{"on":false,"sent":["2:accepted:reply"]}'
    assert drafts == DRAFTS


def test_drafts_stored_before_questions_could_wait_load_with_none_waiting(tmp_path: Path) -> None:
    path = tmp_path / "before-later.sqlite3"
    rows = [(user, number, finished, created, updated, data.replace('"later":["business_address"],', ""))
            for user, number, finished, created, updated, data in draft_rows("u:old", [1])]
    assert '"later"' not in rows[0][-1]
    store_rows(path, [("u:old", 2, 1, DIALOGS["idle"], None, None)], rows)
    draft = load_all(path)["u:old"].drafts[1]
    assert draft.later == [] and draft.skipped == ["order_number"]
    assert draft.answers["business_name"] == "北京某某商贸有限公司"


def test_an_unreadable_draft_fails_loudly(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    store_rows(path, [("u:bad", 2, 1, DIALOGS["idle"], None, None)],
               [("u:bad", 1, 0, "2025-10-01T00:00:00", "2025-10-01T00:00:00",
                 DRAFTS[3].replace('"finished":false', '"finished":"perhaps"'))])
    with pytest.raises(ValueError, match=r"stored draft is unreadable: .*finished"):
        load_all(path)


def test_an_unreadable_dialog_fails_loudly(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    store_rows(path, [("u:bad", 1, None, DIALOGS["delete"].replace('"draft":2', '"draft":"two"'),
                       None, None)], [])
    with pytest.raises(ValueError, match=r"stored dialog is unreadable: .*draft"):
        load_all(path)
