"""What the reminder schedule costs: saving a session, finding due reminders, a sending round.

Builds a SQLite file with USERS users, each with one filed case (filed on a day spread over
the last weeks, so a share of the acceptance reminders is due) and one unfinished draft, then
measures, with a fake channel that delivers instantly:
  * save: median time of `Storage.save` for one user (session plus its reminder rows);
  * due batch: median time of one `Storage.due_batch` (the first DUE_BATCH due reminders,
    what a sending round reads at a time) and of reading the whole backlog batch by batch;
  * round: one `ReminderDispatcher.run_once` sending everything due (then nothing is due).
The machine is shared: expect noise, compare figures from one run only.

    .venv/bin/python bench/reminders.py [--users 10000] [--repetitions 200] [--no-round]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.reminders import ReminderDispatcher  # noqa: E402
from bot.service import ConversationService  # noqa: E402
from bot.storage import DUE_BATCH, Storage  # noqa: E402
from flows.catalog import load_catalog  # noqa: E402
from flows.insight import understand_nothing  # noqa: E402
from flows.model import Case, CaseEvent, Draft, Reply, Session  # noqa: E402

NOW = datetime(2026, 11, 28, 10, 30)


def session_for(index: int) -> Session:
    filed_on = date(2026, 11, 27) - timedelta(days=index % 30)
    stamp = datetime.combine(filed_on, datetime.min.time())
    filed = Draft(number=1, created_at=stamp, updated_at=stamp, finished=True,
                  answers={"kind": "complaint", "business_name": f"北京某某商贸有限公司{index}"},
                  case=Case(number=f"2026{index:010d}", events=[
                      CaseEvent(state="submitted", on=filed_on, recorded_at=stamp)]))
    idle = Draft(number=2, created_at=NOW, updated_at=NOW, answers={"kind": "complaint"})
    return Session(user_id=f"telegram:{index}", drafts={1: filed, 2: idle}, next_number=3)


async def measure(users: int, repetitions: int, send_round: bool = True) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        storage = await Storage.open(Path(folder) / "bench.sqlite3")
        started = time.perf_counter()
        for first in range(0, users, 1000):
            await storage.save_many([session_for(index)
                                     for index in range(first, min(first + 1000, users))])
        fill = time.perf_counter() - started

        saves = []
        for index in range(repetitions):
            session = session_for(index)
            began = time.perf_counter()
            await storage.save(session)
            saves.append(time.perf_counter() - began)

        batches, queries = [], []
        for _ in range(repetitions // 10 or 1):
            began = time.perf_counter()
            await storage.due_batch(NOW, channel_prefix="telegram:")
            batches.append(time.perf_counter() - began)
            began = time.perf_counter()
            due = await storage.due_reminders(NOW, channel_prefix="telegram:")
            queries.append(time.perf_counter() - began)

        async def deliver(user_id: str, replies: list[Reply]) -> bool:
            return True

        if not send_round:
            await storage.close()
            return {"users": users, "fill_s": fill, "save_ms": statistics.median(saves) * 1000,
                    "due": len(due), "due_query_ms": statistics.median(queries) * 1000,
                    "batch_ms": statistics.median(batches) * 1000}

        service = ConversationService(storage, load_catalog("zh_CN"), clock=lambda: NOW,
                                      understand=understand_nothing)
        dispatcher = ReminderDispatcher(service, deliver, channel_prefix="telegram:")
        began = time.perf_counter()
        sent = await dispatcher.run_once()
        round_time = time.perf_counter() - began
        again = await dispatcher.run_once()
        await storage.close()
    return {"users": users, "fill_s": fill, "save_ms": statistics.median(saves) * 1000,
            "due": len(due), "due_query_ms": statistics.median(queries) * 1000,
            "batch_ms": statistics.median(batches) * 1000,
            "sent": sent, "round_s": round_time, "per_reminder_ms": round_time / max(sent, 1) * 1000,
            "sent_again": again}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--no-round", action="store_true",
                        help="skip the sending round (one commit per reminder: long at 100k)")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.users, args.repetitions, not args.no_round))
    print(f"users: {figures['users']} (filled in {figures['fill_s']:.1f} s)")
    print(f"save one session with its schedule: median {figures['save_ms']:.2f} ms")
    print(f"due batch (first {DUE_BATCH}): median {figures['batch_ms']:.2f} ms; "
          f"whole backlog ({figures['due']} due) batch by batch: median "
          f"{figures['due_query_ms']:.2f} ms")
    if "sent" not in figures:
        return
    print(f"sending round: {figures['sent']} sent in {figures['round_s']:.2f} s "
          f"({figures['per_reminder_ms']:.2f} ms each); next round sent {figures['sent_again']}")


if __name__ == "__main__":
    main()
