"""How many people one bot serves: this bot against a minimal python-telegram-bot echo bot.

Both bots run in this process against the same fake Bot API (`bench/fake_bot_api.py`, its own
thread, 127.0.0.1 only), in the same run, so the ratios compare like with like on whatever
machine runs it. Each simulated user types the standard conversation: the 24 lines a person
types for a whole complaint and a look at /status, answered by field in the order the engine asks (the analyzer of
the user's own words switched off, so the order does not depend on it; the bot's clock fixed
so the expected texts are known). The echo bot answers each line with the line. Printed per
scenario, the median of `--runs` fresh runs (a fresh database each time):

  * turns/s: turns completed / wall time from the first line typed to the last answer;
  * msgs/turn: sendMessage + sendDocument calls the fake received / turns;
  * CPU/turn: the process's CPU time minus the fake API thread's, / turns (the bot's own
    work: event loop, HTTP client, PTB, the engine, the database thread);
  * p50/p95/p99: time from a line typed to the bot's last message of that turn.

Scenarios: 1, 10 and 100 users replying as soon as the bot answers, with the rate limits as
shipped and without them; then a paced run, as shipped: 100 users replying
5–15 s after each answer, those pauses multiplied by `--pace-scale` (0.5: 2.5–7.5 s, about
20 turns/s offered, still under Telegram's 30 messages/s) so that a run lasts two minutes.

    .venv/bin/python bench/load.py [--runs 3] [--users 1,10,100] [--pace-scale 0.5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import math
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fake_bot_api import TOKEN, LoadBotApi, RunFigures, Script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from standard_conversation import ANSWERS  # noqa: E402

from bot.telegram_render import OutDocument, plan  # noqa: E402
from flows.catalog import Catalog, load_catalog  # noqa: E402
from flows.context import Context  # noqa: E402
from flows.engine import step  # noqa: E402
from flows.insight import understand_nothing  # noqa: E402
from flows.model import Asking, Session, Text  # noqa: E402

NOW = datetime(2026, 11, 28, 10, 30)
RUN_SECONDS = 600.0  # the bound of one run; a run cut short is reported as such
TELEGRAM_MESSAGES_PER_SECOND = 30  # what one bot may send in total, by Telegram's FAQ
UNLIMITED_MESSAGES_PER_SECOND = 1e9  # the bot's own pace in the runs without limits
PACE = (5.0, 15.0)  # seconds between an answer and the user's next line, unscaled



def standard_script(catalog: Catalog) -> Script:
    """The lines typed, in the engine's order, and the text of the bot's last message after
    each (from the engine and the Telegram layout themselves)."""
    ctx = Context(catalog, NOW, understand_nothing)
    session = Session(user_id="telegram:1")
    lines: list[str] = []
    last_texts: list[str] = []

    def say(line: str) -> None:
        nonlocal session
        outcome = step(session, Text(line), ctx)
        session = outcome.session
        last = plan(outcome.replies, catalog)[-1]
        lines.append(line)
        last_texts.append(last.caption if isinstance(last, OutDocument) else last.text)

    say("/start")
    while True:
        state = session.dialog.state
        if not isinstance(state, Asking) or state.field not in ANSWERS:
            break
        say(ANSWERS[state.field])
        if isinstance(session.dialog.state, Asking) and session.dialog.state.pending:
            say("是")
    say("/status")  # and a look at the list of drafts, as tests/test_terminal.py does
    return Script(tuple(lines), tuple(last_texts))


def echo_script(script: Script) -> Script:
    return Script(script.lines, script.lines)


# ---- the two bots ---------------------------------------------------------------------------


async def run_complaint_bot(api: LoadBotApi, limiter: bool, seconds: float) -> None:
    """`complaint-bot telegram` as it ships (`bot.telegram.serve`), the fake as its API."""
    import bot.telegram as channel
    from bot.settings import load_checked_settings

    os.environ.update({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.url,
                       "LOG_LEVEL": "WARNING"})
    settings = load_checked_settings()
    shipped = channel.AIORateLimiter
    shipped_pace = channel.MESSAGES_PER_SECOND
    if not limiter:
        # Without limits, like the echo bot without its limiter: PTB's limiter goes (this bot
        # builds it for per-chat limits and retries only) and so does the bot's own overall
        # pace of Telegram's 30 messages/s, which otherwise holds it at 30 messages/s while the
        # echo bot runs free.
        channel.AIORateLimiter = lambda **_: None  # type: ignore[assignment,misc]
        channel.MESSAGES_PER_SECOND = UNLIMITED_MESSAGES_PER_SECOND
    stop = asyncio.Event()
    ready = asyncio.Event()
    try:
        task = asyncio.create_task(channel.serve(
            settings, stop, on_ready=lambda _: ready.set(), understand=understand_nothing,
            clock=lambda: NOW))
        await _drive(api, ready, task, seconds)
        stop.set()
        await asyncio.wait_for(task, 30)
    finally:
        channel.AIORateLimiter = shipped  # type: ignore[misc]
        channel.MESSAGES_PER_SECOND = shipped_pace


# The echo bot's transport: python-telegram-bot's own (httpx), as the baseline; "aiohttp"
# gives it this bot's transport (bot/telegram_http.py), to see how much of a ratio is the
# transport and how much the rest of the bot (`--echo-transport aiohttp`).
ECHO_TRANSPORT = {"value": "ptb"}


async def run_echo_bot(api: LoadBotApi, limiter: bool, seconds: float) -> None:
    """The smallest python-telegram-bot 22 bot: long polling, every text sent back."""
    from telegram import Update
    from telegram.ext import AIORateLimiter, ApplicationBuilder, MessageHandler, filters

    async def echo(update: Update, context) -> None:
        message = update.effective_message
        if message is not None and message.text is not None:
            await context.bot.send_message(message.chat_id, message.text)

    builder = (ApplicationBuilder().token(TOKEN).base_url(f"{api.url}/bot")
               .concurrent_updates(32))
    if ECHO_TRANSPORT["value"] == "aiohttp":
        from bot.telegram_http import AiohttpRequest

        builder = (builder.request(AiohttpRequest())
                   .get_updates_request(AiohttpRequest(pool_size=1)))
    if limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    ready = asyncio.Event()
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=["message", "callback_query"])
        ready.set()
        try:
            await _drive(api, ready, None, seconds)
        finally:
            await application.updater.stop()
            await application.stop()


async def _drive(api: LoadBotApi, ready: asyncio.Event, task: asyncio.Task | None,
                 seconds: float) -> None:
    """Start the users once the bot polls, wait for the last answer (bounded)."""
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait({waiting, *([task] if task else [])}, timeout=30,
                       return_when=asyncio.FIRST_COMPLETED)
    if task is not None and task.done():
        task.result()
    if not ready.is_set():
        raise RuntimeError("the bot did not start")
    api.begin()
    await asyncio.to_thread(api.done.wait, seconds)


# ---- one measurement ------------------------------------------------------------------------


@dataclass
class Measured:
    turns_per_s: float
    messages_per_turn: float
    cpu_ms_per_turn: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    complete: bool


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def measure_once(bot: Callable[..., object], script: Script, users: int, limiter: bool,
                 pace: tuple[float, float] | None) -> Measured:
    api = LoadBotApi(script, users, pace).start()
    workdir = tempfile.TemporaryDirectory(prefix="load-")
    here = os.getcwd()
    os.chdir(workdir.name)  # a fresh database, and no developer's .env
    os.environ["DATABASE_PATH"] = str(Path(workdir.name) / "complaints.sqlite3")
    gc.collect()
    try:
        asyncio.run(bot(api, limiter, RUN_SECONDS))
    finally:
        os.chdir(here)
        api.stop()
        workdir.cleanup()
    figures: RunFigures = api.figures()
    # The bot's CPU while the users talked (start-up and shutdown left out): the process's
    # minus the fake's thread, both read in the fake's thread at the first line and last answer.
    bot_cpu = figures.process_cpu_s - figures.fake_cpu_s
    turns = max(figures.turns, 1)
    return Measured(
        turns_per_s=figures.turns / figures.wall_s if figures.wall_s > 0 else math.nan,
        messages_per_turn=figures.messages / turns,
        cpu_ms_per_turn=bot_cpu / turns * 1000,
        p50_ms=percentile(figures.latencies_s, 0.50) * 1000,
        p95_ms=percentile(figures.latencies_s, 0.95) * 1000,
        p99_ms=percentile(figures.latencies_s, 0.99) * 1000,
        complete=figures.finished_users == users)


def median_of(runs: list[Measured]) -> Measured:
    def mid(name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs)

    return Measured(mid("turns_per_s"), mid("messages_per_turn"), mid("cpu_ms_per_turn"),
                    mid("p50_ms"), mid("p95_ms"), mid("p99_ms"), all(r.complete for r in runs))


# ---- the report -------------------------------------------------------------------------------


def row(label: str, ours: Measured, echo: Measured) -> str:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:5.2f}" if b else "  -  "

    mark = "" if ours.complete and echo.complete else "  (cut short)"
    return (f"{label:<26} {ours.turns_per_s:7.1f} {echo.turns_per_s:7.1f} "
            f"{ratio(ours.turns_per_s, echo.turns_per_s)} | {ours.messages_per_turn:5.3f} | "
            f"{ours.cpu_ms_per_turn:6.2f} {echo.cpu_ms_per_turn:6.2f} "
            f"{ratio(ours.cpu_ms_per_turn, echo.cpu_ms_per_turn)} | "
            f"{ours.p50_ms:7.1f} {ours.p95_ms:7.1f} {ours.p99_ms:7.1f} | "
            f"{echo.p50_ms:7.1f} {echo.p95_ms:7.1f} {echo.p99_ms:7.1f} | "
            f"{ratio(ours.p50_ms, echo.p50_ms)}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh runs per figure (median)")
    parser.add_argument("--users", default="1,10,100",
                        help="user counts, comma-separated (empty: the paced run only)")
    parser.add_argument("--pace-scale", type=float, default=0.5,
                        help="multiplies the 5–15 s pauses of the paced run (0 skips it)")
    parser.add_argument("--paced-users", type=int, default=100)
    parser.add_argument("--no-limiter-only", action="store_true",
                        help="skip the runs with the rate limits")
    parser.add_argument("--echo-transport", choices=("ptb", "aiohttp"), default="ptb",
                        help="the echo bot's HTTP transport: PTB's own (httpx, the baseline) "
                             "or this bot's (aiohttp)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    ECHO_TRANSPORT["value"] = args.echo_transport
    catalog = load_catalog("zh_CN")
    script = standard_script(catalog)
    echo = echo_script(script)
    print(f"standard conversation: {len(script.lines)} lines typed per user; medians of "
          f"{args.runs} runs; {os.cpu_count()} CPUs; loopback fake Bot API in its own thread; "
          f"the echo bot's transport: {args.echo_transport}")
    print(f"{'scenario':<26} {'turns/s':>7} {'echo':>7} {'ratio':>5} | {'msg/t':>5} | "
          f"{'CPU ms':>6} {'echo':>6} {'ratio':>5} | {'p50':>7} {'p95':>7} {'p99':>7} | "
          f"{'echo50':>7} {'echo95':>7} {'echo99':>7} | p50 ratio")
    scenarios: list[tuple[str, int, bool, tuple[float, float] | None]] = []
    for limiter in ((False,) if args.no_limiter_only else (True, False)):
        for users in (int(n) for n in args.users.split(",") if n.strip()):
            scenarios.append((f"{users} users, {'limiter' if limiter else 'no limits'}",
                              users, limiter, None))
    if args.pace_scale > 0:  # as shipped: under Telegram's limit the limiter never waits
        pace = (PACE[0] * args.pace_scale, PACE[1] * args.pace_scale)
        scenarios.append((f"{args.paced_users} paced {pace[0]:g}-{pace[1]:g}s, limiter",
                          args.paced_users, True, pace))
    results = {}
    for label, users, limiter, pace in scenarios:
        ours: list[Measured] = []
        theirs: list[Measured] = []
        for _ in range(args.runs):  # alternate, so a busy minute hits both alike
            ours.append(measure_once(run_complaint_bot, script, users, limiter, pace))
            theirs.append(measure_once(run_echo_bot, echo, users, limiter, pace))
        results[label] = (median_of(ours), median_of(theirs))
        print(row(label, *results[label]), flush=True)
    busiest = max(results.values(), key=lambda pair: pair[0].turns_per_s)[0]
    per_complaint = busiest.messages_per_turn * len(script.lines)
    print(f"one bot token at {TELEGRAM_MESSAGES_PER_SECOND} messages/s: "
          f"{TELEGRAM_MESSAGES_PER_SECOND / busiest.messages_per_turn:.1f} turns/s, "
          f"{per_complaint:.1f} messages per complaint, "
          f"{TELEGRAM_MESSAGES_PER_SECOND * 3600 / per_complaint:,.0f} complaints per hour")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
