"""Sessions and drafts in one SQLite file (WAL), behind a small interface.

`load` returns a user's whole session; `save` writes what changed in one transaction.
The shell saves before it sends a reply, so a crash never loses an answer. The schema is
versioned with `PRAGMA user_version`; each release appends its migration to MIGRATIONS.

The `reminders` table is the schedule of reminders still to send, rewritten from
`flows.reminders.plan` in the same transaction as the session it derives from, so that
finding the due ones is one indexed query and the schedule can never disagree with the state.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import aiosqlite

from flows.model import Dialog, Draft, Reminders, Session
from flows.reminders import plan

MIGRATIONS: tuple[str, ...] = (
    # 1: users' conversation state and their drafts
    """
    CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        next_number INTEGER NOT NULL,
        active INTEGER,
        dialog TEXT NOT NULL,
        profile TEXT,
        updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE TABLE drafts (
        user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        finished INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (user_id, number)
    );
    """,
    # 2: the reminder switch and sent list per user; the schedule of reminders still to send
    """
    ALTER TABLE users ADD COLUMN reminders TEXT;
    CREATE TABLE reminders (
        user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        draft INTEGER NOT NULL,
        kind TEXT NOT NULL,
        due_at TEXT NOT NULL,
        PRIMARY KEY (user_id, key)
    );
    CREATE INDEX reminders_by_due ON reminders (due_at);
    """,
)


class Storage:
    """The only place that talks to the database."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection
        # One connection serves every user: transactions must not overlap on it.
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute("PRAGMA synchronous=FULL")
        await connection.execute("PRAGMA foreign_keys=ON")
        await connection.execute("PRAGMA busy_timeout=5000")
        storage = cls(connection)
        await storage.migrate()
        await storage.schedule_unplanned()
        return storage

    async def close(self) -> None:
        await self._db.close()

    async def schema_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> None:
        version = await self.schema_version()
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, script.split(";")):
                    await self._db.execute(statement)
                await self._db.execute(f"PRAGMA user_version = {number}")
                await self._db.execute("COMMIT")
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise

    async def load(self, user_id: str) -> Session:
        """The user's session, or a fresh one for a user never seen."""
        async with self._db.execute(
            "SELECT next_number, active, dialog, profile, reminders FROM users WHERE user_id = ?",
            (user_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return Session(user_id=user_id)
        async with self._db.execute(
            "SELECT data FROM drafts WHERE user_id = ? ORDER BY number", (user_id,)
        ) as cursor:
            drafts = [Draft.model_validate_json(data) for (data,) in await cursor.fetchall()]
        return Session(
            user_id=user_id,
            next_number=row[0],
            active=row[1],
            dialog=Dialog.model_validate_json(row[2]),
            profile=json.loads(row[3]) if row[3] else None,
            reminders=Reminders.model_validate_json(row[4]) if row[4] else Reminders(),
            drafts={draft.number: draft for draft in drafts},
        )

    async def save(self, session: Session, before: Session | None = None) -> None:
        """Write the session in one transaction; drafts unchanged since `before` are not rewritten."""
        unchanged = _unchanged_drafts(session, before)
        async with self._write_lock:
            await self._write(session, unchanged)

    async def _write(self, session: Session, unchanged: set[int]) -> None:
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            await self._db.execute(
                """INSERT INTO users (user_id, next_number, active, dialog, profile, reminders,
                                     updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)
                   ON CONFLICT(user_id) DO UPDATE SET next_number = excluded.next_number,
                     active = excluded.active, dialog = excluded.dialog,
                     profile = excluded.profile, reminders = excluded.reminders,
                     updated_at = CURRENT_TIMESTAMP""",
                (session.user_id, session.next_number, session.active,
                 session.dialog.model_dump_json(),
                 json.dumps(session.profile, ensure_ascii=False) if session.profile else None,
                 session.reminders.model_dump_json()),
            )
            await self._db.execute("DELETE FROM reminders WHERE user_id = ?", (session.user_id,))
            await self._db.executemany(
                "INSERT INTO reminders (user_id, key, draft, kind, due_at) VALUES (?, ?, ?, ?, ?)",
                [(session.user_id, item.key, item.draft, item.kind, _stamp(item.due))
                 for item in plan(session)],
            )
            numbers = list(session.drafts)
            marks = ",".join("?" * len(numbers))
            await self._db.execute(
                f"DELETE FROM drafts WHERE user_id = ? AND number NOT IN ({marks})"
                if numbers else "DELETE FROM drafts WHERE user_id = ?",
                (session.user_id, *numbers),
            )
            for draft in session.drafts.values():
                if draft.number in unchanged:
                    continue
                await self._db.execute(
                    """INSERT INTO drafts (user_id, number, finished, created_at, updated_at, data)
                       VALUES (?, ?, ?, ?, ?, ?)
                       ON CONFLICT(user_id, number) DO UPDATE SET finished = excluded.finished,
                         updated_at = excluded.updated_at, data = excluded.data""",
                    (session.user_id, draft.number, int(draft.finished),
                     draft.created_at.isoformat(), draft.updated_at.isoformat(),
                     draft.model_dump_json()),
                )
            await self._db.execute("COMMIT")
        except BaseException:
            await self._db.execute("ROLLBACK")
            raise

    async def due_reminders(self, now: datetime, *, channel_prefix: str = "",
                            user_id: str | None = None) -> list[tuple[str, str]]:
        """(user id, reminder key) of reminders due by `now`, oldest first: for one channel's
        users (by id prefix) or for one user."""
        if user_id is not None:
            query = "SELECT user_id, key FROM reminders WHERE due_at <= ? AND user_id = ?"
            params: tuple[str | int, ...] = (_stamp(now), user_id)
        else:
            query = ("SELECT user_id, key FROM reminders WHERE due_at <= ? "
                     "AND substr(user_id, 1, ?) = ?")
            params = (_stamp(now), len(channel_prefix), channel_prefix)
        async with self._db.execute(query + " ORDER BY due_at, user_id, key", params) as cursor:
            return [(row[0], row[1]) for row in await cursor.fetchall()]

    async def scheduled(self, user_id: str) -> list[tuple[str, str]]:
        """(key, due time) of a user's reminders still to send, as stored."""
        async with self._db.execute(
            "SELECT key, due_at FROM reminders WHERE user_id = ? ORDER BY due_at, key", (user_id,)
        ) as cursor:
            return [(row[0], row[1]) for row in await cursor.fetchall()]

    async def schedule_unplanned(self) -> None:
        """Users stored before reminders existed get their schedule once, at the first start."""
        async with self._db.execute("SELECT user_id FROM users WHERE reminders IS NULL") as cursor:
            waiting = [row[0] for row in await cursor.fetchall()]
        for user_id in waiting:
            await self.save(await self.load(user_id))

    async def user_ids(self) -> list[str]:
        async with self._db.execute("SELECT user_id FROM users ORDER BY user_id") as cursor:
            return [row[0] for row in await cursor.fetchall()]

    async def raw_draft_rows(self, user_id: str) -> list[dict[str, Any]]:
        """Drafts as stored, for inspection tools and tests."""
        async with self._db.execute(
            "SELECT number, finished, data FROM drafts WHERE user_id = ? ORDER BY number",
            (user_id,),
        ) as cursor:
            rows = await cursor.fetchall()
        return [{"number": n, "finished": bool(f), "data": json.loads(d)} for n, f, d in rows]


def _stamp(moment: datetime) -> str:
    """Times are stored as ISO text to the second, so they sort and compare as strings."""
    return moment.isoformat(sep="T", timespec="seconds")


def _unchanged_drafts(session: Session, before: Session | None) -> set[int]:
    if before is None:
        return set()
    return {n for n, draft in session.drafts.items() if before.drafts.get(n) == draft}
