"""Personal data: owner-only files, nothing left after a forget (raw bytes of the database,
its WAL and shared-memory file), no profile without a draft, nothing personal in the logs."""

from __future__ import annotations

import asyncio
import logging
import stat
import time
from datetime import datetime
from pathlib import Path

from bot_process import BotProcess, FakeBotApi, sent_texts, text_update, wait_for

from bot.log_redaction import MASK, RedactingFilter, redact
from bot.service import ConversationService
from bot.storage import Storage
from flows.catalog import Catalog
from flows.insight import understand_nothing
from flows.model import Draft, Outcome, Session, Text

PHONE = "13912345678"
OTHER_PHONE = "13800001111"
NAME = "王小明"
ADDRESS = "北京市朝阳区幸福路88号"
NOW = datetime(2026, 11, 28, 10, 0)
TOKEN_SECRET_PART = "TEST-token_for_the_fake_bot_api_xyz"


def personal_session(user_id: str, phone: str = PHONE) -> Session:
    draft = Draft(number=1, created_at=NOW, updated_at=NOW, answers={
        "kind": "complaint", "complainant_name": NAME, "complainant_phone": phone,
        "complainant_address": ADDRESS})
    return Session(user_id=user_id, drafts={1: draft}, next_number=2, active=1,
                   profile={"complainant_name": NAME, "complainant_phone": phone,
                            "complainant_address": ADDRESS})


