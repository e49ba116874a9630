"""What only the WeChat channel keeps, in the same SQLite file as the conversations.

- `wechat_messages`: every incoming message or event, stored before the engine sees it, keyed
  by its MsgId (events: sender + CreateTime), with the reply text once the step is done. WeChat
  retries a message it got no answer to within 5 seconds; a retry finds the stored reply and
  gets it again instead of being applied a second time.
- `wechat_pages`: the parts of a long answer not shown yet ("回复 1 看下一段"), per user.
- `wechat_links`: the draft links handed out, by a hash of their random id: which user's draft
  each opens and until when. The URL carries only that id, an expiry and a signature.

Versioned by its own `wechat_schema` table (`PRAGMA user_version` belongs to `bot.storage`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.channel_tables import ChannelTables

MIGRATIONS: tuple[str, ...] = (
    # 1: the message log (dedupe and stored replies), pending pages, draft links
    """
    CREATE TABLE wechat_messages (
        key TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        reply TEXT
    );
    CREATE INDEX wechat_messages_by_time ON wechat_messages (received_at);
    CREATE TABLE wechat_pages (
        user_id TEXT PRIMARY KEY,
        pages TEXT NOT NULL
    );
    CREATE TABLE wechat_links (
        link_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        draft INTEGER NOT NULL,
        expires_at TEXT NOT NULL
    );
    """,
)
# WeChat retries within seconds; a day of messages is more than enough to recognise a retry.
KEEP_MESSAGES = timedelta(days=1)


@dataclass(frozen=True)
class Received:
    """A message already in the log: `reply` is None while (or if) its step did not finish."""

    user_id: str
    reply: str | None


class WeChatStore(ChannelTables):
    SCHEMA_TABLE = "wechat_schema"
    MIGRATIONS = MIGRATIONS

    # ---- the message log --------------------------------------------------------------------

    async def receive(self, key: str, user_id: str, now: datetime) -> Received | None:
        """Log a message before it is handled. None: it is new; else what is known of it."""
        async with self._transaction():
            async with self._db.execute(
                "SELECT user_id, reply FROM wechat_messages WHERE key = ?", (key,)) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                return Received(str(row[0]), row[1])
            await self._db.execute(
                "INSERT INTO wechat_messages (key, user_id, received_at) VALUES (?, ?, ?)",
                (key, user_id, _stamp(now)))
            await self._db.execute("DELETE FROM wechat_messages WHERE received_at < ?",
                                   (_stamp(now - KEEP_MESSAGES),))
        return None

    async def answered(self, key: str, reply: str, user_id: str, later: list[str]) -> None:
        """Keep the reply of a message and the user's pages still to show, in one commit."""
        async with self._transaction():
            await self._db.execute("UPDATE wechat_messages SET reply = ? WHERE key = ?",
                                   (reply, key))
            await self._write_pages(user_id, later)

    async def forget(self, user_id: str, keep: str) -> None:
        """After /forget: every row of the user goes (their earlier replies quoted drafts, names
        and phones) but the current message's, whose reply is only the goodbye and lets a
        retry of it be answered without a second step."""
        async with self._transaction():
            await self._db.execute("DELETE FROM wechat_messages WHERE user_id = ? AND key != ?",
                                   (user_id, keep))
            await self._db.execute("DELETE FROM wechat_pages WHERE user_id = ?", (user_id,))
            await self._db.execute("DELETE FROM wechat_links WHERE user_id = ?", (user_id,))

    async def reply_of(self, key: str) -> str | None:
        async with self._db.execute(
            "SELECT reply FROM wechat_messages WHERE key = ?", (key,)) as cursor:
            row = await cursor.fetchone()
        return None if row is None else row[0]

    # ---- pages still to show ----------------------------------------------------------------

    async def pages(self, user_id: str) -> list[str]:
        async with self._db.execute(
            "SELECT pages FROM wechat_pages WHERE user_id = ?", (user_id,)) as cursor:
            row = await cursor.fetchone()
        return list(json.loads(row[0])) if row else []

    async def set_pages(self, user_id: str, pages: list[str]) -> None:
        async with self._transaction():
            await self._write_pages(user_id, pages)

    async def _write_pages(self, user_id: str, pages: list[str]) -> None:
        if pages:
            await self._db.execute(
                "INSERT INTO wechat_pages (user_id, pages) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET pages = excluded.pages",
                (user_id, json.dumps(pages, ensure_ascii=False)))
        else:
            await self._db.execute("DELETE FROM wechat_pages WHERE user_id = ?", (user_id,))

    # ---- draft links ------------------------------------------------------------------------

    async def add_link(self, link_id: str, user_id: str, draft: int, now: datetime,
                       expires: datetime) -> None:
        async with self._transaction():
            await self._db.execute("DELETE FROM wechat_links WHERE expires_at < ?", (_stamp(now),))
            await self._db.execute(
                "INSERT INTO wechat_links (link_hash, user_id, draft, expires_at) "
                "VALUES (?, ?, ?, ?)", (_hash(link_id), user_id, draft, _stamp(expires)))

    async def link(self, link_id: str, now: datetime) -> tuple[str, int] | None:
        """(user id, draft number) behind a link id that has not expired."""
        async with self._db.execute(
            "SELECT user_id, draft, expires_at FROM wechat_links WHERE link_hash = ?",
            (_hash(link_id),)) as cursor:
            row = await cursor.fetchone()
        if row is None or row[2] < _stamp(now):
            return None
        return str(row[0]), int(row[1])


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.isoformat(sep="T", timespec="seconds")
