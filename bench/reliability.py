"""Reliability figures: lost and doubled updates over random kills, "database is locked" with
two processes, peak memory under oversized webhook bodies, memory per user served.

    .venv/bin/python bench/reliability.py [--kills 10] [--users 6] [--turns 400]

* random kills, in polling and in webhook mode: each round queues a burst (every user sends
  /start, /help and /privacy — three answers that each come as a message of their own), kills
  the bot with SIGKILL after a random delay (0–1.5 s) and starts it again on the same
  database; webhook updates are redelivered until answered 200, as Telegram does. After the
  last round the bot runs until everything is answered. Printed: updates never handled,
  answers delivered twice, answers missing, and the claimed rows the restarts dropped (under
  way at a kill, or sent and not yet deleted: a claimed message is never sent again, so an
  answer under way may be missing; the bot logs how many it dropped);
* two processes writing to one database (the Telegram bot and a terminal chat): turns that
  failed and "database is locked" errors;
* peak RSS of the webhook process while 4 clients each send a 90 MB body at once, with the
  wrong secret and then with the right one;
* memory per user: RSS growth of one process serving 20 000 new users (one /start each,
  through `handle_update` with an update key), after 5 000 to warm up; the flood window is
  moved on a simulated clock as if 200 users wrote per second.
The machine is shared: expect noise.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

from bot_process import (  # noqa: E402
    SECRET,
    BotProcess,
    FakeBotApi,
    deliver_until_accepted,
    text_update,
)
from test_contention import WRITER  # noqa: E402  (the contention test's writer process)

from flows.catalog import load_catalog  # noqa: E402

MESSAGES = ("/start", "/help", "/privacy")
MARKERS = ("start.welcome", "help.text", "privacy.statement")


def dropped_in_flight(bot: BotProcess) -> int:
    found = [re.search(r"(\d+) message\(s\) were claimed for sending", line)
             for line in bot.stderr]
    return sum(int(match.group(1)) for match in found if match)


def random_kills(webhook: bool, kills: int, users_per_round: int) -> dict[str, int]:
    catalog = load_catalog()
    markers = [catalog.text(key) for key in MARKERS]
    api = FakeBotApi().start()
    chats: list[int] = []
    dropped = 0
    with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(16) as posters:
        work = Path(folder)
        database = work / "bot.sqlite3"
        port = None
        pending = []
        bot: BotProcess | None = None
        for round_number in range(kills + 1):
            bot = BotProcess(api, database, work, webhook=webhook, port=port).wait_ready()
            port = bot.port
            dropped += dropped_in_flight(bot)
            if round_number == kills:
                break
            for index in range(users_per_round):
                chat = 8_000_000 + round_number * 1000 + index
                chats.append(chat)
                for text in MESSAGES:
                    update = text_update(api, chat, text)
                    if webhook:
                        # Telegram waits between redeliveries; half a second here
                        pending.append(posters.submit(deliver_until_accepted, bot.hook_url,
                                                      update, 120.0, 0.5))
                    else:
                        api.queue_update({k: v for k, v in update.items() if k != "update_id"})
            time.sleep(random.uniform(0.0, 1.5))
            bot.kill()
        assert bot is not None
        for future in pending:
            future.result()

        def delivered() -> list[list[int]]:
            counts = []
            for chat in chats:
                texts = [str(c.params.get("text")) for c in api.calls("sendMessage", chat_id=chat)]
                # what precedes a question shares its message: count the messages that
                # carry each answer
                counts.append([sum(marker in text for text in texts) for marker in markers])
            return counts

        wanted = len(chats) * len(markers)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sum(min(n, 1) for row in delivered() for n in row) + dropped >= wanted:
                break
            time.sleep(0.2)
        time.sleep(1.0)
        bot.stop()
        api.stop()
        counts = delivered()
        with sqlite3.connect(database, timeout=10) as db:
            unhandled = db.execute("SELECT count(*) FROM inbox WHERE handled = 0").fetchone()[0]
            handled = db.execute("SELECT count(*) FROM inbox WHERE handled = 1").fetchone()[0]
    return {"updates": len(chats) * len(MESSAGES), "handled": handled,
            "unhandled": unhandled,
            "missing_answers": sum(1 for row in counts for n in row if n == 0),
            "doubled": sum(n - 1 for row in counts for n in row if n > 1),
            "dropped_in_flight": dropped}




def two_processes(turns: int) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "shared.sqlite3")
        processes = [subprocess.Popen([sys.executable, "-c", WRITER, path, who, str(turns)],
                                      cwd=ROOT, text=True, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE) for who in ("telegram", "terminal")]
        results = [process.communicate(timeout=600) for process in processes]
    return {"turns": 2 * turns,
            "failed": sum(int(out.strip() or 0) for out, _ in results),
            "locked": sum(err.count("database is locked") for _, err in results)}


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def flood_body(port: int, secret: str, megabytes: int) -> None:
    head = ("POST /telegram/hook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n\r\n").encode()
    chunk = b"a" * (1 << 20)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            connection.sendall(head)
            for _ in range(megabytes):
                connection.sendall(framed)
            connection.sendall(b"0\r\n\r\n")
            connection.recv(1024)
    except OSError:
        pass  # the server answered early and hung up: what it should do


def oversized_bodies() -> dict[str, int]:
    api = FakeBotApi().start()
    with tempfile.TemporaryDirectory() as folder:
        bot = BotProcess(api, Path(folder) / "bot.sqlite3", Path(folder), webhook=True)
        bot.wait_ready()
        figures = {"before_kb": peak_rss_kb(bot.process.pid)}
        for name, secret in (("wrong_secret_kb", "wrong"), ("right_secret_kb", SECRET)):
            threads = [threading.Thread(target=flood_body, args=(bot.port, secret, 90))
                       for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            figures[name] = peak_rss_kb(bot.process.pid)
        bot.stop()
    api.stop()
    return figures


def memory_per_user(warm: int, measured: int) -> float:
    """KB of RSS growth per user served, in this process."""
    from bot.keyed_locks import KeyedLocks
    from bot.service import ConversationService
    from bot.storage import Storage
    from flows.insight import understand_nothing
    from flows.model import Text

    def rss_kb() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    async def run() -> float:
        with tempfile.TemporaryDirectory() as folder:
            storage = await Storage.open(Path(folder) / "bot.sqlite3")
            service = ConversationService(storage, load_catalog(), understand=understand_nothing)
            moment = [0.0]
            service.flood.clock = lambda: moment[0]
            locks = KeyedLocks()

            async def serve(index: int) -> None:
                user = f"telegram:{index}"
                async with locks.hold(user):
                    await service.handle_update(user, Text("/start"),
                                                update_key=f"telegram:update:{index}")
                moment[0] += 1 / 200

            for index in range(warm):
                await serve(index)
            before = rss_kb()
            for index in range(warm, warm + measured):
                await serve(index)
            after = rss_kb()
            await storage.close()
            return (after - before) / measured

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--users", type=int, default=6, help="new users per kill round")
    parser.add_argument("--turns", type=int, default=400, help="turns per writing process")
    args = parser.parse_args()
    for mode, webhook in (("polling", False), ("webhook", True)):
        f = random_kills(webhook, args.kills, args.users)
        print(f"{mode}: {args.kills} random kills, {f['updates']} updates: "
              f"{f['unhandled']} never handled, {f['doubled']} answers doubled, "
              f"{f['missing_answers']} answers missing "
              f"({f['dropped_in_flight']} claimed rows dropped at restarts: under way or sent "
              "and not yet deleted at a kill)")
    c = two_processes(args.turns)
    print(f"two processes on one database: {c['turns']} turns, {c['failed']} failed, "
          f"{c['locked']} 'database is locked'")
    r = oversized_bodies()
    print(f"webhook peak RSS: {r['before_kb'] / 1024:.1f} MB at start; "
          f"{r['wrong_secret_kb'] / 1024:.1f} MB after 4 x 90 MB bodies with a wrong secret; "
          f"{r['right_secret_kb'] / 1024:.1f} MB after 4 x 90 MB bodies with the right one")
    per_user = memory_per_user(5_000, 20_000)
    print(f"memory: RSS growth {per_user:.3f} KB per user over 20 000 new users "
          f"(peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
