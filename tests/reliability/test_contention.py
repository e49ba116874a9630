"""Two processes on one database: no "database is locked", no failed or hanging open.

The README invites running the Telegram bot and a terminal chat on the same file, so these
tests run real separate processes that write at the same time, and processes that open (and
so create and migrate) a new file together.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.storage import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
TURNS = 100
PROCESS_SECONDS = 120

WRITER = """
import asyncio, sys
from bot.service import ConversationService
from bot.storage import Storage
from flows.catalog import load_catalog
from flows.insight import understand_nothing
from flows.model import Text

async def main(path, who, turns):
    storage = await Storage.open(path)
    service = ConversationService(storage, load_catalog(), understand=understand_nothing)
    failures = 0

    async def turn(number):
        # several users at once, as the bot serves them, with reads between the writes
        nonlocal failures
        try:
            await service.handle(f"{who}:{number % 10}", Text("/new" if number % 3 else "/status"))
            await storage.due_reminders(service.clock())
        except Exception as error:
            failures += 1
            print(f"failed: {error}", file=sys.stderr)

    for first in range(0, turns, 10):
        await asyncio.gather(*(turn(n) for n in range(first, min(first + 10, turns))))
    await storage.close()
    print(failures)

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""

OPENER = """
import asyncio, sys
from bot.storage import Storage

async def main(path):
    storage = await Storage.open(path)
    print(await storage.schema_version())
    await storage.close()

asyncio.run(main(sys.argv[1]))
"""


def start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=PROCESS_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate(timeout=10)
        raise AssertionError(f"a process hung:\n{err}") from None
    return process.returncode, out, err


def test_two_processes_write_to_one_database_without_locked_errors(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    subprocess.run([sys.executable, "-c", OPENER, str(path)], cwd=ROOT, check=True, timeout=60)
    writers = [start(WRITER, str(path), who, str(TURNS)) for who in ("telegram", "terminal")]
    results = [finish(process) for process in writers]
    for returncode, out, err in results:
        assert returncode == 0, err
        assert out.strip() == "0", f"turns failed:\n{err}"
        assert "locked" not in err
    with sqlite3.connect(path, timeout=10) as db:
        drafts = db.execute("SELECT count(*) FROM drafts").fetchone()[0]
    new_per_writer = sum(1 for turn in range(TURNS) if turn % 3)
    assert drafts == 2 * new_per_writer, "every /new of both processes was committed"


def test_processes_opening_a_new_database_together_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "new.sqlite3"
    openers = [start(OPENER, str(path)) for _ in range(12)]
    results = [finish(process) for process in openers]
    assert [(code, out.strip()) for code, out, _ in results] == [(0, str(len(MIGRATIONS)))] * 12, \
        [err for _, _, err in results if err]


def test_a_database_that_cannot_be_opened_is_one_line_and_no_hang(tmp_path: Path) -> None:
    not_a_database = tmp_path / "garbage.sqlite3"
    not_a_database.write_bytes(b"this is not an SQLite file at all" * 200)
    env_script = ("import os, sys; os.environ['DATABASE_PATH'] = sys.argv[1]; "
                  "from bot.cli import main; main(['chat'])")
    done = subprocess.run([sys.executable, "-c", env_script, str(not_a_database)], cwd=tmp_path,
                          input="", capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "garbage.sqlite3" in lines[0], done.stderr
