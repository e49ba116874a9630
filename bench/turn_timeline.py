"""Where a paced turn's milliseconds go: timestamps along one turn, this bot against the echo bot.

`bench/load.py` gives the p50 from a line typed to the answer; this splits it into stages by
wrapping the functions a turn passes through (the fake Bot API's getUpdates answer, the poll's
`take`, PTB's `process_update`, the channel's `turn`, the database thread's decision and commit,
the wake-up back to the event loop, the answer's request, the fake receiving it) and prints the
median and p90 of every stage over all turns of one paced run. The wrappers cost a few
microseconds each, so read the stages against each other, not as exact figures.

    .venv/bin/python bench/turn_timeline.py [--users 20] [--pace 0.5,1.5] [--bot ours|echo]
        [--echo-transport ptb|aiohttp]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import fake_bot_api
import load  # puts the repository on the path, as the other benches do
import telegram
from telegram.ext import Application

import bot.storage as storage
import bot.telegram as channel
from flows.catalog import load_catalog

OUR_STAGES = ("update out of the fake", "poll takes it", "PTB handles it", "turn starts",
              "decision starts (database thread)", "decided and rendered", "committed",
              "claimed, caller answered", "turn back on the loop", "answer's request starts",
              "the fake has the answer")
ECHO_STAGES = ("update out of the fake", "PTB handles it", "answer's request starts",
               "the fake has the answer")

marks: dict[int, dict[str, float]] = defaultdict(dict)
last_update: dict[int, int] = {}  # chat → the update being answered
deciding: list[int] = []  # the update whose decision the database thread is making


def mark(update_id: int | None, stage: str) -> None:
    if update_id is not None:
        marks[update_id].setdefault(stage, time.perf_counter())


def instrument() -> None:
    """Wrap the functions a turn passes through; each records when the turn got there."""
    get_updates = fake_bot_api.LoadBotApi._get_updates

    async def fake_get_updates(self: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
        updates = await get_updates(self, params)
        for update in updates:
            mark(update["update_id"], "update out of the fake")
        return updates

    call = fake_bot_api.LoadBotApi._call

    async def fake_call(self: Any, method: str, params: dict[str, Any]) -> Any:
        if method in fake_bot_api.SEND_METHODS:
            mark(last_update.get(int(params["chat_id"])), "the fake has the answer")
        return await call(self, method, params)

    take = channel.TelegramChannel.take

    async def channel_take(self: Any, updates: list[Any]) -> None:
        for update in updates:
            mark(update.update_id, "poll takes it")
        await take(self, updates)

    process_update = Application.process_update

    async def ptb_process_update(self: Any, update: Any) -> None:
        last_update[update.effective_chat.id] = update.update_id
        mark(update.update_id, "PTB handles it")
        await process_update(self, update)

    turn = channel.TelegramChannel.turn

    async def channel_turn(self: Any, update: Any, *args: Any, **kwargs: Any) -> None:
        mark(update.update_id, "turn starts")
        await turn(self, update, *args, **kwargs)
        mark(update.update_id, "turn back on the loop")

    storage_turn = storage.Storage.turn

    async def timed_storage_turn(self: Any, user_id: str, decide: Callable[..., Any],
                                 **kwargs: Any) -> Any:
        key = kwargs.get("update_key")
        update_id = int(key.rsplit(":", 1)[-1]) if key else None

        def timed_decide(before: Any) -> Any:
            mark(update_id, "decision starts (database thread)")
            decision = decide(before)
            mark(update_id, "decided and rendered")
            if update_id is not None:
                deciding.append(update_id)
            return decision

        return await storage_turn(self, user_id, timed_decide, **kwargs)

    after_commit = storage.Storage._after_commit

    def timed_after_commit(self: Any, outcomes: Any) -> Any:
        if deciding:
            mark(deciding[-1], "committed")
        return after_commit(self, outcomes)

    answer = storage._answer

    def timed_answer(outcomes: Any) -> None:
        if deciding:
            mark(deciding.pop(), "claimed, caller answered")
        answer(outcomes)

    send_text = channel.TelegramChannel.send_text

    async def channel_send_text(self: Any, bot: Any, chat_id: int, item: Any) -> None:
        mark(last_update.get(chat_id), "answer's request starts")
        await send_text(self, bot, chat_id, item)

    send_message = telegram.Bot.send_message

    async def echo_send_message(self: Any, chat_id: Any, *args: Any, **kwargs: Any) -> Any:
        mark(last_update.get(int(chat_id)), "answer's request starts")
        return await send_message(self, chat_id, *args, **kwargs)

    fake_bot_api.LoadBotApi._get_updates = fake_get_updates  # type: ignore[method-assign]
    fake_bot_api.LoadBotApi._call = fake_call  # type: ignore[method-assign]
    channel.TelegramChannel.take = channel_take  # type: ignore[method-assign]
    Application.process_update = ptb_process_update  # type: ignore[method-assign]
    channel.TelegramChannel.turn = channel_turn  # type: ignore[method-assign]
    storage.Storage.turn = timed_storage_turn  # type: ignore[method-assign]
    storage.Storage._after_commit = timed_after_commit  # type: ignore[method-assign]
    storage._answer = timed_answer
    channel.TelegramChannel.send_text = channel_send_text  # type: ignore[method-assign]
    telegram.Bot.send_message = echo_send_message  # type: ignore[method-assign]


def report(stages: tuple[str, ...]) -> None:
    complete = [times for times in marks.values() if all(stage in times for stage in stages)]
    print(f"{len(complete)} turns with every stage; milliseconds, median and p90")
    for first, then in (*itertools.pairwise(stages), (stages[0], stages[-1])):
        spans = sorted((times[then] - times[first]) * 1000 for times in complete)
        if spans:
            print(f"  {first} → {then}: {statistics.median(spans):6.3f}  "
                  f"{spans[int(len(spans) * 0.9)]:6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--pace", default="0.5,1.5", help="seconds between answer and next line")
    parser.add_argument("--bot", choices=("ours", "echo"), default="ours")
    parser.add_argument("--echo-transport", choices=("ptb", "aiohttp"), default="ptb",
                        help="the echo bot's HTTP transport (see bench/load.py)")
    args = parser.parse_args()
    load.ECHO_TRANSPORT["value"] = args.echo_transport
    low, high = (float(part) for part in args.pace.split(","))
    instrument()
    script = load.standard_script(load_catalog("zh_CN"))
    if args.bot == "ours":
        load.measure_once(load.run_complaint_bot, script, args.users, True, (low, high))
        report(OUR_STAGES)
    else:
        load.measure_once(load.run_echo_bot, load.echo_script(script), args.users, True,
                          (low, high))
        report(ECHO_STAGES)


if __name__ == "__main__":
    main()
