"""Sessions, drafts, the reminder schedule, the inbox and the outbox in one SQLite file (WAL).

Every operation is one synchronous function over one `sqlite3` connection, run on the
storage's own database thread, so transactions never overlap on the connection and a whole
turn (load → step → commit) is one round trip to that thread. Taking the write lock at BEGIN
(never upgrading a read) lets the busy timeout work when a second process (a terminal chat,
another bot) writes to the same file.

Writes are committed in groups: the writes that arrive while the thread is busy (most often
waiting for the previous commit's fsync) run together in one `BEGIN IMMEDIATE … COMMIT`, each
inside its own SAVEPOINT, so a write that fails rolls back only itself, and every caller is
answered after the one commit. Under load that is one fsync for many users' turns instead of
one each; alone, a write is committed at once as before.

Channels that can deliver an update twice or die half-way use the inbox and the outbox:
an update is stored (`receive`) before it is acknowledged; the turn that handles it marks it
handled and writes its outgoing messages in the same commit as the state it produced; each
message is claimed before it is sent (right after the turn's commit, on the same visit to the
database thread, when it is sent at once), so after a crash the unsent ones go out and none
goes out twice. A claimed row is never sent again (it is dropped at the next start), so the
deletion of a sent one needs no commit of its own: it joins the next write (or the sweep's, or
the one at close).

The schema is versioned with `PRAGMA user_version`; each release appends its migration to
MIGRATIONS, applied under the write lock so that processes opening a new file together
neither race nor fail. Files are created readable by their owner only, deleted data is
overwritten (`secure_delete`), and forgetting a user checkpoints the WAL so nothing of theirs
stays in the files.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from bot.crashpoints import crash_point
from flows.model import Reminders, Session, decode_dialog, decode_draft, decode_reminders, to_json
from flows.reminders import plan

log = logging.getLogger(__name__)

T = TypeVar("T")

# How long a writer waits for another connection's write lock before giving up.
BUSY_TIMEOUT_MS = 10_000
# At most this many writes share one commit, so one group never holds the write lock long.
MAX_GROUP = 64
# Reminders are read from the schedule in batches of this many (oldest first).
DUE_BATCH = 500
# Handled inbox rows are kept this long to recognise a redelivered update (Telegram retries
# an unacknowledged webhook for a while; a day is well beyond that).
INBOX_KEEP_SECONDS = 24 * 3600
FILE_MODE = 0o600
FOLDER_MODE = 0o700

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
    # 3: the inbox (updates stored before they are acknowledged) and the outbox (messages
    # committed with the state that produced them); an index that covers the due order
    """
    CREATE TABLE inbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        update_key TEXT NOT NULL UNIQUE,
        user_id TEXT,
        payload TEXT,
        received_at TEXT NOT NULL,
        handled INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX inbox_pending ON inbox (seq) WHERE handled = 0;
    CREATE INDEX inbox_by_user ON inbox (user_id);
    CREATE INDEX inbox_by_age ON inbox (received_at) WHERE handled = 1;
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        item TEXT NOT NULL,
        claimed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX outbox_by_user ON outbox (user_id, id);
    DROP INDEX reminders_by_due;
    CREATE INDEX reminders_due_order ON reminders (due_at, user_id, key);
    """,
)


class StorageError(Exception):
    """The database cannot be opened or migrated, in one line that names the file."""


class Decision(msgspec.Struct, frozen=True):
    """What a turn decided, for `Storage.turn` to commit.

    `session` is written (None leaves the stored state as it is); `outgoing` are the
    channel's messages for the outbox, in order; `forget` deletes every row of the user
    instead of writing the session; `result` is handed back to the caller untouched.
    """

    session: Session | None
    outgoing: list[str] = msgspec.field(default_factory=list)
    forget: bool = False
    result: Any = None


class Committed(msgspec.Struct, frozen=True):
    """A committed turn: its outbox rows (id, item) and what the decision returned.
    `duplicate` means the update had been handled before and nothing was done now.
    `waiting` is every message of the user still to send after this commit, oldest first
    (older ones a failed send left, then this turn's), read in the same transaction, so the
    channel can send them without asking again."""

    outbox: list[tuple[int, str]]
    result: Any = None
    duplicate: bool = False
    forgotten: bool = False
    waiting: list[tuple[int, str]] = msgspec.field(default_factory=list)
    # The `waiting` messages were claimed right after the commit (`Storage.turn(claim=True)`).
    claimed: bool = False


class InboxRow(msgspec.Struct, frozen=True):
    update_key: str
    user_id: str | None
    payload: str


class DueRow(msgspec.Struct, frozen=True):
    due_at: str
    user_id: str
    key: str


class _Write:
    """One write waiting for the next group commit, and the loop its caller awaits on.
    `durable`: its commit must be on disk (fsynced) before the caller hears of it.
    `after`: a second, non-durable write made right after that commit, from its result.
    `sync_soon`: once the caller is answered, the database thread fsyncs the WAL file, so
    that a `sync` the caller makes a little later (while it sends) finds the work done."""

    __slots__ = ("after", "durable", "future", "loop", "sync_soon", "work")

    def __init__(self, work: Callable[[], Any], loop: asyncio.AbstractEventLoop,
                 durable: bool = True, after: Callable[[Any], Any] | None = None,
                 sync_soon: bool = False) -> None:
        self.work = work
        self.loop = loop
        self.durable = durable
        self.after = after
        self.sync_soon = sync_soon
        self.future: asyncio.Future[Any] = loop.create_future()


class Storage:
    """The only place that talks to the database; every call runs on the database thread."""

    def __init__(self, connection: sqlite3.Connection, executor: ThreadPoolExecutor,
                 path: str, *, max_group: int = MAX_GROUP) -> None:
        self._db = connection
        self._executor = executor
        self.path = path
        self.max_group = max_group
        # Writes waiting for the database thread, and whether a commit of them is scheduled;
        # sent outbox rows whose deletion waits for the next write. Guarded by the lock, as
        # the event loop adds and the database thread takes.
        self._lock = threading.Lock()
        self._waiting: list[_Write] = []
        self._commit_scheduled = False
        self._sent_ids: list[int] = []
        # Write transactions committed by this storage (one per group), and how many of them
        # waited for the disk (fsync), for measurements and tests.
        self.commits = 0
        self.synced_commits = 0
        # Every commit up to this one (counted as `commits`) is on the disk: made so by a
        # durable commit, or by an fsync of the WAL file; and how many such fsyncs were made.
        # Both are written on the database thread only and read anywhere.
        self.synced_through = 0
        self.syncs = 0
        # The WAL file's descriptor for those fsyncs: opened at the first, closed after the
        # connection.
        self._wal: int | None = None
        # The connection's `PRAGMA synchronous` now (see `_commit_waiting`).
        self._synchronous = "FULL"

    @classmethod
    async def open(cls, path: Path | str, *, max_group: int = MAX_GROUP) -> Storage:
        """Open (creating with owner-only permissions) and migrate; StorageError if it fails,
        with the connection closed so nothing is left running. `max_group`: at most this many
        waiting writes share a commit (1: each write commits alone)."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        loop = asyncio.get_running_loop()
        try:
            connection = await loop.run_in_executor(executor, _connect, str(path))
        except (sqlite3.Error, OSError) as error:
            executor.shutdown(wait=True)
            raise StorageError(f"cannot open the database {path}: {error}") from None
        except BaseException:
            executor.shutdown(wait=True)
            raise
        storage = cls(connection, executor, str(path), max_group=max_group)
        try:
            await storage.schedule_unplanned()
        except BaseException:
            await storage.close()
            raise
        return storage

    async def close(self) -> None:
        """Commit the deletions still waiting, then close."""
        try:
            await self.apply_sent()
        finally:
            try:
                await self._run(self._db.close)
            finally:
                self._executor.shutdown(wait=True)
                if self._wal is not None:
                    os.close(self._wal)
                    self._wal = None

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        """A read (or a statement outside any transaction) on the database thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)

    async def _write(self, work: Callable[[], T], *, durable: bool = True,
                     after: Callable[[T], T] | None = None, sync_soon: bool = False) -> T:
        """Run `work` in a write transaction on the database thread, grouped with the other
        writes waiting then; answered once their commit is on disk. An exception of `work`
        rolls back its own writes only and is raised here.

        A write that is not `durable` is answered once its commit is in the WAL file, not
        yet synced to the disk: it survives the process dying (the kernel has it) but not
        the machine losing power, and costs no fsync of its own; the next durable commit
        syncs it along. Only writes whose loss in a power cut is harmless ask for that.

        `after(result)`, if given, runs once that commit is done, in a transaction of its own
        that is not durable (shared with the other writes' `after`s), before the caller is
        answered with what it returns; if that transaction fails, with `result` itself.

        With `sync_soon`, a write that is not durable is made durable right after its caller
        is answered, by an fsync on the database thread (see `sync`)."""
        write = _Write(work, asyncio.get_running_loop(), durable, after, sync_soon)
        with self._lock:
            self._waiting.append(write)
            schedule = not self._commit_scheduled
            self._commit_scheduled = True
        if schedule:
            try:
                self._executor.submit(self._commit_waiting)
            except RuntimeError:  # the storage is closed
                with self._lock:
                    self._waiting.remove(write)
                    self._commit_scheduled = False
                raise
        return await write.future

    def _commit_waiting(self) -> None:
        """On the database thread: every write waiting now, plus the deferred deletions, in
        one transaction with a SAVEPOINT per write; then every caller is answered."""
        with self._lock:
            writes = self._waiting[:self.max_group]
            del self._waiting[:self.max_group]
            sent_ids, self._sent_ids = self._sent_ids, []
            self._commit_scheduled = bool(self._waiting)
        if self._commit_scheduled:  # more than a group waits: the rest commit next
            try:
                self._executor.submit(self._commit_waiting)
            except RuntimeError as error:  # closed meanwhile: those callers hear so
                with self._lock:
                    rest, self._waiting = self._waiting, []
                    self._commit_scheduled = False
                _answer([(write, None, error) for write in rest])
        if not writes and not sent_ids:
            return
        outcomes: list[tuple[_Write, Any, BaseException | None]] = []
        db = self._db
        synchronous = "FULL" if any(write.durable for write in writes) else "NORMAL"
        try:
            self._set_synchronous(synchronous)
            with _immediate(db):
                if sent_ids:
                    db.executemany("DELETE FROM outbox WHERE id = ?",
                                   [(outbox_id,) for outbox_id in sent_ids])
                for write in writes:
                    db.execute("SAVEPOINT write")
                    try:
                        result = write.work()
                    except Exception as error:
                        db.execute("ROLLBACK TO write")
                        db.execute("RELEASE write")
                        outcomes.append((write, None, error))
                    else:
                        db.execute("RELEASE write")
                        outcomes.append((write, result, None))
        except BaseException as error:  # BEGIN or COMMIT failed: nothing of the group is written
            if db.in_transaction:
                db.execute("ROLLBACK")
            with self._lock:
                self._sent_ids[:0] = sent_ids
            _answer([(write, None, error) for write in writes])
            if not isinstance(error, Exception):
                raise
            return
        self.commits += 1
        if synchronous == "FULL":
            self.synced_commits += 1
            self.synced_through = self.commits
        _answer(self._after_commit(outcomes))
        if any(write.sync_soon for write in writes):
            try:
                self._sync_wal()
            except OSError:  # the caller's own `sync` tries again, and hears of it
                log.exception("could not sync the WAL file")

    def _after_commit(self, outcomes: list[tuple[_Write, Any, BaseException | None]]
                      ) -> list[tuple[_Write, Any, BaseException | None]]:
        """On the database thread, right after a group's commit: the `after` writes of its
        successful writes, in one transaction that waits for no fsync; their results replace
        the writes' own. If it fails, the writes are answered with their own results."""
        pending = [(index, write, result) for index, (write, result, error)
                   in enumerate(outcomes) if write.after is not None and error is None]
        if not pending:
            return outcomes
        crash_point("committed")
        db = self._db
        try:
            self._set_synchronous("NORMAL")
            with _immediate(db):
                later = [(index, write.after(result)) for index, write, result in pending]
        except Exception:
            log.exception("could not make the writes that follow a commit")
            return outcomes
        self.commits += 1
        updated = list(outcomes)
        for index, result in later:
            updated[index] = (outcomes[index][0], result, None)
        return updated

    def _set_synchronous(self, level: str) -> None:
        """Before a transaction: FULL syncs its commit to the disk; in WAL mode NORMAL only
        writes it to the WAL file (kept if the process dies, not if the power goes)."""
        if level != self._synchronous:
            self._db.execute(f"PRAGMA synchronous={level}")
            self._synchronous = level

    async def sync(self) -> None:
        """Put every commit made so far on the disk: for a caller about to acknowledge what
        only a commit that was not durable holds. Nothing to wait for when the commits are
        synced already, as they usually are when that commit asked to be synced soon: the
        fsync was made while the caller was sending its answer."""
        if self._on_disk(self.commits):
            return
        await self._run(self._sync_wal)

    def _on_disk(self, through: int) -> bool:
        """Whether every commit up to `through` is on the disk already (or has no disk)."""
        return through <= self.synced_through or self.path == ":memory:"

    def _sync_wal(self) -> None:
        """On the database thread: every commit so far onto the disk with one fsync of the
        WAL file, unless they are there already. SQLite writes a commit's pages to the WAL
        file before the commit returns, so an fsync of that file afterwards makes the commit
        durable; SQLite keeps the file while a connection is open and locks only the database
        and -shm files, so the descriptor can stay open until the connection is closed."""
        through = self.commits
        if self._on_disk(through):
            return
        if self._wal is None:
            self._wal = os.open(f"{self.path}-wal", os.O_RDONLY)
        os.fsync(self._wal)
        self.synced_through = through
        self.syncs += 1

    async def apply_sent(self) -> None:
        """Commit the deletions of sent messages now, if any wait (the sweep, the close)."""
        with self._lock:
            waiting = bool(self._sent_ids)
        if waiting:  # a lost deletion only leaves a claimed row, dropped at the next start
            await self._write(lambda: None, durable=False)

    # ---- sessions -------------------------------------------------------------------------

    async def schema_version(self) -> int:
        return await self._run(_schema_version, self._db)

    async def load(self, user_id: str) -> Session:
        """The user's session, or a fresh one for a user never seen."""
        return await self._run(self._load_now, user_id)

    async def save(self, session: Session) -> None:
        """Write the session in one transaction."""
        await self._write(lambda: self._write_now(session, None))

    async def save_many(self, sessions: list[Session]) -> None:
        """Write many sessions in one transaction (imports, benchmarks): one fsync, not one
        per session."""
        def write() -> None:
            for session in sessions:
                self._write_now(session, None)

        await self._write(write)

    async def turn(self, user_id: str, decide: Callable[[Session], Decision], *,
                   update_key: str | None = None, claim: bool = False,
                   durable: bool = True, sync_soon: bool = False) -> Committed:
        """Load, decide, write and commit as one transaction on the database thread (grouped
        with other writes waiting then). With an `update_key`, an update handled before is not
        handled again (`duplicate`), and the update is marked handled in the same commit.

        With `claim`, the user's waiting messages are also claimed (see `claim`) right after
        that commit, in the same visit to the database thread, for a caller that sends them
        at once: it saves a second visit before sending. A crash between the two commits
        leaves them unclaimed, to be sent after the restart, as before.

        A turn that is not `durable` is answered before its commit is fsynced (see `_write`):
        for an update that is stored durably elsewhere until the commit is (in the inbox, or
        at Telegram until it is acknowledged after `sync`), so a power cut costs at most
        handling it again. With `sync_soon` (for a caller that will `sync` once it has sent
        the answer), the database thread fsyncs the commit right after answering."""
        def run() -> Committed:
            if update_key is not None and self._handled(update_key):
                return Committed([], duplicate=True)
            before = self._load_now(user_id)
            decision = decide(before)
            if decision.forget:
                self._forget_now(user_id)
            elif decision.session is not None:
                self._write_now(decision.session, before)
            if update_key is not None:
                self._mark_handled(update_key, None if decision.forget else user_id)
            outbox = self._queue(user_id, decision.outgoing)
            waiting = self._unclaimed(user_id) if update_key is not None or outbox else []
            return Committed(outbox, decision.result, forgotten=decision.forget,
                             waiting=waiting)

        def claim_waiting(committed: Committed) -> Committed:
            if not committed.waiting:
                return committed
            mine = [(outbox_id, item) for outbox_id, item in committed.waiting
                    if self._claim_now(outbox_id)]  # another sender may hold some
            return msgspec.structs.replace(committed, waiting=mine, claimed=True)

        committed = await self._write(run, durable=durable,
                                      after=claim_waiting if claim else None,
                                      sync_soon=sync_soon and not durable)
        if committed.forgotten:
            await self._run(self._checkpoint)
        return committed

    def _load_now(self, user_id: str) -> Session:
        row = self._db.execute(
            "SELECT next_number, active, dialog, profile, reminders FROM users WHERE user_id = ?",
            (user_id,)).fetchone()
        if row is None:
            return Session(user_id=user_id)
        drafts = [decode_draft(data) for (data,) in self._db.execute(
            "SELECT data FROM drafts WHERE user_id = ? ORDER BY number", (user_id,))]
        return Session(
            user_id=user_id,
            next_number=row[0],
            active=row[1],
            dialog=decode_dialog(row[2]),
            profile=json.loads(row[3]) if row[3] else None,
            reminders=decode_reminders(row[4]) if row[4] else Reminders(),
            drafts={draft.number: draft for draft in drafts},
        )

    def _write_now(self, session: Session, before: Session | None) -> None:
        """The session's rows, inside the caller's transaction. `before` is the session as
        stored, read in this transaction (only what changed since is written), or None
        (every row is written anew)."""
        unchanged = _unchanged_drafts(session, before)
        db = self._db
        db.execute(
            """INSERT INTO users (user_id, next_number, active, dialog, profile, reminders,
                                 updated_at)
               VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)
               ON CONFLICT(user_id) DO UPDATE SET next_number = excluded.next_number,
                 active = excluded.active, dialog = excluded.dialog,
                 profile = excluded.profile, reminders = excluded.reminders,
                 updated_at = CURRENT_TIMESTAMP""",
            (session.user_id, session.next_number, session.active,
             to_json(session.dialog),
             json.dumps(session.profile, ensure_ascii=False) if session.profile else None,
             to_json(session.reminders)),
        )
        # The schedule in the table is the plan of the session stored (`before`, read in this
        # transaction): most turns leave it as it was, and rewriting it would cost pages.
        planned = plan(session)
        if before is None or planned != plan(before):
            db.execute("DELETE FROM reminders WHERE user_id = ?", (session.user_id,))
            db.executemany(
                "INSERT INTO reminders (user_id, key, draft, kind, due_at) VALUES (?, ?, ?, ?, ?)",
                [(session.user_id, item.key, item.draft, item.kind, _stamp(item.due))
                 for item in planned],
            )
        if before is None:
            numbers = list(session.drafts)
            marks = ",".join("?" * len(numbers))
            db.execute(
                f"DELETE FROM drafts WHERE user_id = ? AND number NOT IN ({marks})"
                if numbers else "DELETE FROM drafts WHERE user_id = ?",
                (session.user_id, *numbers),
            )
        else:
            db.executemany("DELETE FROM drafts WHERE user_id = ? AND number = ?",
                           [(session.user_id, number) for number in before.drafts
                            if number not in session.drafts])
        db.executemany(
            """INSERT INTO drafts (user_id, number, finished, created_at, updated_at, data)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(user_id, number) DO UPDATE SET finished = excluded.finished,
                 updated_at = excluded.updated_at, data = excluded.data""",
            [(session.user_id, draft.number, int(draft.finished), draft.created_at.isoformat(),
              draft.updated_at.isoformat(), to_json(draft))
             for draft in session.drafts.values() if draft.number not in unchanged],
        )

    # ---- forgetting -----------------------------------------------------------------------

    async def forget_user(self, user_id: str) -> None:
        """Delete every row of the user (state, drafts, profile, reminders, inbox, outbox) in
        one transaction, then checkpoint so the deleted bytes leave the WAL too."""
        await self._write(lambda: self._forget_now(user_id))
        await self._run(self._checkpoint)

    def _forget_now(self, user_id: str) -> None:
        db = self._db
        db.execute("DELETE FROM reminders WHERE user_id = ?", (user_id,))
        db.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
        db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
        db.execute("DELETE FROM outbox WHERE user_id = ?", (user_id,))
        # Keep only the keys of their updates (no user, no content), so a redelivered update
        # is still recognised and does not bring them back.
        db.execute("UPDATE inbox SET user_id = NULL, payload = NULL, handled = 1 "
                   "WHERE user_id = ?", (user_id,))

    def _checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it (secure_delete has already zeroed
        the freed pages). Readers in another process can hold it up: try a few times."""
        for _ in range(5):
            busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return

    # ---- the inbox ------------------------------------------------------------------------

    async def receive(self, updates: Iterable[tuple[str, str | None, str]]) -> list[str]:
        """Store (update key, user id, payload) rows in one commit, before the channel
        acknowledges them; a key seen before is ignored. Returns the keys that were new."""
        rows = list(updates)

        def run() -> list[str]:
            stamp = _utc_stamp()
            new = []
            for key, user, payload in rows:
                if self._db.execute(
                        "INSERT OR IGNORE INTO inbox (update_key, user_id, payload, received_at) "
                        "VALUES (?, ?, ?, ?)", (key, user, payload, stamp)).rowcount == 1:
                    new.append(key)
            return new

        return await self._write(run) if rows else []

    async def pending_updates(self, limit: int = 256,
                              exclude: Iterable[str] = ()) -> list[InboxRow]:
        """Stored updates not yet handled, oldest first (skipping those being handled now)."""
        skip = set(exclude)

        def run() -> list[InboxRow]:
            rows = self._db.execute(
                "SELECT update_key, user_id, payload FROM inbox WHERE handled = 0 "
                "ORDER BY seq LIMIT ?", (limit + len(skip),)).fetchall()
            return [InboxRow(k, u, p) for k, u, p in rows if k not in skip][:limit]

        return await self._run(run)

    async def settle(self, update_key: str, user_id: str | None,
                     outgoing: list[str] = ()) -> list[tuple[int, str]]:
        """Mark an update handled without a turn (nothing to do, or a fixed answer that is
        queued in the same commit). Returns the outbox rows written."""
        def run() -> list[tuple[int, str]]:
            if self._handled(update_key):
                return []
            self._mark_handled(update_key, user_id)
            return self._queue(user_id, list(outgoing)) if user_id else []

        return await self._write(run)

    async def prune_inbox(self, keep_seconds: float = INBOX_KEEP_SECONDS) -> int:
        """Forget handled updates older than the redelivery window."""
        cutoff = _utc_stamp(-keep_seconds)

        return await self._write(lambda: self._db.execute(
            "DELETE FROM inbox WHERE handled = 1 AND received_at < ?", (cutoff,)).rowcount)

    async def unhandled(self) -> list[tuple[str, str | None]]:
        """(update key, user id) of every update stored and not yet handled, oldest first."""
        return await self._run(lambda: [(str(k), u) for k, u in self._db.execute(
            "SELECT update_key, user_id FROM inbox WHERE handled = 0 ORDER BY seq")])

    def _handled(self, update_key: str) -> bool:
        row = self._db.execute("SELECT handled FROM inbox WHERE update_key = ?",
                               (update_key,)).fetchone()
        return bool(row and row[0])

    def _mark_handled(self, update_key: str, user_id: str | None) -> None:
        """Handled, without its content: the message itself is not kept once it is applied."""
        self._db.execute(
            """INSERT INTO inbox (update_key, user_id, payload, received_at, handled)
               VALUES (?, ?, NULL, ?, 1)
               ON CONFLICT(update_key) DO UPDATE SET handled = 1, payload = NULL,
                 user_id = excluded.user_id""",
            (update_key, user_id, _utc_stamp()))

    # ---- the outbox -----------------------------------------------------------------------

    def _queue(self, user_id: str, outgoing: list[str]) -> list[tuple[int, str]]:
        rows = []
        for item in outgoing:
            cursor = self._db.execute("INSERT INTO outbox (user_id, item) VALUES (?, ?)",
                                      (user_id, item))
            rows.append((int(cursor.lastrowid or 0), item))
        return rows

    def _unclaimed(self, user_id: str) -> list[tuple[int, str]]:
        return [(int(i), str(m)) for i, m in self._db.execute(
            "SELECT id, item FROM outbox WHERE user_id = ? AND claimed = 0 ORDER BY id",
            (user_id,))]

    async def outbox_of(self, user_id: str) -> list[tuple[int, str]]:
        """A user's messages still to send, in order."""
        return await self._run(self._unclaimed, user_id)

    async def outbox_users(self, prefix: str = "") -> list[str]:
        """Users with messages still to send (of one channel, by id prefix)."""
        return await self._run(lambda: [str(u) for (u,) in self._db.execute(
            "SELECT DISTINCT user_id FROM outbox WHERE claimed = 0 "
            "AND substr(user_id, 1, ?) = ?", (len(prefix), prefix))])

    async def claim(self, outbox_id: int) -> bool:
        """Mark a message as being sent, before sending it: once claimed it is never sent
        again, even if the process dies before it is known to have arrived (at most once).
        False when it was claimed already (another sender has it).

        The claim is not fsynced (`_write(durable=False)`): a process that dies keeps it,
        which is what at-most-once needs; only a power cut can undo it, and then the message
        is sent again after the restart (perhaps twice) rather than lost. That spares every
        answer a second wait for the disk after its turn's commit."""
        return await self._write(lambda: self._claim_now(outbox_id), durable=False)

    def _claim_now(self, outbox_id: int) -> bool:
        return self._db.execute("UPDATE outbox SET claimed = 1 WHERE id = ? AND claimed = 0",
                                (outbox_id,)).rowcount == 1

    async def release(self, *outbox_ids: int) -> None:
        """Sends that failed before Telegram took them (or that a failure stopped before they
        began): the messages wait for the next try."""
        await self._write(lambda: self._db.executemany(
            "UPDATE outbox SET claimed = 0 WHERE id = ?", [(i,) for i in outbox_ids]))

    def sent(self, outbox_id: int) -> None:
        """The message arrived: its row goes with the next commit. Until then it stays
        claimed, which already keeps it from being sent again, here or after a restart."""
        with self._lock:
            self._sent_ids.append(outbox_id)

    async def drop_uncertain(self) -> int:
        """At start: claimed messages were being sent, or sent and not yet deleted, when the
        last process stopped; whether each arrived is unknown, and sending them again could
        double them, so they go."""
        return await self._write(lambda: self._db.execute(
            "DELETE FROM outbox WHERE claimed = 1").rowcount)

    # ---- reminders ------------------------------------------------------------------------

    async def due_batch(self, now: datetime, *, channel_prefix: str = "",
                        user_id: str | None = None, after: DueRow | None = None,
                        limit: int = DUE_BATCH) -> list[DueRow]:
        """Up to `limit` reminders due by `now`, in (due, user, key) order, starting after
        `after`: the index on that order makes each batch cost its own size, not the backlog."""
        start = (after.due_at, after.user_id, after.key) if after else ("", "", "")
        if user_id is not None:
            where, extra = "user_id = ?", (user_id,)
        else:
            where, extra = "substr(user_id, 1, ?) = ?", (len(channel_prefix), channel_prefix)
        query = (f"SELECT due_at, user_id, key FROM reminders WHERE due_at <= ? "
                 f"AND (due_at, user_id, key) > (?, ?, ?) AND {where} "
                 f"ORDER BY due_at, user_id, key LIMIT ?")

        def run() -> list[DueRow]:
            return [DueRow(*row) for row in self._db.execute(
                query, (_stamp(now), *start, *extra, limit))]

        return await self._run(run)

    async def due_reminders(self, now: datetime, *, channel_prefix: str = "",
                            user_id: str | None = None) -> list[tuple[str, str]]:
        """(user id, reminder key) of every reminder due by `now`, oldest first."""
        found: list[tuple[str, str]] = []
        after: DueRow | None = None
        while batch := await self.due_batch(now, channel_prefix=channel_prefix,
                                            user_id=user_id, after=after):
            found.extend((row.user_id, row.key) for row in batch)
            after = batch[-1]
        return found

    async def scheduled(self, user_id: str) -> list[tuple[str, str]]:
        """(key, due time) of a user's reminders still to send, as stored."""
        return await self._run(lambda: [(str(k), str(d)) for k, d in self._db.execute(
            "SELECT key, due_at FROM reminders WHERE user_id = ? ORDER BY due_at, key",
            (user_id,))])

    async def schedule_unplanned(self) -> None:
        """Users stored before reminders existed get their schedule once, at the first start."""
        waiting = await self._run(lambda: [str(u) for (u,) in self._db.execute(
            "SELECT user_id FROM users WHERE reminders IS NULL")])
        for user_id in waiting:
            await self.save(await self.load(user_id))

    # ---- inspection -----------------------------------------------------------------------

    async def user_ids(self) -> list[str]:
        return await self._run(lambda: [str(u) for (u,) in self._db.execute(
            "SELECT user_id FROM users ORDER BY user_id")])

    async def raw_draft_rows(self, user_id: str) -> list[dict[str, Any]]:
        """Drafts as stored, for inspection tools and tests."""
        rows = await self._run(lambda: self._db.execute(
            "SELECT number, finished, data FROM drafts WHERE user_id = ? ORDER BY number",
            (user_id,)).fetchall())
        return [{"number": n, "finished": bool(f), "data": json.loads(d)} for n, f, d in rows]

    async def rows_of(self, user_id: str) -> dict[str, int]:
        """How many rows each table holds for the user (to prove a forget complete)."""
        def run() -> dict[str, int]:
            return {table: int(self._db.execute(
                f"SELECT count(*) FROM {table} WHERE user_id = ?", (user_id,)).fetchone()[0])
                for table in ("users", "drafts", "reminders", "inbox", "outbox")}

        return await self._run(run)


# ---- opening ------------------------------------------------------------------------------


def _connect(path: str) -> sqlite3.Connection:
    """Runs on the database thread: files, pragmas, migrations; closes what it opened on error."""
    if path != ":memory:":
        _prepare_files(Path(path))
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                 timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA secure_delete=ON")
        _migrate(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _prepare_files(path: Path) -> None:
    """The folder (when created here) is 0700 and the database 0600; SQLite gives its -wal
    and -shm files the database's own permissions. Files made by older releases are
    tightened too."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(descriptor)
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if candidate.stat().st_mode & 0o077:
                os.chmod(candidate, FILE_MODE)
        except FileNotFoundError:
            # No such file, or another process closing the database's last connection
            # removed its -wal or -shm file just now: nothing to tighten.
            continue


def _schema_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0]) if row else 0


def _migrate(connection: sqlite3.Connection) -> None:
    """The write lock is taken before the version is read, so two processes opening a new
    file together migrate it once, one after the other."""
    with _immediate(connection):
        version = _schema_version(connection)
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, script.split(";")):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")


class _immediate:
    """`with _immediate(db):` one write transaction, committed on success, rolled back else."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")


def _answer(outcomes: list[tuple[_Write, Any, BaseException | None]]) -> None:
    """Resolve the callers' futures on their loops: one wake-up per loop, not per write."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Write, Any, BaseException | None]]] = {}
    for outcome in outcomes:
        by_loop.setdefault(outcome[0].loop, []).append(outcome)
    for loop, group in by_loop.items():
        with contextlib.suppress(RuntimeError):  # that loop is closed: its callers are gone
            loop.call_soon_threadsafe(_resolve, group)


def _resolve(outcomes: list[tuple[_Write, Any, BaseException | None]]) -> None:
    for write, result, error in outcomes:
        if write.future.done():  # the caller was cancelled
            continue
        if error is None:
            write.future.set_result(result)
        else:
            write.future.set_exception(error)


def _stamp(moment: datetime) -> str:
    """Times are stored as ISO text to the second, so they sort and compare as strings."""
    return moment.isoformat(sep="T", timespec="seconds")


def _utc_stamp(offset_seconds: float = 0.0) -> str:
    """Inbox times are the server's UTC clock: they only measure the redelivery window."""
    return _stamp(datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=offset_seconds))


def _unchanged_drafts(session: Session, before: Session | None) -> set[int]:
    if before is None:
        return set()
    return {n for n, draft in session.drafts.items() if before.drafts.get(n) == draft}
