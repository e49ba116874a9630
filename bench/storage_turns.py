"""The load → step → save loop without any channel: today's `Storage` against one call per
database visit, in the same run.

N users each go through the standard conversation of `bench/load.py` at once, as
`ConversationService.handle` does it (a lock per user, load, `step`, save). Compared:

  * shipped: `bot.storage.Storage` on aiosqlite: a load is 2 queries and a save about 7
    statements, each a round trip to aiosqlite's thread, the save holding the write lock
    across all of them;
  * one call: the same SQL in two plain functions over a `sqlite3` connection (`load_rows`,
    `write_session` below), each run whole on one database thread, so a turn is 2 round trips
    and the commit holds no lock of the event loop (the thread runs one call at a time).

Both use WAL with synchronous=FULL, as shipped, on a fresh file. Printed: turns/s, CPU per
turn (whole process) and the median / 99th percentile time of a turn, medians of `--runs`.

    .venv/bin/python bench/storage_turns.py [--users 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from load import NOW, standard_script

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.storage import MIGRATIONS, Storage, _stamp, _unchanged_drafts
from flows.catalog import load_catalog
from flows.context import Context
from flows.engine import step
from flows.insight import understand_nothing
from flows.model import Dialog, Draft, Reminders, Session, Text
from flows.reminders import plan

# ---- the one-call proposal ------------------------------------------------------------------


def connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                   "busy_timeout=5000"):
        connection.execute(f"PRAGMA {pragma}")
    for number, script in enumerate(MIGRATIONS, start=1):
        connection.execute("BEGIN IMMEDIATE")
        for statement in filter(str.strip, script.split(";")):
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {number}")
        connection.execute("COMMIT")
    return connection


def load_rows(connection: sqlite3.Connection, user_id: str) -> Session:
    """`Storage.load` as one call on the database thread."""
    row = connection.execute(
        "SELECT next_number, active, dialog, profile, reminders FROM users WHERE user_id = ?",
        (user_id,)).fetchone()
    if row is None:
        return Session(user_id=user_id)
    drafts = [Draft.model_validate_json(data) for (data,) in connection.execute(
        "SELECT data FROM drafts WHERE user_id = ? ORDER BY number", (user_id,))]
    return Session(user_id=user_id, next_number=row[0], active=row[1],
                   dialog=Dialog.model_validate_json(row[2]),
                   profile=json.loads(row[3]) if row[3] else None,
                   reminders=Reminders.model_validate_json(row[4]) if row[4] else Reminders(),
                   drafts={draft.number: draft for draft in drafts})


def write_session(connection: sqlite3.Connection, session: Session,
                  unchanged: set[int]) -> None:
    """`Storage._write` as one call on the database thread: the same statements and one
    transaction, so the commit is the only wait."""
    user = session.user_id
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(
            """INSERT INTO users (user_id, next_number, active, dialog, profile, reminders,
                                 updated_at)
               VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)
               ON CONFLICT(user_id) DO UPDATE SET next_number = excluded.next_number,
                 active = excluded.active, dialog = excluded.dialog,
                 profile = excluded.profile, reminders = excluded.reminders,
                 updated_at = CURRENT_TIMESTAMP""",
            (user, session.next_number, session.active, session.dialog.model_dump_json(),
             json.dumps(session.profile, ensure_ascii=False) if session.profile else None,
             session.reminders.model_dump_json()))
        connection.execute("DELETE FROM reminders WHERE user_id = ?", (user,))
        connection.executemany(
            "INSERT INTO reminders (user_id, key, draft, kind, due_at) VALUES (?, ?, ?, ?, ?)",
            [(user, item.key, item.draft, item.kind, _stamp(item.due))
             for item in plan(session)])
        numbers = list(session.drafts)
        marks = ",".join("?" * len(numbers))
        connection.execute(
            f"DELETE FROM drafts WHERE user_id = ? AND number NOT IN ({marks})"
            if numbers else "DELETE FROM drafts WHERE user_id = ?", (user, *numbers))
        connection.executemany(
            """INSERT INTO drafts (user_id, number, finished, created_at, updated_at, data)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(user_id, number) DO UPDATE SET finished = excluded.finished,
                 updated_at = excluded.updated_at, data = excluded.data""",
            [(user, d.number, int(d.finished), d.created_at.isoformat(),
              d.updated_at.isoformat(), d.model_dump_json())
             for d in session.drafts.values() if d.number not in unchanged])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


# ---- the loop -------------------------------------------------------------------------------

Turn = Callable[[str, str], Awaitable[None]]


async def drive(turn: Turn, lines: tuple[str, ...], users: int) -> tuple[float, list[float]]:
    durations: list[float] = []

    async def user(number: int) -> None:
        for line in lines:
            started = time.perf_counter()
            await turn(f"telegram:{number}", line)
            durations.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    return time.perf_counter() - started, durations


async def shipped(folder: str, lines: tuple[str, ...], users: int,
                  ctx: Context) -> tuple[float, list[float]]:
    storage = await Storage.open(Path(folder) / "shipped.sqlite3")
    locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def turn(user_id: str, line: str) -> None:
        async with locks[user_id]:
            before = await storage.load(user_id)
            outcome = step(before, Text(line), ctx)
            await storage.save(outcome.session, before)

    try:
        return await drive(turn, lines, users)
    finally:
        await storage.close()


async def one_call(folder: str, lines: tuple[str, ...], users: int,
                   ctx: Context) -> tuple[float, list[float]]:
    connection = connect(str(Path(folder) / "one_call.sqlite3"))
    database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database")
    loop = asyncio.get_running_loop()
    locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def turn(user_id: str, line: str) -> None:
        async with locks[user_id]:
            before = await loop.run_in_executor(database, load_rows, connection, user_id)
            outcome = step(before, Text(line), ctx)
            unchanged = _unchanged_drafts(outcome.session, before)
            await loop.run_in_executor(database, write_session, connection, outcome.session,
                                       unchanged)

    try:
        return await drive(turn, lines, users)
    finally:
        database.shutdown()
        connection.close()


def measure(variant: Callable[..., Awaitable[tuple[float, list[float]]]],
            lines: tuple[str, ...], users: int, ctx: Context) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory(prefix="turns-") as folder:
        cpu = time.process_time()
        wall, durations = asyncio.run(variant(folder, lines, users, ctx))
        cpu = time.process_time() - cpu
    ordered = sorted(durations)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return (len(durations) / wall, cpu / len(durations) * 1000,
            statistics.median(durations) * 1000, p99 * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog("zh_CN")
    lines = standard_script(catalog).lines
    ctx = Context(catalog, NOW, understand_nothing)
    results: dict[str, list[tuple[float, float, float, float]]] = {"shipped": [],
                                                                   "one call": []}
    for _ in range(args.runs):  # alternated, so a busy moment hits both alike
        results["shipped"].append(measure(shipped, lines, args.users, ctx))
        results["one call"].append(measure(one_call, lines, args.users, ctx))
    print(f"{args.users} users × {len(lines)} turns, load → step → save, no channel; "
          f"medians of {args.runs} runs")
    print(f"  {'':<10} {'turns/s':>8} {'CPU ms/turn':>12} {'p50 ms':>8} {'p99 ms':>8}")
    medians = {}
    for name, runs in results.items():
        medians[name] = [statistics.median(run[i] for run in runs) for i in range(4)]
        rate, cpu, p50, p99 = medians[name]
        print(f"  {name:<10} {rate:8.1f} {cpu:12.2f} {p50:8.1f} {p99:8.1f}")
    print(f"  one call / shipped: {medians['one call'][0] / medians['shipped'][0]:.2f}× turns/s, "
          f"{medians['one call'][1] / medians['shipped'][1]:.2f}× CPU per turn")


if __name__ == "__main__":
    main()
