"""The load → step → commit loop without any channel: commits grouped against one commit per
turn, in the same run.

N users each go through the standard conversation of `bench/load.py` at once, each turn one
`Storage.turn` (load, `step`, write, commit, on the database thread), a lock per user as the
service holds it. Compared, on fresh files with WAL and synchronous=FULL as shipped:

  * grouped: `Storage` as shipped, the writes waiting together sharing one commit (at most
    `bot.storage.MAX_GROUP`);
  * alone: the same `Storage` opened with `max_group=1`, so every turn is its own commit.

Printed, medians of `--runs` alternated runs: turns/s, CPU per turn (whole process), commits
per turn, and the median / 99th percentile time of a turn.

    .venv/bin/python bench/storage_turns.py [--users 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from load import NOW, standard_script

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.storage import MAX_GROUP, Decision, Storage
from flows.catalog import load_catalog
from flows.context import Context
from flows.engine import step
from flows.insight import understand_nothing
from flows.model import Session, Text


@dataclass(frozen=True)
class Figures:
    turns_per_s: float
    cpu_ms_per_turn: float
    commits_per_turn: float
    p50_ms: float
    p99_ms: float


async def drive(storage: Storage, lines: tuple[str, ...], users: int,
                ctx: Context) -> tuple[float, list[float]]:
    """Every user types every line, each waiting for the commit of the previous one."""
    locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
    durations: list[float] = []

    async def user(number: int) -> None:
        user_id = f"telegram:{number}"
        for line in lines:
            def decide(before: Session, line: str = line) -> Decision:
                return Decision(step(before, Text(line), ctx).session)

            started = time.perf_counter()
            async with locks[user_id]:
                await storage.turn(user_id, decide)
            durations.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    return time.perf_counter() - started, durations


def measure(max_group: int, lines: tuple[str, ...], users: int, ctx: Context) -> Figures:
    async def run(folder: str) -> tuple[float, list[float], int]:
        storage = await Storage.open(Path(folder) / "turns.sqlite3", max_group=max_group)
        try:
            before = storage.commits
            wall, durations = await drive(storage, lines, users, ctx)
            return wall, durations, storage.commits - before
        finally:
            await storage.close()

    with tempfile.TemporaryDirectory(prefix="turns-") as folder:
        cpu = time.process_time()
        wall, durations, commits = asyncio.run(run(folder))
        cpu = time.process_time() - cpu
    ordered = sorted(durations)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return Figures(len(durations) / wall, cpu / len(durations) * 1000,
                   commits / len(durations), statistics.median(durations) * 1000, p99 * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog("zh_CN")
    lines = standard_script(catalog).lines
    ctx = Context(catalog, NOW, understand_nothing)
    variants = {"grouped": MAX_GROUP, "alone": 1}
    results: dict[str, list[Figures]] = {name: [] for name in variants}
    for _ in range(args.runs):  # alternated, so a busy moment hits both alike
        for name, max_group in variants.items():
            results[name].append(measure(max_group, lines, args.users, ctx))
    print(f"{args.users} users × {len(lines)} turns, Storage.turn (load → step → commit), "
          f"no channel; medians of {args.runs} runs")
    print(f"  {'':<8} {'turns/s':>8} {'CPU ms/turn':>12} {'commits/turn':>13} {'p50 ms':>8} "
          f"{'p99 ms':>8}")
    medians: dict[str, Figures] = {}
    for name, runs in results.items():
        medians[name] = Figures(*(statistics.median(getattr(run, field) for run in runs)
                                  for field in Figures.__dataclass_fields__))
        m = medians[name]
        print(f"  {name:<8} {m.turns_per_s:8.1f} {m.cpu_ms_per_turn:12.2f} "
              f"{m.commits_per_turn:13.3f} {m.p50_ms:8.1f} {m.p99_ms:8.1f}")
    grouped, alone = medians["grouped"], medians["alone"]
    print(f"  grouped / alone: {grouped.turns_per_s / alone.turns_per_s:.2f}× turns/s, "
          f"{grouped.cpu_ms_per_turn / alone.cpu_ms_per_turn:.2f}× CPU per turn")


if __name__ == "__main__":
    main()