def raw_files(path: Path) -> bytes:
    return b"".join(candidate.read_bytes() for candidate in
                    (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if candidate.exists())


def service_for(storage: Storage, catalog: Catalog, **kwargs: object) -> ConversationService:
    return ConversationService(storage, catalog, clock=lambda: NOW,
                               understand=understand_nothing, **kwargs)  # type: ignore[arg-type]


def test_the_folder_and_every_database_file_are_for_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "bot.sqlite3"

    async def scenario() -> None:
        storage = await Storage.open(path)
        await storage.save(personal_session("alice"))  # the WAL and shm files exist now
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert candidate.exists(), candidate
            assert stat.S_IMODE(candidate.stat().st_mode) == 0o600, candidate
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        await storage.close()

    asyncio.run(scenario())


def test_forget_user_leaves_no_row_and_no_byte_of_them(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"

    async def scenario() -> None:
        storage = await Storage.open(path)
        for turn in range(3):  # several versions of their rows, in the WAL and in pages
            session = personal_session("telegram:1")
            session.dialog.turn = turn
            await storage.save(session)
        await storage.receive([("telegram:update:1", "telegram:1",
                                f'{{"message": {{"text": "{PHONE}"}}}}')])
        await storage.save(personal_session("telegram:2", phone=OTHER_PHONE))
        assert PHONE.encode() in raw_files(path)
        await storage.forget_user("telegram:1")
        assert set((await storage.rows_of("telegram:1")).values()) == {0}
        assert await storage.user_ids() == ["telegram:2"], "other users keep their data"
        await storage.close()

    asyncio.run(scenario())
    remaining = raw_files(path)
    assert PHONE.encode() not in remaining, "the forgotten user's phone is in no file"
    assert OTHER_PHONE.encode() in remaining, "the scan reads the data that is kept"


def test_forget_scan_with_one_user_finds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"

    async def scenario() -> None:
        storage = await Storage.open(path)
        for turn in range(3):
            session = personal_session("telegram:1")
            session.dialog.turn = turn
            await storage.save(session)
        await storage.forget_user("telegram:1")
        await storage.close()

    asyncio.run(scenario())
    remaining = raw_files(path)
    for secret in (PHONE, NAME, ADDRESS):
        assert secret.encode() not in remaining, secret


class ForgetOutcome(Outcome, frozen=True):
    """What the engine returns once the user confirmed /forget (the typed signal)."""

    forget: bool = True


def test_a_confirmed_forget_from_the_engine_deletes_every_row_in_the_turn(
        tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "bot.sqlite3"

    async def scenario() -> None:
        storage = await Storage.open(path)
        await storage.save(personal_session("telegram:5"))
        service = service_for(storage, catalog)
        asked = await service.handle_update("telegram:5", Text("/forget"),
                                            update_key="telegram:update:8")
        assert catalog.text("forget.confirm") in asked.replies[-1].text
        assert (await storage.rows_of("telegram:5"))["users"] == 1, "nothing deleted yet"
        handled = await service.handle_update("telegram:5", Text(catalog.text("forget.yes")),
                                              update_key="telegram:update:9",
                                              render=lambda replies: [r.text for r in replies])
        assert handled.forgotten
        assert [item for _, item in handled.outbox] == [catalog.text("forget.done")]
        rows = await storage.rows_of("telegram:5")
        assert rows == {"users": 0, "drafts": 0, "reminders": 0, "inbox": 0, "outbox": 1}
        again = await service.handle_update("telegram:5", Text(catalog.text("forget.yes")),
                                            update_key="telegram:update:9")
        assert again.duplicate, "a redelivered forget does nothing, not even a new user row"
        assert await storage.user_ids() == []
        await storage.close()

    asyncio.run(scenario())
    assert PHONE.encode() not in raw_files(path)


def test_the_profile_goes_with_the_last_draft(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> dict | None:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        await storage.save(personal_session("carol"))
        service = service_for(storage, catalog)
        await service.handle("carol", Text("/delete 1"))
        await service.handle("carol", Text("确定"))
        session = await storage.load("carol")
        await storage.close()
        assert session.drafts == {}
        return session.profile

    assert asyncio.run(scenario()) is None


def test_redaction_masks_secrets_fields_and_numbers() -> None:
    line = (f"POST https://api.telegram.org/bot123456789:{TOKEN_SECRET_PART}/sendMessage "
            f"{{'text': '我叫{NAME}，电话 {PHONE}', 'first_name': '小明', \"chat_id\": 42}} "
            f"Message(text='{ADDRESS}', message_id=7) data=text%3D{PHONE}&x=1 "
            f"110101199003071234 ming@example.com 010-87654321")
    cleaned = redact(line, [f"123456789:{TOKEN_SECRET_PART}"])
    for secret in (TOKEN_SECRET_PART, NAME, PHONE, ADDRESS, "小明", "110101199003071234",
                   "ming@example.com", "87654321"):
        assert secret not in cleaned, secret
    assert '"chat_id": 42' in cleaned and "message_id=7" in cleaned and MASK in cleaned


def test_the_filter_redacts_arguments_and_tracebacks() -> None:
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect()
    handler.addFilter(RedactingFilter(["s3cret-token"]))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.debug("update %s", {"text": PHONE})
        try:
            raise ValueError(f"bad url https://x/bots3cret-token/getMe for {PHONE}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
    text = "\n".join(records)
    assert "s3cret-token" not in text and PHONE not in text
    assert "ValueError" in text


def test_debug_logs_of_the_running_bot_hold_no_token_and_no_personal_data(
        tmp_path: Path, catalog: Catalog) -> None:
    api = FakeBotApi().start()
    try:
        bot = BotProcess(api, tmp_path / "bot.sqlite3", tmp_path, log_level="DEBUG").wait_ready()
        try:
            for text in ("/start", f"我叫{NAME}，电话{PHONE}，住在{ADDRESS}"):
                api.queue_update({k: v for k, v in text_update(api, 7301, text).items()
                                  if k != "update_id"})
            wait_for(lambda: len(sent_texts(api, 7301)) >= 2, "the answers")
            time.sleep(0.3)
        finally:
            bot.stop()
    finally:
        api.stop()
    log = "".join(bot.stderr)
    assert "DEBUG" in log and "getUpdates" in log, "debug logging was on"
    for secret in (TOKEN_SECRET_PART, PHONE, NAME, ADDRESS, "幸福路"):
        assert secret not in log, secret
