"""What only the web page keeps, in the same SQLite file as the conversations.

- `web_messages`: the chat as the page shows it (the bubbles of the latest exchanges), because
  a browser, unlike Telegram, forgets what it was shown once the page is reloaded;
- `web_link_codes`: one-time, expiring codes that let another browser reach the same drafts
  (only a hash of each code is stored, so a copy of the database does not hand them out).

The tables are versioned by their own `web_schema` table, not `PRAGMA user_version`, which
belongs to `bot.storage`. This store opens its own connection; SQLite (WAL, busy timeout)
serialises it with the conversation store's. `forget` deletes a user's whole trace, the
conversation store's rows included, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.channel_tables import ChannelTables

MIGRATIONS: tuple[str, ...] = (
    # 1: the page's chat history and the one-time codes that link another browser
    """
    CREATE TABLE web_messages (
        user_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        turn INTEGER NOT NULL,
        role TEXT NOT NULL,
        unseen INTEGER NOT NULL DEFAULT 0,
        payload TEXT NOT NULL,
        PRIMARY KEY (user_id, seq)
    );
    CREATE TABLE web_link_codes (
        code_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX web_link_codes_by_user ON web_link_codes (user_id);
    """,
)
# How many chat entries a user keeps; older bubbles are dropped (the drafts are not).
KEEP_MESSAGES = 80
# Link codes: unambiguous letters and digits (no 0/O, 1/I/L), easy to type on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


@dataclass(frozen=True)
class Entry:
    """One stored chat entry: who spoke (`user`, `bot`, `reminder`), in which exchange."""

    seq: int
    turn: int
    role: str
    unseen: bool
    payload: dict[str, Any]


class WebStore(ChannelTables):
    SCHEMA_TABLE = "web_schema"
    MIGRATIONS = MIGRATIONS

    # ---- the chat --------------------------------------------------------------------------

    async def append(self, user_id: str, entries: Sequence[tuple[str, dict[str, Any]]],
                     unseen: bool = False) -> None:
        """Add one exchange, (role, payload) entries under a new turn number, keeping the
        latest KEEP_MESSAGES entries of the user."""
        if not entries:
            return
        async with self._transaction():
            async with self._db.execute(
                "SELECT COALESCE(MAX(seq), 0), COALESCE(MAX(turn), 0) FROM web_messages "
                "WHERE user_id = ?", (user_id,)) as cursor:
                row = await cursor.fetchone()
            seq, turn = (int(row[0]), int(row[1])) if row else (0, 0)
            await self._db.executemany(
                "INSERT INTO web_messages (user_id, seq, turn, role, unseen, payload) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(user_id, seq + index, turn + 1, role, int(unseen),
                  json.dumps(payload, ensure_ascii=False))
                 for index, (role, payload) in enumerate(entries, start=1)])
            await self._db.execute(
                "DELETE FROM web_messages WHERE user_id = ? AND seq <= ?",
                (user_id, seq + len(entries) - KEEP_MESSAGES))

    async def recent(self, user_id: str) -> list[Entry]:
        async with self._db.execute(
            "SELECT seq, turn, role, unseen, payload FROM web_messages WHERE user_id = ? "
            "ORDER BY seq", (user_id,)) as cursor:
            rows = await cursor.fetchall()
        return [Entry(int(seq), int(turn), role, bool(unseen), json.loads(payload))
                for seq, turn, role, unseen, payload in rows]

    async def mark_seen(self, user_id: str) -> None:
        async with self._transaction():
            await self._db.execute(
                "UPDATE web_messages SET unseen = 0 WHERE user_id = ? AND unseen = 1", (user_id,))

    # ---- another browser ----------------------------------------------------------------------

    async def new_link_code(self, user_id: str, now: datetime, lifetime: timedelta) -> str:
        """A fresh one-time code for `user_id`; earlier codes of this user stop working."""
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        async with self._transaction():
            await self._db.execute("DELETE FROM web_link_codes WHERE user_id = ? OR expires_at < ?",
                                   (user_id, _stamp(now)))
            await self._db.execute(
                "INSERT INTO web_link_codes (code_hash, user_id, expires_at) VALUES (?, ?, ?)",
                (_hash(code), user_id, _stamp(now + lifetime)))
        return code

    async def claim_link_code(self, typed: str, now: datetime) -> str | None:
        """The user id a code stands for, if it is valid now; the code is used up either way."""
        code = normalise_code(typed)
        if len(code) != CODE_LENGTH:
            return None
        async with self._transaction():
            async with self._db.execute(
                "SELECT user_id, expires_at FROM web_link_codes WHERE code_hash = ?",
                (_hash(code),)) as cursor:
                row = await cursor.fetchone()
            await self._db.execute("DELETE FROM web_link_codes WHERE code_hash = ?", (_hash(code),))
        if row is None or row[1] < _stamp(now):
            return None
        return str(row[0])

    # ---- forgetting -----------------------------------------------------------------------

    async def forget(self, user_id: str) -> None:
        """Delete the page's own rows of a user (chat history, link codes); the conversation
        store forgets the drafts, cases and reminders (`Storage.forget_user`)."""
        async with self._transaction():
            for table in ("web_messages", "web_link_codes"):
                await self._db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))


def normalise_code(typed: str) -> str:
    """What the user typed, as a code: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "ignore")).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.isoformat(sep="T", timespec="seconds")
