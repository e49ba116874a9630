"""A server loads what the answers after the first question need before it takes anyone's first
message, so no person's answer waits for an import or for the analyzer's dictionary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PREPARE = """
import asyncio, json, sys
from bot.service import ConversationService
from bot.storage import Storage
from flows.catalog import load_catalog

LATER = ("flows.advice", "flows.composition", "jieba")

async def main():
    storage = await Storage.open(sys.argv[1])
    try:
        service = ConversationService(storage, load_catalog("zh_CN"))
        before = [name for name in LATER if name in sys.modules]
        await asyncio.to_thread(service.prepare)
        after = [name for name in LATER if name in sys.modules]
    finally:
        await storage.close()
    print(json.dumps([before, after]))

asyncio.run(main())
"""


def test_prepare_loads_the_advice_the_composition_and_the_analyzer(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-c", PREPARE, str(tmp_path / "bot.sqlite3")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    before, after = json.loads(run.stdout.strip().splitlines()[-1])
    assert before == [], "nothing of it is loaded by merely opening the service"
    assert after == ["flows.advice", "flows.composition", "jieba"]
