"""CPU per turn in the pure core: the engine `step` and the Telegram layout (`plan`).

Runs the standard conversation of `bench/load.py` through `flows.engine.step` (no I/O) and
`bot.telegram_render.plan`, and times the session copy each step makes both ways in the same
run (`Session.working_copy`, what `step` uses, against `copy.deepcopy` and a JSON round trip).
Medians of `--rounds` rounds.

    .venv/bin/python bench/step_cost.py [--rounds 7] [--conversations 20]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
from load import NOW, standard_script

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.telegram_render import plan
from flows.catalog import load_catalog
from flows.context import Context
from flows.engine import step
from flows.insight import understand_nothing
from flows.model import Reply, Session, Text


def per_call_us(action: Callable[[], object], repetitions: int) -> float:
    started = time.perf_counter()
    for _ in range(repetitions):
        action()
    return (time.perf_counter() - started) / repetitions * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--conversations", type=int, default=20)
    args = parser.parse_args()
    catalog = load_catalog("zh_CN")
    script = standard_script(catalog)
    ctx = Context(catalog, NOW, understand_nothing)

    sessions: list[Session] = []
    replies: list[list[Reply]] = []
    session = Session(user_id="telegram:1")
    for line in script.lines:
        sessions.append(session)
        outcome = step(session, Text(line), ctx)
        session = outcome.session
        replies.append(outcome.replies)

    def conversation() -> None:
        current = Session(user_id="telegram:1")
        for line in script.lines:
            current = step(current, Text(line), ctx).session

    def layouts() -> None:
        for turn in replies:
            plan(turn, catalog)

    turns = len(script.lines)
    encoder, decoder = msgspec.json.Encoder(), msgspec.json.Decoder(Session)
    copies: dict[str, Callable[[Session], object]] = {
        "working_copy": Session.working_copy, "copy.deepcopy": copy.deepcopy,
        "JSON round trip": lambda s: decoder.decode(encoder.encode(s))}
    rounds: dict[str, list[float]] = {"step": [], "plan": [], **{name: [] for name in copies}}
    for _ in range(args.rounds):
        rounds["step"].append(per_call_us(conversation, args.conversations) / turns)
        rounds["plan"].append(per_call_us(layouts, args.conversations) / turns)
        for name, make_copy in copies.items():
            rounds[name].append(statistics.mean(
                per_call_us(lambda s=s, f=make_copy: f(s), 50) for s in sessions))
    print(f"standard conversation, {turns} turns; medians of {args.rounds} rounds, "
          "microseconds per turn")
    for name, values in rounds.items():
        print(f"  {name:<24} {statistics.median(values):8.1f} µs")
    for name in copies:
        if name != "working_copy":
            ratio = statistics.median(rounds[name]) / statistics.median(rounds["working_copy"])
            print(f"  the session copy: working_copy is {ratio:.1f}× cheaper than {name}")


if __name__ == "__main__":
    main()
